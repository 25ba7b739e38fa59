// RecordRemediationFailure: the connector failed for good (or Remediate broke): the action
// becomes Failed with the reason in its result, and the failure is audited.
import { actionResultOf } from '../../core/action-changes.js';
import { countMetric, logger } from '../../observability.js';
import { type ActionStep, moveAction, type SettlePorts, stepOf } from './settle.js';
import { reasonOf, type TaskFailure } from './task-failure.js';

interface RemediationFailureEvent {
  investigationId: string;
  actionId: string;
  error?: TaskFailure;
}

export function createRecordRemediationFailureHandler(ports: SettlePorts) {
  return async (event: RemediationFailureEvent): Promise<ActionStep> => {
    const action = await ports.actions.get(event.actionId);
    if (!action) {
      logger.warn('Remediation failed for an unknown action', { actionId: event.actionId });
      return { actionId: event.actionId, status: 'Failed' };
    }
    const at = ports.clock();
    // Remediate may have broken before the action started running.
    const running =
      action.status === 'Approved'
        ? await ports.actions.transition(action.id, 'Running', at)
        : action;
    if (running.status !== 'Running') return stepOf(running);

    const reason = reasonOf(event.error);
    const result = actionResultOf({ outcome: 'Failed', detail: reason }, at);
    const failed = await moveAction(ports, event.investigationId, running, at, {
      to: 'Failed',
      event: 'ActionFailed',
      comment: result.detail,
      patch: { result },
      onMoved: () => {
        logger.warn('Remediation failed', { actionId: action.id, reason });
        countMetric('RemediationsFailed');
      },
    });
    return stepOf(failed);
  };
}
