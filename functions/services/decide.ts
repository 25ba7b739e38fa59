// Deciding one action: approve or reject. A decision is one conditional write (it happens once or
// not at all) that also owes its audit record, then a wake of the investigation's workflow, which
// does the rest (remediation, or nothing for a rejection); a wake that cannot be delivered now
// stays owed for the reconciler. The owed record is appended to the chain before the answer when
// it can be, by the reconciler's appender otherwise.
import { auditRecordOf } from '../core/action-changes.js';
import { ConflictError, ExpiredError, ForbiddenError, ValidationError } from '../core/errors.js';
import { isActionId } from '../core/ids.js';
import type { Action } from '../core/model.js';
import { assertMayDecide, permissionsOf } from '../core/permissions.js';
import type {
  ActionStore,
  Clock,
  ConnectorRegistry,
  InvestigationStore,
  Workflow,
} from '../core/ports.js';
import { countMetric, logger } from '../observability.js';
import { type AppenderPorts, appendOwedSoon } from './audit-appender.js';
import type { Caller } from './caller.js';
import { forEachLimited } from './limited.js';
import { DEFAULT_WAKE_RETRY, type RetryPolicy, wakeInvestigation } from './wake.js';

export interface DecisionPorts {
  actions: Pick<
    ActionStore,
    | 'read'
    | 'decide'
    | 'callbackDelivered'
    | 'transition'
    | 'claimUndo'
    | 'releaseUndo'
    | 'auditOwed'
    | 'auditOwedBy'
    | 'clearAuditOwed'
  >;
  investigations: Pick<InvestigationStore, 'wake'>;
  audit: AppenderPorts['audit'];
  workflow: Workflow;
  connectors: ConnectorRegistry;
  clock: Clock;
  /** Retries of the wake sent to the investigation's workflow. */
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
 * Shared by the decisions of one request: once a wake failed after all its retries, the others
 * try once, so a Step Functions outage cannot hold a bulk call past its time limit.
 */
export interface CallbackBreaker {
  open: boolean;
}

/** Investigations woken at once by one request. */
const WAKE_CONCURRENCY = 8;

/**
 * Wakes the investigations of decided actions, once each, and settles what is owed. Answers the
 * ids whose wake is still owed (the reconciler delivers it): their approvals are `queued`.
 */
export async function wakeInvestigationsOf(
  ports: Pick<DecisionPorts, 'actions' | 'investigations' | 'workflow' | 'callbackRetry'>,
  actions: readonly Action[],
  breaker: CallbackBreaker = { open: false },
): Promise<Set<string>> {
  const byInvestigation = new Map<string, Action[]>();
  for (const action of actions) {
    byInvestigation.set(action.investigationId, [
      ...(byInvestigation.get(action.investigationId) ?? []),
      action,
    ]);
  }
  const owed = new Set<string>();
  await forEachLimited(
    [...byInvestigation],
    WAKE_CONCURRENCY,
    async ([investigationId, decided]) => {
      const policy = ports.callbackRetry ?? DEFAULT_WAKE_RETRY;
      const result = await wakeInvestigation(
        ports,
        investigationId,
        breaker.open ? { ...policy, attempts: 1 } : policy,
      );
      if (result === 'failed') {
        breaker.open = true;
        for (const action of decided) owed.add(action.id);
        return;
      }
      for (const action of decided) await markDelivered(ports, action.id);
    },
  );
  return owed;
}

/** Failing to note a delivered wake only leaves the reconciler a harmless resend. */
async function markDelivered(
  ports: Pick<DecisionPorts, 'actions'>,
  actionId: string,
): Promise<void> {
  try {
    await ports.actions.callbackDelivered(actionId);
  } catch (error) {
    logger.warn('Could not mark the wake delivered; the reconciler will settle it', {
      actionId,
      errorName: (error as Error).name,
    });
  }
}

/** What the caller is told: an approval whose wake is still owed is `queued`. */
export function outcomeOf(action: Action, owed: ReadonlySet<string>): DecisionOutcome {
  return action.status === 'Approved' && owed.has(action.id)
    ? { action, remediation: 'queued' }
    : { action };
}

/** Records one decision (the conditional write, owing its audit record), without waking anything. */
export async function recordDecision(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  verdict: Verdict,
  input: DecisionInput,
): Promise<Action> {
  assertActionId(actionId);
  assertMayDecideAny(caller);
  const now = ports.clock();
  const current = await ports.actions.read(actionId, now);
  assertMayDecide(caller.roles, current.category);
  assertPending(current);
  const audit = auditRecordOf({
    at: now,
    actor: caller.user,
    event: verdict === 'approve' ? 'ActionApproved' : 'ActionRejected',
    action: { ...current, status: verdict === 'approve' ? 'Approved' : 'Rejected' },
    before: 'Pending',
    comment: input.comment,
  });
  const decided = await ports.actions
    .decide(actionId, { verdict, by: caller.user, comment: input.comment }, now, audit)
    .catch((error) => {
      throw expiredIfExpired(error);
    });
  logger.info('Action decided', { actionId, verdict, by: caller.user });
  countMetric(verdict === 'approve' ? 'ActionsApproved' : 'ActionsRejected');
  return decided;
}

export async function decideAction(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  verdict: Verdict,
  input: DecisionInput,
): Promise<DecisionOutcome> {
  const decided = await recordDecision(ports, caller, actionId, verdict, input);
  const owed = await wakeInvestigationsOf(ports, [decided]);
  await appendOwedSoon(ports, [decided.id]);
  return outcomeOf(decided, owed);
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
