// Lambda entry: the Finalize task of the investigation state machine (final investigation status and end time).
import type { Config } from '../config.js';
import { createFinalizeHandler } from '../services/workflow/finalize.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createFinalizeHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
