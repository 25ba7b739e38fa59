// Lambda entry: the RecordAutomatedApproval task of the investigation state machine (stores an action approved by automation).
import type { Config } from '../config.js';
import { createRecordAutomatedApprovalHandler } from '../services/workflow/record-automated-approval.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createRecordAutomatedApprovalHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
