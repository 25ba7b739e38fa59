// Undo: reverses a completed remediation through its connector.
import { actionResultOf, auditRecordOf } from '../core/action-changes.js';
import { ConflictError, ConnectorFailedError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import { assertMayDecide } from '../core/permissions.js';
import { WORKFLOW_ERRORS } from '../core/workflow-errors.js';
import { logger } from '../observability.js';
import { appendOwedSoon } from './audit-appender.js';
import type { Caller } from './caller.js';
import {
  assertActionId,
  assertMayDecideAny,
  type DecisionInput,
  type DecisionPorts,
} from './decide.js';

/** How long one undo holds its claim: past any connector timeout, so only a crashed undo's claim lapses. */
const UNDO_CLAIM_SECONDS = 300;

/**
 * Reverses a completed remediation through its connector; only undoable, Completed actions.
 * The action is claimed first, so concurrent undos run the connector once (the others get 409).
 */
export async function undoAction(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  input: DecisionInput = {},
): Promise<Action> {
  assertActionId(actionId);
  assertMayDecideAny(caller);
  const action = await ports.actions.read(actionId, ports.clock());
  assertMayDecide(caller.roles, action.category);
  if (!action.undoable) {
    throw new ConflictError(`Action ${action.id} (${action.type}) cannot be undone`, action);
  }
  if (action.status !== 'Completed') {
    throw new ConflictError(
      `Action ${action.id} is ${action.status}; only a Completed action can be undone`,
      action,
    );
  }
  const claimedAt = ports.clock();
  await ports.actions.claimUndo(
    actionId,
    claimedAt,
    new Date(claimedAt.getTime() + UNDO_CLAIM_SECONDS * 1000),
  );
  const outcome = await ports.connectors
    .connectorFor(action)
    .undo(action)
    .catch(async (error: unknown) => {
      await ports.actions.releaseUndo(actionId).catch((releaseError: unknown) =>
        logger.warn('Undo claim not released; it lapses on its own', {
          actionId,
          reason: (releaseError as Error).message,
        }),
      );
      const name = (error as Error).name;
      logger.warn('Undo failed at the connector', {
        actionId,
        errorName: name,
        reason: (error as Error).message,
      });
      const retryable = name !== WORKFLOW_ERRORS.connectorPermanent;
      throw new ConnectorFailedError(
        retryable
          ? 'The remediation system could not be reached to undo the action; it stays Completed. Try again.'
          : 'The remediation system refused to undo the action; it stays Completed. See the log for why.',
        retryable,
      );
    });
  const at = ports.clock();
  const result = actionResultOf({ ...outcome, outcome: outcome.outcome || 'undone' }, at);
  const audit = auditRecordOf({
    at,
    actor: caller.user,
    event: 'ActionUndone',
    action: { ...action, status: 'Undone' },
    before: 'Completed',
    comment: input.comment,
  });
  const undone = await ports.actions.transition(actionId, 'Undone', at, { result }, audit);
  await appendOwedSoon(ports, [actionId]);
  logger.info('Action undone', { actionId, by: caller.user });
  return undone;
}
