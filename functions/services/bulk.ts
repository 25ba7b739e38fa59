// Bulk decisions: one verdict (approve, reject, or undo) for up to 100 actions, each recorded on
// its own.
import { ConflictError, ExpiredError, ForbiddenError, NotFoundError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import { undoProgressOf } from '../core/undo.js';
import { assertMayDecideAny } from './authorization.js';
import type { Caller } from './caller.js';
import {
  assertActionId,
  type DecisionPorts,
  outcomeOf,
  recordDecision,
  type Verdict,
  wakeInvestigationsOf,
} from './decide.js';
import { forEachLimited } from './limited.js';
import { awaitUndos, notifyWorkflow, recordUndoRequest, type UndoPorts } from './undo.js';

export type BulkOutcome =
  | 'approved'
  | 'approvalRecorded'
  | 'rejected'
  | 'conflict'
  | 'expired'
  | 'forbidden'
  | 'notFound'
  | UndoOutcome;

/**
 * How one undo of a bulk call ended: `undone` within the wait; `undoRequested` recorded, the
 * workflow still at it (poll the action); `undoRefused` / `undoUnavailable` the connector's
 * refusal or outage, the action staying Completed with `undoFailure` (the single route's 502/503).
 */
type UndoOutcome = 'undone' | 'undoRequested' | 'undoRefused' | 'undoUnavailable';

interface BulkResult {
  id: string;
  outcome: BulkOutcome;
  remediation?: 'queued';
}

/**
 * How many decisions of a bulk call are recorded at once (each is one conditional write on its
 * own item): 100 took 0.6 s at 8, 0.34 s at 32 locally (bench/RESULTS.md, Decision).
 */
const BULK_CONCURRENCY = 32;

function bulkOutcomeOf(error: unknown): BulkOutcome | undefined {
  if (error instanceof ExpiredError) return 'expired';
  if (error instanceof ConflictError) return 'conflict';
  if (error instanceof ForbiddenError) return 'forbidden';
  if (error instanceof NotFoundError) return 'notFound';
  return undefined;
}

/**
 * One decision for up to 100 actions, each recorded on its own: the results say, per id, what
 * happened. A repeated id is decided once. Each investigation touched is woken once, after all
 * its decisions are recorded, so its workflow takes them in one pass.
 */
export async function decideMany(
  ports: DecisionPorts,
  caller: Caller,
  request: { actionIds: readonly string[]; decision: Verdict; comment?: string },
): Promise<{ results: BulkResult[] }> {
  request.actionIds.forEach(assertActionId);
  assertMayDecideAny(ports.policies, caller);
  const ids = [...new Set(request.actionIds)];
  const verdict: BulkOutcome = request.decision === 'approve' ? 'approved' : 'rejected';
  // One BatchGetItem for every action instead of a read each; a decision that loses a race
  // reads its action again.
  // Eventually consistent, as recordDecision's own first read (see there).
  const read = await ports.actions.readMany(ids, ports.clock(), { consistent: false });
  const recorded = await forEachLimited(ids, BULK_CONCURRENCY, async (id) => {
    try {
      return await recordDecision(
        ports,
        caller,
        id,
        request.decision,
        { comment: request.comment },
        read.get(id),
      );
    } catch (error) {
      const outcome = bulkOutcomeOf(error);
      if (outcome === undefined) throw error;
      return outcome;
    }
  });
  // An approval below the quorum leaves the action Pending: nothing for the workflow to do.
  const decided = recorded.filter(
    (r): r is Action => typeof r !== 'string' && r.status !== 'Pending',
  );
  const owed = await wakeInvestigationsOf(ports, decided);
  const results = ids.map((id, i): BulkResult => {
    const r = recorded[i] as Action | BulkOutcome;
    if (typeof r === 'string') return { id, outcome: r };
    if (r.status === 'Pending') return { id, outcome: 'approvalRecorded' };
    return outcomeOf(r, owed).remediation
      ? { id, outcome: verdict, remediation: 'queued' }
      : { id, outcome: verdict };
  });
  return { results };
}

/** Where an undo the workflow was asked for stands, as the bulk call reports it. */
function undoOutcomeOf(action: Action, requestedAt: string): UndoOutcome {
  switch (undoProgressOf(action, requestedAt)) {
    case 'undone':
      return 'undone';
    case 'failed':
      return (action.undoFailure?.retryable ?? true) ? 'undoUnavailable' : 'undoRefused';
    case 'pending':
      return 'undoRequested';
  }
}

/**
 * Undoes up to 100 Completed, undoable actions, each as `POST /actions/{id}/undo` would: the same
 * permissions per action, the same conditional request (of concurrent undos of one action, bulk
 * or single, one wins and the others are a `conflict`, so the connector's undo runs once). Each
 * investigation touched is woken (or reopened) once, then the call waits for all the undos
 * together, as long as a single undo waits.
 */
export async function undoMany(
  ports: UndoPorts,
  caller: Caller,
  request: { actionIds: readonly string[]; comment?: string },
): Promise<{ results: BulkResult[] }> {
  const startedMs = Date.now();
  request.actionIds.forEach(assertActionId);
  assertMayDecideAny(ports.policies, caller);
  const ids = [...new Set(request.actionIds)];
  const now = ports.clock();
  const requestedAt = now.toISOString();
  const read = await ports.actions.readMany(ids, now);
  const recorded = await forEachLimited(ids, BULK_CONCURRENCY, async (id) => {
    try {
      const action = read.get(id);
      if (!action) throw new NotFoundError(`Action ${id} not found`);
      return await recordUndoRequest(ports, caller, action, { comment: request.comment }, now);
    } catch (error) {
      const outcome = bulkOutcomeOf(error);
      if (outcome === undefined) throw error;
      return outcome;
    }
  });
  const requested = recorded.filter((r): r is Action => typeof r !== 'string');
  const investigations = new Set(requested.map((a) => a.investigationId));
  await forEachLimited([...investigations], BULK_CONCURRENCY, (id) => notifyWorkflow(ports, id));
  const settled = await awaitUndos(ports, requested, requestedAt, startedMs);
  const results = ids.map((id, i): BulkResult => {
    const r = recorded[i] as Action | BulkOutcome;
    if (typeof r === 'string') return { id, outcome: r };
    return { id, outcome: undoOutcomeOf(settled.get(id) ?? r, requestedAt) };
  });
  return { results };
}
