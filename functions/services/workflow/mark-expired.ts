// MarkExpired: the wait timed out (States.Timeout) or the action had already expired. A pending
// action becomes Expired; so does an approval whose callback arrived too late to be delivered.
import { countMetric, logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';
import {
  type ActionStep,
  movedBy,
  recordChange,
  refreshInvestigation,
  SYSTEM_ACTOR,
} from './progress.js';
import type { TaskFailure } from './task-failure.js';

export interface MarkExpiredEvent {
  investigationId: string;
  actionId: string;
  error?: TaskFailure;
}

export function createMarkExpiredHandler(
  ports: Pick<WorkflowPorts, 'actions' | 'audit' | 'investigations' | 'clock'>,
) {
  return async (event: MarkExpiredEvent): Promise<ActionStep> => {
    const action = await ports.actions.get(event.actionId);
    if (!action) {
      logger.warn('Expiry of an unknown action', { actionId: event.actionId });
      return { actionId: event.actionId, status: 'Expired' };
    }
    if (action.status !== 'Pending' && action.status !== 'Approved') {
      await refreshInvestigation(ports, event.investigationId);
      return { actionId: action.id, status: action.status };
    }
    const at = ports.clock();
    const expired = await ports.actions.transition(action.id, 'Expired', at);
    if (movedBy(expired, at)) {
      await recordChange(ports, {
        at,
        actor: SYSTEM_ACTOR,
        event: 'ActionExpired',
        action: expired,
        before: action.status,
      });
      logger.info('Action expired', { actionId: action.id, error: event.error?.Error });
      countMetric('ActionsExpired');
    }
    await refreshInvestigation(ports, event.investigationId);
    return { actionId: expired.id, status: expired.status };
  };
}
