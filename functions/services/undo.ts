// Undo, as the API asks for it: the request is one conditional write on the Completed, undoable
// action (`undoRequested`) that also owes its audit record; then the investigation's workflow is woken (open) or reopened
// (concluded), and its Advance task carries the undo out through the connector. The API waits a
// little for the outcome: Undone is a 200, a failure the error it is, anything slower a 202.

import { auditRecordOf } from '../core/action-changes.js';
import type { ApprovalPolicies } from '../core/approval-policies.js';
import { ConflictError, ConnectorFailedError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import type {
  ActionStore,
  Clock,
  InvestigationStarter,
  InvestigationStore,
  Workflow,
} from '../core/ports.js';
import { UNDO_REQUEST_LAPSES_SECONDS, undoProgressOf } from '../core/undo.js';
import { logger } from '../observability.js';
import { assertAllowed, assertMayDecideAny } from './authorization.js';
import type { Caller } from './caller.js';
import { assertActionId, type DecisionInput } from './decide.js';
import { type RetryPolicy, wakeOrReopenInvestigation } from './wake.js';

export interface UndoPorts {
  actions: Pick<ActionStore, 'read' | 'readMany' | 'requestUndo'>;
  investigations: Pick<InvestigationStore, 'wakeOrReopen'>;
  workflow: Workflow;
  /** Starts a concluded investigation's workflow again. */
  starter: InvestigationStarter;
  stateMachineArn: string;
  clock: Clock;
  /** Who may undo what (Cedar; the defaults are API.md's role table). */
  policies: ApprovalPolicies;
  callbackRetry?: RetryPolicy;
  /** How long the request waits for the workflow's outcome, and how often it looks. */
  undoWait?: { seconds: number; pollMs?: number };
}

/** `finished`: the workflow settled the undo within the wait (Undone); else it is still under way. */
export interface UndoOutcome {
  action: Action;
  finished: boolean;
}

export const DEFAULT_UNDO_WAIT_SECONDS = 20;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the workflow to undo a Completed, undoable action and waits a little for it. A second
 * request while one is under way is a 409 with the action; a failed undo is the error it was.
 */
export async function undoAction(
  ports: UndoPorts,
  caller: Caller,
  actionId: string,
  input: DecisionInput = {},
): Promise<UndoOutcome> {
  assertActionId(actionId);
  assertMayDecideAny(ports.policies, caller);
  const now = ports.clock();
  const action = await ports.actions.read(actionId, now);
  const requested = await recordUndoRequest(ports, caller, action, input, now);
  await notifyWorkflow(ports, requested.investigationId);
  return awaitUndo(ports, requested, now.toISOString());
}

/**
 * Records the request to undo `action` (as read at `now`) in one conditional write that owes its
 * audit record: only one of concurrent requests wins, so the connector's undo runs once. A caller
 * the policies do not allow is a 403; an action that is not Completed and undoable, or is being
 * undone, a 409 with the action.
 */
export async function recordUndoRequest(
  ports: Pick<UndoPorts, 'actions' | 'policies'>,
  caller: Caller,
  action: Action,
  input: DecisionInput,
  now: Date,
): Promise<Action> {
  assertAllowed(ports.policies, caller, 'undo', action);
  if (!action.undoable) {
    throw new ConflictError(`Action ${action.id} (${action.type}) cannot be undone`, action);
  }
  if (action.status !== 'Completed') {
    throw new ConflictError(
      `Action ${action.id} is ${action.status}; only a Completed action can be undone`,
      action,
    );
  }
  const at = now.toISOString();
  const audit = auditRecordOf({
    at: now,
    actor: caller.user,
    event: 'UndoRequested',
    action,
    before: 'Completed',
    comment: input.comment,
  });
  const requested = await ports.actions.requestUndo(
    action.id,
    { by: caller.user, at, ...(input.comment !== undefined && { comment: input.comment }) },
    new Date(now.getTime() - UNDO_REQUEST_LAPSES_SECONDS * 1000),
    audit,
  );
  logger.info('Undo requested', { actionId: action.id, by: caller.user });
  return requested;
}

/** A wake that cannot be delivered leaves the request recorded; once it lapses it may be made again. */
export async function notifyWorkflow(ports: UndoPorts, investigationId: string): Promise<void> {
  if ((await wakeOrReopenInvestigation(ports, investigationId)) === 'failed') {
    logger.warn('Undo requested; its workflow could not be woken now', { investigationId });
  }
}

/** Reads the action until the workflow settled the undo asked at `requestedAt`, or the wait ends. */
async function awaitUndo(
  ports: UndoPorts,
  requested: Action,
  requestedAt: string,
): Promise<UndoOutcome> {
  const { seconds = DEFAULT_UNDO_WAIT_SECONDS, pollMs = 250 } = ports.undoWait ?? {};
  const until = Date.now() + seconds * 1000;
  let action = requested;
  for (;;) {
    const progress = undoProgressOf(action, requestedAt);
    if (progress === 'undone') return { action, finished: true };
    if (progress === 'failed') throw undoFailedError(action);
    if (Date.now() >= until) return { action, finished: false };
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
    action = await ports.actions.read(requested.id, ports.clock());
  }
}

/**
 * Reads the actions (all asked at `requestedAt`) until the workflow settled each undo, or the wait
 * ends: one BatchGetItem a look, however many there are. Answers each action as last read. The
 * wait counts from `startedMs` (the call's start), so recording 100 requests eats into it rather
 * than pushing the answer past API Gateway's 29 s.
 */
export async function awaitUndos(
  ports: UndoPorts,
  requested: readonly Action[],
  requestedAt: string,
  startedMs: number,
): Promise<Map<string, Action>> {
  const { seconds = DEFAULT_UNDO_WAIT_SECONDS, pollMs = 250 } = ports.undoWait ?? {};
  const until = startedMs + seconds * 1000;
  const latest = new Map(requested.map((a) => [a.id, a]));
  const waiting = () =>
    [...latest.values()]
      .filter((a) => undoProgressOf(a, requestedAt) === 'pending')
      .map((a) => a.id);
  while (waiting().length > 0 && Date.now() < until) {
    await sleep(Math.min(pollMs, Math.max(0, until - Date.now())));
    for (const [id, action] of await ports.actions.readMany(waiting(), ports.clock())) {
      latest.set(id, action);
    }
  }
  return latest;
}

/** The target's own words stay on the action (`undoFailure.reason`), not in the answer. */
export function undoFailedError(action: Action): ConnectorFailedError {
  const retryable = action.undoFailure?.retryable ?? true;
  return new ConnectorFailedError(
    retryable
      ? 'The remediation system could not be reached to undo the action; it stays Completed. Try again.'
      : "The remediation system refused to undo the action; it stays Completed. The action's undoFailure says why.",
    retryable,
  );
}
