// Bulk decisions: one verdict for up to 100 actions, each settled on its own.
import { ConflictError, ExpiredError, ForbiddenError, NotFoundError } from '../core/errors.js';
import type { Caller } from './caller.js';
import {
  assertActionId,
  assertMayDecideAny,
  type CallbackBreaker,
  type DecisionPorts,
  decideAction,
  type Verdict,
} from './decide.js';

export type BulkOutcome =
  | 'approved'
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
