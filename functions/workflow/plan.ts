// Lambda entry: the Plan task of the investigation state machine (remediation actions and the automation policy).
import type { Config } from '../config.js';
import { createPlanHandler } from '../services/workflow/plan.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createPlanHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
