// AwaitDecision: invoked by the `.waitForTaskToken` task. Registers the pending action with the
// token its wait listens on; the API later settles the wait with SendTaskSuccess or
// SendTaskFailure(ActionRejected), and the state machine's TimeoutSeconds ends it otherwise.
// A replayed task (a retry, or an execution run again after a restart) gets a new token: if the
// action was decided meanwhile, the decision is delivered to the new token at once.
import { closingMoveOf } from '../../core/execution-end.js';
import type { Action, Investigation } from '../../core/model.js';
import { onWaitRegistered } from '../../core/waits.js';
import { ActionExpiredError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import type { WorkflowPorts } from './ports.js';
import { refreshInvestigation } from './progress.js';
import { recordMove } from './settle.js';

interface AwaitDecisionEvent {
  taskToken: string;
  investigationId: string;
  action: Action;
}

interface AwaitDecisionResult {
  actionId: string;
  status: Action['status'];
  /** The decision made before this wait began and delivered to its token. */
  redelivered?: 'approved' | 'rejected';
}

export function createAwaitDecisionHandler(
  ports: Pick<
    WorkflowPorts,
    'actions' | 'investigations' | 'audit' | 'workflow' | 'clock' | 'settings'
  >,
) {
  return async (event: AwaitDecisionEvent): Promise<AwaitDecisionResult> => {
    const now = ports.clock();
    // The wait starts now, so the action's expiry is stamped now: the API stops accepting
    // decisions when the state machine's TimeoutSeconds is about to end the wait.
    const proposed: Action = {
      ...event.action,
      status: 'Pending',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(
        now.getTime() + ports.settings.pendingActionTtlSeconds * 1000,
      ).toISOString(),
    };
    const { action, created } = await ports.actions.registerPending(proposed, event.taskToken);
    const actionId = action.id;
    if (created) {
      const investigation = await refreshInvestigation(ports, event.investigationId);
      if (investigation.endedAt) return closeLate(ports, event, action, investigation.status);
      return { actionId, status: 'Pending' };
    }

    switch (onWaitRegistered(action, now)) {
      case 'wait':
        return { actionId, status: 'Pending' };
      case 'expired':
        throw new ActionExpiredError(`Action ${actionId} expired at ${action.expiresAt}`);
      case 'rejected':
        await ports.workflow.reject(
          event.taskToken,
          `Rejected by ${action.decision?.by ?? 'an operator'}`,
        );
        await settled(ports, actionId);
        return { actionId, status: action.status, redelivered: 'rejected' };
      case 'approved':
        await ports.workflow.approve(event.taskToken, { actionId, decision: action.decision });
        await settled(ports, actionId);
        return { actionId, status: action.status, redelivered: 'approved' };
    }
  };
}

/**
 * The investigation ended (its execution was stopped or failed, and executionStatus closed its
 * actions) while this task was still running: the action it just registered is closed the same way,
 * so nothing stays decidable for a workflow that is gone.
 */
async function closeLate(
  ports: Pick<WorkflowPorts, 'actions' | 'investigations' | 'audit' | 'clock'>,
  event: AwaitDecisionEvent,
  action: Action,
  ended: Investigation['status'],
): Promise<AwaitDecisionResult> {
  const at = ports.clock();
  const reason = `The investigation had ended (${ended}) when this action was registered`;
  const move = closingMoveOf(action, at, reason);
  const closed = move ? await recordMove(ports, action, at, move) : action;
  await refreshInvestigation(ports, event.investigationId);
  logger.warn('Action registered after its investigation ended; closed', {
    actionId: action.id,
    investigationId: event.investigationId,
    status: closed.status,
  });
  return { actionId: closed.id, status: closed.status };
}

/** The callback is delivered; failing to note it only leaves the reconciler a harmless resend. */
async function settled(ports: Pick<WorkflowPorts, 'actions'>, actionId: string): Promise<void> {
  try {
    await ports.actions.callbackDelivered(actionId);
  } catch (error) {
    logger.warn('Could not mark the callback delivered', {
      actionId,
      errorName: (error as Error).name,
    });
  }
}
