// Deciding one action: approve or reject. A decision is one conditional write (it happens once or
// not at all) that also owes its audit record, then a wake of the investigation's workflow, which
// does the rest (remediation, or nothing for a rejection); a wake that cannot be delivered now
// stays owed for the reconciler. The owed record is the appender's to chain (audit-appender.ts).
import { auditRecordOf } from '../core/action-changes.js';
import { type ApprovalPolicies, policyResourceOf } from '../core/approval-policies.js';
import { ConflictError, ExpiredError, ForbiddenError, ValidationError } from '../core/errors.js';
import { isActionId } from '../core/ids.js';
import { type Action, type Approval, MAX_APPROVALS } from '../core/model.js';
import type { ActionStore, Clock, InvestigationStore, Workflow } from '../core/ports.js';
import { hasApproved, isBelowQuorum, quorumRolesOf, roleRefusal } from '../core/quorum.js';
import { countMetric, logger } from '../observability.js';
import { assertAllowed, assertMayDecideAny } from './authorization.js';
import type { Caller } from './caller.js';
import { forEachLimited } from './limited.js';
import { DEFAULT_WAKE_RETRY, type RetryPolicy, wakeInvestigation } from './wake.js';

export interface DecisionPorts {
  actions: Pick<
    ActionStore,
    'read' | 'readMany' | 'decide' | 'recordApproval' | 'callbackDelivered' | 'oweAudit'
  >;
  investigations: Pick<InvestigationStore, 'wake'>;
  workflow: Workflow;
  clock: Clock;
  /** Who may decide what (Cedar; the defaults are API.md's role table). */
  policies: ApprovalPolicies;
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
  /** The decision came through a decision link (services/links.ts): its audit record says so. */
  via?: 'link';
}

