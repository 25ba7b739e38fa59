// Deciding one action: approve or reject. A decision is one conditional write (it happens once or
// not at all), then one audit entry, then the callback to the waiting workflow; a callback that
// cannot be delivered now stays owed for the reconciler.
import { ConflictError, ExpiredError, ForbiddenError, ValidationError } from '../core/errors.js';
import { isActionId } from '../core/ids.js';
import type { Action } from '../core/model.js';
import { assertMayDecide, permissionsOf } from '../core/permissions.js';
import type { ActionStore, AuditLog, Clock, ConnectorRegistry, Workflow } from '../core/ports.js';
import { afterWaitGone } from '../core/waits.js';
import { countMetric, logger } from '../observability.js';
import { recordChange } from './audit-trail.js';
import {
  DEFAULT_CALLBACK_RETRY,
  expireUndeliverable,
  type RetryPolicy,
  sendDecision,
} from './callbacks.js';
import type { Caller } from './caller.js';

export interface DecisionPorts {
  actions: Pick<
    ActionStore,
    'read' | 'decide' | 'callbackDelivered' | 'transition' | 'claimUndo' | 'releaseUndo'
  >;
  audit: Pick<AuditLog, 'append'>;
  workflow: Workflow;
  connectors: ConnectorRegistry;
  clock: Clock;
  callbackRetry?: RetryPolicy;
}

export type Verdict = 'approve' | 'reject';

export interface DecisionOutcome {
  action: Action;
  /** The approval is recorded but its callback is still owed: the reconciler will deliver it. */
  remediation?: 'queued';
}

export interface DecisionInput {
  comment?: string;
}

export function assertActionId(actionId: string): void {
  if (!isActionId(actionId)) {
    throw new ValidationError('Invalid action id', { fields: { id: 'malformed action id' } });
  }
}

/** Callers who may decide no category at all are refused before anything is read. */
export function assertMayDecideAny(caller: Caller): void {
  const can = permissionsOf(caller.roles);
  if (!can.decideEndpoint && !can.decideEmail) {
    throw new ForbiddenError(
      'Deciding actions needs GlobalAdmin, SecurityAdmin, ActiveRemediationActions, or SecurityAdmin with SearchAndPurge for email',
    );
  }
}

function assertPending(action: Action): void {
  if (action.status === 'Expired') {
    throw new ExpiredError(`Action ${action.id} expired at ${action.expiresAt}`, action);
  }
  if (action.status !== 'Pending') {
    throw new ConflictError(`Action ${action.id} is already ${action.status}`, action);
  }
}

/** An action the workflow already expired is a 410, not a conflict. */
function expiredIfExpired(error: unknown): unknown {
  if (error instanceof ConflictError && error.action?.status === 'Expired') {
    return new ExpiredError(`Action ${error.action.id} expired`, error.action);
  }
  return error;
}

/**
 * Shared by the decisions of one request: once a callback failed after all its retries, the
 * others try once, so a Step Functions outage cannot hold a bulk call past its time limit.
 */
export interface CallbackBreaker {
  open: boolean;
}

/** Sends the decision to the waiting workflow and settles what is owed. */
async function deliver(
  ports: DecisionPorts,
  action: Action,
  taskToken: string | undefined,
  breaker: CallbackBreaker,
): Promise<DecisionOutcome> {
  const queued: DecisionOutcome =
    action.status === 'Approved' ? { action, remediation: 'queued' } : { action };
  if (taskToken === undefined) {
    logger.warn('Decision recorded without a task token; left to the reconciler', {
      actionId: action.id,
    });
    return queued;
  }
  const policy = ports.callbackRetry ?? DEFAULT_CALLBACK_RETRY;
  const result = await sendDecision(
    ports.workflow,
    action,
    taskToken,
    breaker.open ? { ...policy, attempts: 1 } : policy,
  );
  if (result === 'failed') {
    breaker.open = true;
    return queued;
  }
  const next = result === 'taskGone' ? afterWaitGone(action, ports.clock()) : 'settle';
  if (next === 'expire') {
    const expired = await expireUndeliverable(ports, action);
    if (expired) {
      throw new ExpiredError(
        `Action ${action.id} expired before the approval reached its workflow`,
        expired,
      );
    }
    return { action };
  }
  // Delivered; or a rejection whose wait ended, so nothing touches the target; or an approval
  // whose wait is being replaced, and the new wait takes it when it registers.
  try {
    await ports.actions.callbackDelivered(action.id);
  } catch (error) {
    logger.warn('Could not mark the callback delivered; the reconciler will settle it', {
      actionId: action.id,
      errorName: (error as Error).name,
    });
  }
  return result === 'taskGone' && action.status === 'Approved' ? queued : { action };
}

export async function decideAction(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  verdict: Verdict,
  input: DecisionInput,
  breaker: CallbackBreaker = { open: false },
): Promise<DecisionOutcome> {
  assertActionId(actionId);
  assertMayDecideAny(caller);
  const now = ports.clock();
  const current = await ports.actions.read(actionId, now);
  assertMayDecide(caller.roles, current.category);
  assertPending(current);
  const decided = await ports.actions
    .decide(actionId, { verdict, by: caller.user, comment: input.comment }, now)
    .catch((error) => {
      throw expiredIfExpired(error);
    });
  await recordChange(ports, {
    at: now,
    actor: caller.user,
    event: verdict === 'approve' ? 'ActionApproved' : 'ActionRejected',
    action: decided.action,
    before: 'Pending',
    comment: input.comment,
  });
  logger.info('Action decided', { actionId, verdict, by: caller.user });
  countMetric(verdict === 'approve' ? 'ActionsApproved' : 'ActionsRejected');
  return deliver(ports, decided.action, decided.taskToken, breaker);
}

export function approveAction(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  input: DecisionInput = {},
): Promise<DecisionOutcome> {
  return decideAction(ports, caller, actionId, 'approve', input);
}

export function rejectAction(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  input: DecisionInput = {},
): Promise<DecisionOutcome> {
  return decideAction(ports, caller, actionId, 'reject', input);
}
