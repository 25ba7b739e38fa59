// MarkExpired: the wait timed out (States.Timeout) or the action had already expired. A pending
// action becomes Expired; so does an approval whose callback arrived too late to be delivered.
import { countMetric, logger } from '../../observability.js';
import { type ActionStep, type SettlePorts, settleAction } from './settle.js';
import type { TaskFailure } from './task-failure.js';

interface MarkExpiredEvent {
  investigationId: string;
  actionId: string;
  error?: TaskFailure;
}

export function createMarkExpiredHandler(ports: SettlePorts) {
  return (event: MarkExpiredEvent): Promise<ActionStep> =>
    settleAction(ports, event, {
      unknown: 'Expiry of an unknown action',
      from: ['Pending', 'Approved'],
      to: 'Expired',
      event: 'ActionExpired',
      onMoved: (action) => {
        logger.info('Action expired', { actionId: action.id, error: event.error?.Error });
        countMetric('ActionsExpired');
      },
    });
}
