// Lambda entry: the Investigate task of the investigation state machine (analysis, and every action recorded at once).
import type { Config } from '../config.js';
import { createInvestigateHandler } from '../services/workflow/investigate.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createInvestigateHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
