// Deciding actions: approve, reject, bulk decisions and undo. A decision is one conditional write
// (it happens once or not at all), then one audit entry, then the callback to the waiting
// workflow; a callback that cannot be delivered now stays owed for the reconciler.
import type { ActionStore, AuditLog } from '../adapters/dynamodb/index.js';
import {
  ConflictError,
  ConnectorFailedError,
  ExpiredError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../core/errors.js';
import { isActionId } from '../core/ids.js';
import type { Action, AuditRecord } from '../core/model.js';
import { assertMayDecide, permissionsOf } from '../core/permissions.js';
import type { Clock, ConnectorRegistry, Workflow } from '../core/ports.js';
import { WORKFLOW_ERRORS } from '../core/workflow-errors.js';
import { countMetric, logger } from '../observability.js';
import { DEFAULT_CALLBACK_RETRY, type RetryPolicy, sendDecision } from './callbacks.js';
import type { Caller } from './caller.js';

export interface DecisionPorts {
  actions: Pick<ActionStore, 'read' | 'decide' | 'callbackDelivered' | 'transition'>;
  audit: Pick<AuditLog, 'append'>;
  workflow: Workflow;
  connectors: ConnectorRegistry;
  clock: Clock;
  callbackRetry?: RetryPolicy;
}

/**
 * A wait gone within this margin of the action's expiry timed out; gone earlier, it was replaced
 * by a retried AwaitDecision. The API and the reconciler read a gone task the same way.
 */
export const TASK_GONE_EXPIRY_SKEW_SECONDS = 300;

function nearExpiry(action: Action, now: Date): boolean {
  return now.getTime() >= Date.parse(action.expiresAt) - TASK_GONE_EXPIRY_SKEW_SECONDS * 1000;
}

/** The actor of entries no person caused (an approval that arrived after the wait ended). */
export const SYSTEM_ACTOR = 'System';

export type Verdict = 'approve' | 'reject';

export interface DecisionOutcome {
  action: Action;
  /** The approval is recorded but its callback is still owed: the reconciler will deliver it. */
  remediation?: 'queued';
}

export interface DecisionInput {
  comment?: string;
}

function assertActionId(actionId: string): void {
  if (!isActionId(actionId)) {
    throw new ValidationError('Invalid action id', { fields: { id: 'malformed action id' } });
  }
}

/** Callers who may decide no category at all are refused before anything is read. */
function assertMayDecideAny(caller: Caller): void {
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
 * The transition was this call's own: `transition` answers an action already in the target
 * status as it is, and only the write that moved it stamps `updatedAt` with this call's time.
 */
const movedBy = (action: Action, at: Date) => action.updatedAt === at.toISOString();

async function audit(ports: Pick<DecisionPorts, 'audit'>, record: AuditRecord): Promise<void> {
  const entry: AuditRecord = { ...record };
  if (entry.comment === undefined) delete entry.comment;
  await ports.audit.append(entry);
}

/**
 * An approval whose wait already ended (the engine timed it out): the action becomes Expired.
 * Answers the expired action, or undefined when the workflow had moved the action on already.
 */
export async function expireUndeliverable(
  ports: {
    actions: Pick<ActionStore, 'transition' | 'callbackDelivered'>;
    audit: DecisionPorts['audit'];
    clock: Clock;
  },
  action: Action,
): Promise<Action | undefined> {
  const at = ports.clock();
  try {
    const expired = await ports.actions.transition(action.id, 'Expired', at);
    if (movedBy(expired, at)) {
      await audit(ports, {
        at: at.toISOString(),
        actor: SYSTEM_ACTOR,
        event: 'ActionExpired',
        actionId: action.id,
        investigationId: action.investigationId,
        before: action.status,
        after: 'Expired',
      });
      countMetric('ActionsExpired');
    }
    return expired;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    await ports.actions.callbackDelivered(action.id);
    return undefined;
  }
}

/**
 * Shared by the decisions of one request: once a callback failed after all its retries, the
 * others try once, so a Step Functions outage cannot hold a bulk call past its time limit.
 */
interface CallbackBreaker {
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
  if (result === 'taskGone' && action.status === 'Approved' && !nearExpiry(action, ports.clock())) {
    // Far from its expiry the wait did not time out: its AwaitDecision attempt was retried (or,
    // locally, replayed) under a new token, and registering that token re-delivers the decision.
    logger.warn('Approval reached a replaced wait; it stays owed to the new one', {
      actionId: action.id,
    });
    return queued;
  }
  if (result === 'taskGone' && action.status === 'Approved') {
    const expired = await expireUndeliverable(ports, action);
    if (expired) {
      throw new ExpiredError(
        `Action ${action.id} expired before the approval reached its workflow`,
        expired,
      );
    }
    return { action };
  }
  // Delivered, or a rejection whose wait already ended: either way nothing is done to the target.
  try {
    await ports.actions.callbackDelivered(action.id);
  } catch (error) {
    logger.warn('Could not mark the callback delivered; the reconciler will settle it', {
      actionId: action.id,
      errorName: (error as Error).name,
    });
  }
  return { action };
}

async function decideAction(
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
  await audit(ports, {
    at: now.toISOString(),
    actor: caller.user,
    event: verdict === 'approve' ? 'ActionApproved' : 'ActionRejected',
    actionId,
    investigationId: decided.action.investigationId,
    before: 'Pending',
    after: decided.action.status,
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

export type BulkOutcome =
  | 'approved'
  | 'rejected'
  | 'conflict'
  | 'expired'
  | 'forbidden'
  | 'notFound';

export interface BulkResult {
  id: string;
  outcome: BulkOutcome;
  remediation?: 'queued';
}

/** How many decisions of a bulk call run at once (each is a few writes and one callback). */
const BULK_CONCURRENCY = 8;

function bulkOutcomeOf(error: unknown): BulkOutcome | undefined {
  if (error instanceof ExpiredError) return 'expired';
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof ForbiddenError) return 'forbidden';
  if (error instanceof NotFoundError) return 'notFound';
  return undefined;
}

/** Runs `work` over `items`, at most `limit` at a time; an unexpected failure is rethrown at the end. */
async function forEachLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
}

/**
 * One decision for up to 100 actions, each settled on its own: the results say, per id, what
 * happened. A repeated id is decided once.
 */
export async function decideMany(
  ports: DecisionPorts,
  caller: Caller,
  request: { actionIds: readonly string[]; decision: Verdict; comment?: string },
): Promise<{ results: BulkResult[] }> {
  request.actionIds.forEach(assertActionId);
  assertMayDecideAny(caller);
  const ids = [...new Set(request.actionIds)];
  const decided: BulkOutcome = request.decision === 'approve' ? 'approved' : 'rejected';
  const breaker: CallbackBreaker = { open: false };
  const results = await forEachLimited(ids, BULK_CONCURRENCY, async (id): Promise<BulkResult> => {
    try {
      const outcome = await decideAction(
        ports,
        caller,
        id,
        request.decision,
        { comment: request.comment },
        breaker,
      );
      return outcome.remediation
        ? { id, outcome: decided, remediation: 'queued' }
        : { id, outcome: decided };
    } catch (error) {
      const outcome = bulkOutcomeOf(error);
      if (outcome === undefined) throw error;
      return { id, outcome };
    }
  });
  return { results };
}

const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/** Reverses a completed remediation through its connector; only undoable, Completed actions. */
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
  const outcome = await ports.connectors
    .connectorFor(action)
    .undo(action)
    .catch((error: unknown) => {
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
  const result: NonNullable<Action['result']> = {
    outcome: clip(outcome.outcome || 'undone', 64),
    at: at.toISOString(),
  };
  if (outcome.detail) result.detail = clip(outcome.detail, 4000);
  const undone = await ports.actions.transition(actionId, 'Undone', at, { result });
  if (movedBy(undone, at)) {
    await audit(ports, {
      at: at.toISOString(),
      actor: caller.user,
      event: 'ActionUndone',
      actionId,
      investigationId: action.investigationId,
      before: 'Completed',
      after: 'Undone',
      comment: input.comment,
    });
  }
  logger.info('Action undone', { actionId, by: caller.user });
  return undone;
}

export interface ReconcileOptions {
  /** Decisions younger than this are left to the API call that is still delivering them. */
  graceSeconds?: number;
  /** Owed callbacks read per run (oldest first). */
  batchSize?: number;
  /**
   * The engine ends a wait at most this long before the action's own expiry (it starts waiting a
   * little before the action is registered). A task gone earlier than that was not timed out:
   * the callback had been delivered and only its bookkeeping was lost.
   */
  expirySkewSeconds?: number;
}

export interface ReconcileSummary {
  delivered: number;
  expired: number;
  /** Nothing left to send: the workflow had the decision, or a rejection outlived its wait. */
  settled: number;
  failed: number;
  deferred: number;
}

export interface ReconcilePorts {
  actions: Pick<ActionStore, 'callbacksOwed' | 'callbackDelivered' | 'transition'>;
  audit: DecisionPorts['audit'];
  workflow: Workflow;
  clock: Clock;
  callbackRetry?: RetryPolicy;
}

/** Re-sends every decision whose callback is still owed, and marks the delivered ones. */
export async function reconcileCallbacks(
  ports: ReconcilePorts,
  options: ReconcileOptions = {},
): Promise<ReconcileSummary> {
  const {
    graceSeconds = 120,
    batchSize = 100,
    expirySkewSeconds = TASK_GONE_EXPIRY_SKEW_SECONDS,
  } = options;
  const summary: ReconcileSummary = {
    delivered: 0,
    expired: 0,
    settled: 0,
    failed: 0,
    deferred: 0,
  };
  const now = ports.clock().getTime();
  const policy = ports.callbackRetry ?? DEFAULT_CALLBACK_RETRY;
  for (const { action, taskToken } of await ports.actions.callbacksOwed(batchSize)) {
    const decidedAt = action.decision ? Date.parse(action.decision.at) : 0;
    if (decidedAt > now - graceSeconds * 1000) {
      summary.deferred += 1;
      continue;
    }
    if (action.status !== 'Approved' && action.status !== 'Rejected') {
      await ports.actions.callbackDelivered(action.id);
      summary.settled += 1;
      continue;
    }
    if (taskToken === undefined) {
      logger.error('Owed callback has no task token', { actionId: action.id });
      summary.failed += 1;
      continue;
    }
    // After one callback failed every retry, the rest of this run tries each once.
    const result = await sendDecision(
      ports.workflow,
      action,
      taskToken,
      summary.failed > 0 ? { ...policy, attempts: 1 } : policy,
    );
    if (result === 'failed') {
      summary.failed += 1;
    } else if (result === 'delivered') {
      await ports.actions.callbackDelivered(action.id);
      summary.delivered += 1;
    } else if (
      action.status === 'Approved' &&
      now >= Date.parse(action.expiresAt) - expirySkewSeconds * 1000
    ) {
      const expired = await expireUndeliverable(ports, action);
      if (expired) summary.expired += 1;
      else summary.settled += 1;
    } else {
      if (action.status === 'Approved') {
        logger.warn('Approved action whose wait ended before its expiry', { actionId: action.id });
      }
      await ports.actions.callbackDelivered(action.id);
      summary.settled += 1;
    }
  }
  return summary;
}
