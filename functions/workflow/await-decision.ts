// Lambda entry: the AwaitDecision task of the investigation state machine (registers a pending action and its task token).
import type { Config } from '../config.js';
import { createAwaitDecisionHandler } from '../services/workflow/await-decision.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createAwaitDecisionHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
