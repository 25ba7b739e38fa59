// RecordRemediationFailure: the connector failed for good (or Remediate broke): the action
// becomes Failed with the reason in its result, and the failure is audited.
import type { Action, ActionResult } from '../../core/model.js';
import { countMetric, logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';
import {
  type ActionStep,
  movedBy,
  recordChange,
  refreshInvestigation,
  SYSTEM_ACTOR,
} from './progress.js';
import { reasonOf, type TaskFailure } from './task-failure.js';

export interface RemediationFailureEvent {
  investigationId: string;
  actionId: string;
  error?: TaskFailure;
}

export function createRecordRemediationFailureHandler(
  ports: Pick<WorkflowPorts, 'actions' | 'audit' | 'investigations' | 'clock'>,
) {
  return async (event: RemediationFailureEvent): Promise<ActionStep> => {
    let action: Action | undefined = await ports.actions.get(event.actionId);
    if (!action) {
      logger.warn('Remediation failed for an unknown action', { actionId: event.actionId });
      return { actionId: event.actionId, status: 'Failed' };
    }
    const at = ports.clock();
    // Remediate may have broken before the action started running.
    if (action.status === 'Approved') {
      action = await ports.actions.transition(action.id, 'Running', at);
    }
    if (action.status !== 'Running') return { actionId: action.id, status: action.status };

    const reason = reasonOf(event.error);
    const result: ActionResult = {
      outcome: 'Failed',
      detail: reason.length > 4000 ? reason.slice(0, 4000) : reason,
      at: at.toISOString(),
    };
    const failed = await ports.actions.transition(action.id, 'Failed', at, { result });
    if (movedBy(failed, at)) {
      await recordChange(ports, {
        at,
        actor: SYSTEM_ACTOR,
        event: 'ActionFailed',
        action: failed,
        before: 'Running',
        comment: result.detail,
      });
      logger.warn('Remediation failed', { actionId: action.id, reason });
      countMetric('RemediationsFailed');
    }
    await refreshInvestigation(ports, event.investigationId);
    return { actionId: failed.id, status: failed.status };
  };
}
