// MarkRejected: the wait ended with ActionRejected. The API recorded the decision (and audited
// it) before sending the failure; a rejection sent without one is recorded here as the System's.
import { logger, observe } from '../observability.js';
import { defaultWorkflowPorts, type WorkflowPorts } from './ports.js';
import {
  type ActionStep,
  movedBy,
  recordChange,
  refreshInvestigation,
  SYSTEM_ACTOR,
} from './progress.js';
import { reasonOf, type TaskFailure } from './task-failure.js';

export interface MarkRejectedEvent {
  investigationId: string;
  actionId: string;
  error?: TaskFailure;
}

export function createMarkRejectedHandler(
  ports: Pick<WorkflowPorts, 'actions' | 'audit' | 'investigations' | 'clock'>,
) {
  return async (event: MarkRejectedEvent): Promise<ActionStep> => {
    const action = await ports.actions.get(event.actionId);
    if (!action) {
      logger.warn('Rejection for an unknown action', { actionId: event.actionId });
      return { actionId: event.actionId, status: 'Rejected' };
    }
    if (action.status !== 'Pending') {
      await refreshInvestigation(ports, event.investigationId);
      return { actionId: action.id, status: action.status };
    }
    const at = ports.clock();
    const comment = reasonOf(event.error).slice(0, 2000);
    const rejected = await ports.actions.transition(action.id, 'Rejected', at, {
      decision: { by: SYSTEM_ACTOR, at: at.toISOString(), automated: false, comment },
    });
    if (movedBy(rejected, at)) {
      await recordChange(ports, {
        at,
        actor: SYSTEM_ACTOR,
        event: 'ActionRejected',
        action: rejected,
        before: 'Pending',
        comment,
      });
    }
    await refreshInvestigation(ports, event.investigationId);
    return { actionId: rejected.id, status: rejected.status };
  };
}

export const handler = observe(createMarkRejectedHandler(defaultWorkflowPorts()));
