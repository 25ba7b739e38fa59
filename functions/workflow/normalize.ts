// Lambda entry: the Normalize task of the investigation state machine (validates the alert and records the investigation).
import type { Config } from '../config.js';
import { createNormalizeHandler } from '../services/workflow/normalize.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createNormalizeHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