export function assertActionId(actionId: string): void {
  if (!isActionId(actionId)) {
    throw new ValidationError('Invalid action id', { fields: { id: 'malformed action id' } });
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

/**
 * Investigations woken at once by one request (an UpdateItem and a SendTaskSuccess each, well
 * within SendTaskSuccess's burst quota): 100 took 1.9 s at 8, 0.75 s at 32 locally.
 */
const WAKE_CONCURRENCY = 32;

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
      // An approval's owed wake is settled by the workflow moving it on (ActionStore.transition),
      // one write fewer on the operator's path; a rejection leaves the workflow nothing to write.
      for (const action of decided) {
        if (action.status !== 'Approved') await markDelivered(ports, action.id);
      }
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

/** A few rounds: each lost race is another person's approval landing first, at most the quorum. */
const QUORUM_ATTEMPTS = MAX_APPROVALS + 1;

/**
 * Records one decision (the conditional write, owing its audit record), without waking anything.
 * An approval below the quorum is recorded and leaves the action Pending; the one reaching it
 * approves. Two people approving at once both count: the one that lost the write reads again.
 * `read`: the action as the caller already read it (a bulk call reads all of its actions at once),
 * used for the first attempt only.
 */
export async function recordDecision(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  verdict: Verdict,
  input: DecisionInput,
  read?: Action,
): Promise<Action> {
  assertActionId(actionId);
  assertMayDecideAny(ports.policies, caller);
  for (let attempt = 1; ; attempt += 1) {
    const now = ports.clock();
    // The first read may be eventually consistent: the write below is conditional on what it
    // relies on (Pending, unexpired, the approvals seen), and a lost race reads consistently.
    const current =
      attempt === 1 && read
        ? read
        : await ports.actions.read(actionId, now, { consistent: attempt > 1 });
    const policy = await allowedOrAudited(ports, caller, verdict, current, now, input.via);
    assertPending(current);
    if (verdict === 'approve' && hasApproved(current, caller.user)) {
      throw new ConflictError(`${caller.user} approved action ${actionId} already`, current);
    }
    if (verdict === 'approve' && isBelowQuorum(current)) {
      const recorded = await recordApproval(ports, caller, current, input, policy, now);
      if (recorded) return recorded;
      if (attempt >= QUORUM_ATTEMPTS) {
        throw new ConflictError(`Action ${actionId} kept changing; try again`, current);
      }
      continue;
    }
    const audit = auditRecordOf({
      at: now,
      actor: caller.user,
      event: verdict === 'approve' ? 'ActionApproved' : 'ActionRejected',
      action: { ...current, status: verdict === 'approve' ? 'Approved' : 'Rejected' },
      before: 'Pending',
      comment: input.comment,
      policy,
      via: input.via,
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
}

/**
 * The policies that allow this decision; a refusal (by the policies, or by the quorum's roles) is
 * audited as DecisionRefused, naming the refusing policies, before its 403.
 */
async function allowedOrAudited(
  ports: DecisionPorts,
  caller: Caller,
  verdict: Verdict,
  current: Action,
  now: Date,
  via: DecisionInput['via'],
): Promise<string[]> {
  let refused: { error: ForbiddenError; policy: string[] } | undefined;
  let allowed: string[] = [];
  try {
    allowed = assertAllowed(ports.policies, caller, verdict, current);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    const answer = ports.policies.decide(caller, verdict, policyResourceOf(current));
    refused = { error, policy: answer.policies };
  }
  const roles = !refused && verdict === 'approve' ? roleRefusal(current, caller.roles) : undefined;
  if (roles) {
    refused = { error: new ForbiddenError(roles), policy: current.approvals?.policy ?? [] };
  }
  if (!refused) return allowed;
  const audit = auditRecordOf({
    at: now,
    actor: caller.user,
    event: 'DecisionRefused',
    action: current,
    before: current.status,
    comment: `${verdict} refused: ${refused.error.message}`,
    policy: refused.policy,
    via,
  });
  // The 403 stands whether or not the record could be written.
  await ports.actions.oweAudit(current.id, audit).catch((failure: unknown) => {
    logger.warn('A refused decision could not be audited', {
      actionId: current.id,
      errorName: (failure as Error).name,
    });
  });
  logger.info('Decision refused', { actionId: current.id, verdict, by: caller.user });
  throw refused.error;
}

/** An approval below the quorum, owing its audit record; undefined when another approval landed first. */
async function recordApproval(
  ports: DecisionPorts,
  caller: Caller,
  current: Action,
  input: DecisionInput,
  policy: string[],
  now: Date,
): Promise<Action | undefined> {
  const approval: Approval = { by: caller.user, at: now.toISOString() };
  if (input.comment !== undefined) approval.comment = input.comment;
  const roles = quorumRolesOf(current, caller.roles);
  if (roles) approval.roles = roles;
  const seen = current.approvals?.received.length ?? 0;
  const audit = auditRecordOf({
    at: now,
    actor: caller.user,
    event: 'ApprovalRecorded',
    action: current,
    before: 'Pending',
    comment: input.comment,
    policy,
    via: input.via,
  });
  let recorded: Action;
  try {
    recorded = await ports.actions.recordApproval(current.id, approval, seen, now, audit);
  } catch (error) {
    if (error instanceof ConflictError && error.action?.status === 'Pending') return undefined;
    throw error;
  }
  logger.info('Approval recorded', {
    actionId: current.id,
    by: caller.user,
    received: seen + 1,
    required: current.approvals?.required,
  });
  return recorded;
}

export async function decideAction(
  ports: DecisionPorts,
  caller: Caller,
  actionId: string,
  verdict: Verdict,
  input: DecisionInput,
): Promise<DecisionOutcome> {
  const decided = await recordDecision(ports, caller, actionId, verdict, input);
  // An approval below the quorum changes nothing the workflow acts on.
  if (decided.status === 'Pending') return { action: decided };
  return outcomeOf(decided, await wakeInvestigationsOf(ports, [decided]));
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
