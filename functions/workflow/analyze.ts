// Lambda entry: the Analyze task of the investigation state machine (evidence with verdicts and e-mail clusters).
import type { Config } from '../config.js';
import { createAnalyzeHandler } from '../services/workflow/analyze.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createAnalyzeHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
