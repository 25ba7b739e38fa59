// Several selected actions are decided together only when they are all pending, of one type, and
// the user may decide them.
import type { Action } from '../../../functions/api/schemas';

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
