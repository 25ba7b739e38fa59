// Lambda entry: the MarkExpired task of the investigation state machine (marks an action expired).
import type { Config } from '../config.js';
import { createMarkExpiredHandler } from '../services/workflow/mark-expired.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createMarkExpiredHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
