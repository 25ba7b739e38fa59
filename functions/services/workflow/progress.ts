// What every task that changes an action does afterwards: the investigation's counts, status and
// pending time recomputed from its actions.

import type { LoopState } from '../../core/decision-loop.js';
import { ConflictError } from '../../core/errors.js';
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
  /** Ends it only if it has had exactly these wakes (a ConflictError otherwise). */
  ifWakes?: number;
}

/** The actions' states, whatever order they were listed in (a plan's, or the store's). */
const snapshot = (actions: readonly Action[]) =>
  actions
    .map((a) => `${a.id}:${a.status}:${a.updatedAt}`)
    .sort()
    .join('|');

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
    const updated = await ports.investigations.update(
      investigationId,
      {
        status,
        counts: countActions(statuses),
        pendingSeconds: pendingSeconds(actions, now),
        pendingUntil: pendingUntil(actions) ?? null,
        updatedAt: now.toISOString(),
        ...(ended && { endedAt: investigation.endedAt ?? now.toISOString() }),
      },
      ended && options.ifWakes !== undefined ? { ifWakes: options.ifWakes } : {},
    );
    const after = await ports.investigations.get(investigationId);
    if (snapshot(after.actions) === snapshot(actions) || attempt >= 5) return updated;
    current = after;
  }
}

/**
 * The investigation recomputed after a pass. When the pass found nothing open, it is concluded,
 * but only if no change arrived meanwhile (a decision, an updated alert's evidence: a wake counted
 * after the pass read the actions); then the loop goes on at once instead.
 */
export async function concludeOrRefresh(
  ports: { investigations: Pick<InvestigationStore, 'get' | 'update'>; clock: Clock },
  state: LoopState,
  options: Pick<RefreshOptions, 'threatsFound' | 'known'>,
): Promise<LoopState> {
  try {
    await refreshInvestigation(ports, state.investigationId, {
      ...options,
      final: state.done,
      ifWakes: state.wakesSeen,
    });
    return state;
  } catch (error) {
    if (!(error instanceof ConflictError) || !state.done) throw error;
    await refreshInvestigation(ports, state.investigationId, {
      threatsFound: options.threatsFound,
    });
    return { ...state, done: false, dueNow: true };
  }
}
