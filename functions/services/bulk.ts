// Bulk decisions: one verdict for up to 100 actions, each recorded on its own.
import { ConflictError, ExpiredError, ForbiddenError, NotFoundError } from '../core/errors.js';
import type { Action } from '../core/model.js';
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

export type BulkOutcome =
  | 'approved'
  | 'approvalRecorded'
  | 'rejected'
  | 'conflict'
  | 'expired'
  | 'forbidden'
  | 'notFound';

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
  const read = await ports.actions.readMany(ids, ports.clock());
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
