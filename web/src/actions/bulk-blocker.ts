// Several selected actions are decided together only when they are all pending (approve, reject)
// or all completed and undoable (undo), of one type, and the user may decide them.
import type { Action } from '../../../functions/api/schemas.js';

/** Why the selected actions cannot be decided together, or undefined when they can. */
export function bulkBlocker(selected: readonly Action[], canDecide: (a: Action) => boolean) {
  if (selected.length === 0) return 'Select pending actions to decide them.';
  if (selected.some((a) => a.status !== 'Pending')) return 'Only pending actions can be decided.';
  if (new Set(selected.map((a) => a.type)).size > 1) {
    return 'Select actions of one type to decide them together.';
  }
  if (!selected.every(canDecide)) return 'Your roles do not allow deciding these actions.';
  return undefined;
}

/** Why the selected actions cannot be undone together, or undefined when they can. */
export function bulkUndoBlocker(selected: readonly Action[], canDecide: (a: Action) => boolean) {
  if (selected.length === 0) return 'Select completed actions to undo them.';
  if (selected.some((a) => a.status !== 'Completed' || !a.undoable)) {
    return 'Only completed actions that can be reversed can be undone.';
  }
  if (selected.some((a) => a.undoRequested)) return 'An undo of some of these is under way.';
  if (new Set(selected.map((a) => a.type)).size > 1) {
    return 'Select actions of one type to undo them together.';
  }
  if (!selected.every(canDecide)) return 'Your roles do not allow undoing these actions.';
  return undefined;
}

/** The blocker of the tab's bulk decision: approve and reject in Pending, undo in History. */
export const tabBlocker = (
  tab: 'pending' | 'history',
  selected: readonly Action[],
  canDecide: (a: Action) => boolean,
) => (tab === 'pending' ? bulkBlocker : bulkUndoBlocker)(selected, canDecide);
