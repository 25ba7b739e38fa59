// What every task that changes an action does afterwards: the investigation's counts, status and
// pending time recomputed from its actions.
import {
  countActions,
  deriveInvestigationStatus,
  isFinished,
  pendingSeconds,
  pendingUntil,
} from '../../core/investigation-status.js';
import type { Action, Investigation, InvestigationStatus } from '../../core/model.js';
import type { Clock, InvestigationStore } from '../../core/ports.js';

interface RefreshOptions {
  /** Whether the alert held threats; decides the status of an investigation without actions. */
  threatsFound?: boolean;
  /** The workflow is over: a finished status gets its `endedAt`. */
  final?: boolean;
  /** The workflow ended it so (it broke, or was stopped): this status, whatever its actions say. */
  endedAs?: InvestigationStatus;
  /** The investigation and its actions as the caller has just read (and moved) them: not read again first. */
  known?: { investigation: Investigation; actions: Action[] };
}

const snapshot = (actions: readonly Action[]) =>
  actions.map((a) => `${a.id}:${a.status}:${a.updatedAt}`).join('|');

/**
 * Recomputes the investigation from its actions. Tasks of one investigation run concurrently,
 * so a write can land after a newer one: the actions are read again after writing, and the
 * investigation rewritten until what was written matches what is stored.
 */
export async function refreshInvestigation(
  ports: { investigations: Pick<InvestigationStore, 'get' | 'update'>; clock: Clock },
  investigationId: string,
  options: RefreshOptions = {},
): Promise<Investigation> {
  let current = options.known ?? (await ports.investigations.get(investigationId));
  for (let attempt = 1; ; attempt += 1) {
    const { investigation, actions } = current;
    const now = ports.clock();
    const statuses = actions.map((a) => a.status);
    // An ended investigation keeps the status it ended with: a task of an execution stopped
    // while it ran must not reopen it.
    const status: InvestigationStatus =
      options.endedAs ??
      (investigation.endedAt
        ? investigation.status
        : deriveInvestigationStatus(statuses, options.threatsFound ?? statuses.length > 0));
    const ended = options.final && isFinished(status);
    const updated = await ports.investigations.update(investigationId, {
      status,
      counts: countActions(statuses),
      pendingSeconds: pendingSeconds(actions, now),
      pendingUntil: pendingUntil(actions) ?? null,
      updatedAt: now.toISOString(),
      ...(ended && { endedAt: investigation.endedAt ?? now.toISOString() }),
    });
    const after = await ports.investigations.get(investigationId);
    if (snapshot(after.actions) === snapshot(actions) || attempt >= 5) return updated;
    current = after;
  }
}
