// Every task handler of the investigation state machine over one set of ports, keyed by the task
// ids of statemachines/substitutions.ts: what the local engine maps Lambda ARNs to.
import type { TaskFunctionId } from '../../statemachines/substitutions.js';
import { createAnalyzeHandler } from './analyze.js';
import { createAwaitDecisionHandler } from './await-decision.js';
import { createFinalizeHandler } from './finalize.js';
import { createMarkExpiredHandler } from './mark-expired.js';
import { createMarkRejectedHandler } from './mark-rejected.js';
import { createNormalizeHandler } from './normalize.js';
import { createPlanHandler } from './plan.js';
import type { WorkflowPorts } from './ports.js';
import { createRecordAutomatedApprovalHandler } from './record-automated-approval.js';
import { createRecordRemediationFailureHandler } from './record-remediation-failure.js';
import { createRemediateHandler } from './remediate.js';

// biome-ignore lint/suspicious/noExplicitAny: each handler takes its own event type
export type TaskHandler = (event: any) => Promise<unknown>;

export function createWorkflowHandlers(ports: WorkflowPorts): Record<TaskFunctionId, TaskHandler> {
  return {
    Normalize: createNormalizeHandler(ports),
    Analyze: createAnalyzeHandler(ports),
    Plan: createPlanHandler(ports),
    RecordAutomatedApproval: createRecordAutomatedApprovalHandler(ports),
    AwaitDecision: createAwaitDecisionHandler(ports),
    Remediate: createRemediateHandler(ports),
    RecordRemediationFailure: createRecordRemediationFailureHandler(ports),
    MarkRejected: createMarkRejectedHandler(ports),
    MarkExpired: createMarkExpiredHandler(ports),
    Finalize: createFinalizeHandler(ports),
  };
}

export { createWorkflowPorts, defaultWorkflowPorts, type WorkflowPorts } from './ports.js';
