// Undoing one action, a step of the decision loop: a Completed action an operator asked to undo
// is reversed through its connector (idempotent per action: a replayed pass asks the target again
// and is answered the same), then recorded Undone. A transient failure is tried again later with
// the remediation's retries; once they are spent, or on a refusal, the failure is kept on the
// action, which stays Completed and may be undone again.
import { actionResultOf, auditRecordOf, movedBy, SYSTEM_ACTOR } from '../../core/action-changes.js';
import { type Action, TEXT_LIMITS, type UndoRecord, type UndoRequest } from '../../core/model.js';
import {
  afterTransientFailure,
  isDue,
  type RemediationTracking,
  startTracking,
} from '../../core/remediation.js';
import { clip } from '../../core/text.js';
import { WORKFLOW_ERRORS } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import type { RemediatePorts, RemediationStep } from './remediate.js';

/** A Completed action with `undoRequested`: undone through its connector when its try is due. */
export async function undoRequested(
  ports: RemediatePorts,
  action: Action,
  known: RemediationTracking | undefined,
): Promise<RemediationStep> {
  const request = action.undoRequested as UndoRequest;
  const connector = ports.connectors.connectorFor(action);
  const now = ports.clock();
  const tracking = known ?? startTracking(now, connector.timeoutSeconds);
  if (!isDue(tracking, now)) return { action, tracking };
  let outcome: Awaited<ReturnType<typeof connector.undo>>;
  try {
    outcome = await connector.undo(action);
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const transient = failure.name === WORKFLOW_ERRORS.connectorTransient;
    const next = transient
      ? afterTransientFailure(tracking, now, ports.settings.connectorRetry)
      : undefined;
    if (next) {
      logger.warn('Connector unavailable for an undo; trying again later', {
        actionId: action.id,
        connector: connector.name,
        failures: next.failures,
        checkAt: next.checkAt,
      });
      await ports.actions.track(action.id, next);
      return { action, tracking: next };
    }
    return { action: await undoFailed(ports, action, request, failure, transient) };
  }
  const at = ports.clock();
  const result = actionResultOf({ ...outcome, outcome: outcome.outcome || 'undone' }, at);
  // The operator who asked undid it; the workflow only carried it out.
  const audit = auditRecordOf({
    at,
    actor: request.by,
    event: 'ActionUndone',
    action: { ...action, status: 'Undone' },
    before: 'Completed',
    comment: request.comment,
  });
  const record: UndoRecord = {
    by: request.by,
    at: at.toISOString(),
    ...(request.comment !== undefined && { comment: request.comment }),
    requestedAt: request.at,
    ...(action.result !== undefined && { reversed: action.result }),
  };
  const undone = await ports.actions.transition(
    action.id,
    'Undone',
    at,
    { result, undone: record },
    audit,
  );
  if (movedBy(undone, at)) {
    logger.info('Action undone', { actionId: action.id, by: request.by });
  }
  return { action: undone };
}

async function undoFailed(
  ports: RemediatePorts,
  action: Action,
  request: UndoRequest,
  failure: Error,
  retryable: boolean,
): Promise<Action> {
  const at = ports.clock();
  const reason = failure.message ? `${failure.name}: ${failure.message}` : failure.name;
  const audit = auditRecordOf({
    at,
    actor: SYSTEM_ACTOR,
    event: 'UndoFailed',
    action,
    before: 'Completed',
    comment: reason,
  });
  const kept = await ports.actions.failUndo(
    action.id,
    {
      at: at.toISOString(),
      requestedAt: request.at,
      reason: clip(reason, TEXT_LIMITS.detail),
      retryable,
    },
    audit,
  );
  if (movedBy(kept, at)) {
    logger.warn('Undo failed at the connector', {
      actionId: action.id,
      errorName: failure.name,
      retryable,
    });
  }
  return kept;
}
