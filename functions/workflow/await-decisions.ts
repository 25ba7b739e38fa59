// Lambda entry: the AwaitDecisions task of the investigation state machine (registers the investigation's one wait).
import type { Config } from '../config.js';
import { createAwaitDecisionsHandler } from '../services/workflow/await-decisions.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createAwaitDecisionsHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
