// Lambda entry: the RecordRemediationFailure task of the investigation state machine (marks an action failed with the reason).
import type { Config } from '../config.js';
import { createRecordRemediationFailureHandler } from '../services/workflow/record-remediation-failure.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) =>
  createRecordRemediationFailureHandler(workflowPorts(config, overrides));

export const handler = lambdaHandler(wire);
