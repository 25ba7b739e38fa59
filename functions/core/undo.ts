// Undo as the workflow carries it out: an operator's request is recorded on the Completed action,
// the investigation's decision loop runs the connector's undo (retrying a transient failure as it
// does a remediation's), then records Undone, or the failure on the still Completed action.
import type { Action } from './model.js';

/**
 * A request no workflow settled within this long may be made again (its workflow broke or never
 * woke); a connector's undo is idempotent per action, so a repeat does no harm.
 */
export const UNDO_REQUEST_LAPSES_SECONDS = 900;

/** The action waits for the workflow to undo it. */
export const isUndoPending = (action: Action): boolean =>
  action.status === 'Completed' && action.undoRequested !== undefined;

/** How the undo the API asked for at `requestedAt` stands now. */
export type UndoProgress = 'undone' | 'failed' | 'pending';

export function undoProgressOf(action: Action, requestedAt: string): UndoProgress {
  if (action.status === 'Undone') return 'undone';
  if (action.undoFailure?.requestedAt === requestedAt) return 'failed';
  return 'pending';
}
