// Lambda entry: the MarkRejected task of the investigation state machine (settles a rejected action).
import type { Config } from '../config.js';
import { createMarkRejectedHandler } from '../services/workflow/mark-rejected.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createMarkRejectedHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
