// The action status machine: which transitions are legal.
import { ConflictError } from './errors.js';
import { ACTION_STATUSES, type Action, type ActionStatus, type UndoRecord } from './model.js';

const NEXT: Record<ActionStatus, readonly ActionStatus[]> = {
  Pending: ['Approved', 'Rejected', 'Expired'],
  // Approved → Expired: the decision was recorded but the engine had already timed the wait out.
  // Approved → Failed: the workflow ended (failed, timed out, stopped) before remediating it.
  Approved: ['Running', 'Skipped', 'Expired', 'Failed'],
  Running: ['Completed', 'Failed'],
  Completed: ['Undone'],
  Rejected: [],
  Expired: [],
  Failed: [],
  Skipped: [],
  Undone: [],
};

export function canTransition(from: ActionStatus, to: ActionStatus): boolean {
  return NEXT[from].includes(to);
}

/** The statuses from which `to` may be entered: the condition of a conditional write. */
export function sourcesOf(to: ActionStatus): ActionStatus[] {
  return ACTION_STATUSES.filter((from) => canTransition(from, to));
}

export function isTerminal(status: ActionStatus): boolean {
  return NEXT[status].length === 0 || status === 'Completed';
}

export function assertTransition(action: Action, to: ActionStatus): void {
  if (!canTransition(action.status, to)) {
    throw new ConflictError(
      `Action ${action.id} is ${action.status}; it cannot become ${to}`,
      action,
    );
  }
}

/**
 * How an action reads at `now`: a pending action past its expiry is Expired, whatever is stored;
 * one undone before `undone` was kept reads its `undone` from the request (what it reversed is lost).
 */
export function presentAction(action: Action, now: Date): Action {
  if (action.status === 'Pending' && Date.parse(action.expiresAt) <= now.getTime()) {
    return { ...action, status: 'Expired' };
  }
  if (action.status === 'Undone' && !action.undone && action.undoRequested) {
    const { by, at, comment } = action.undoRequested;
    const undone: UndoRecord = {
      by,
      at: action.result?.at ?? action.updatedAt,
      ...(comment !== undefined && { comment }),
      requestedAt: at,
    };
    return { ...action, undone };
  }
  return action;
}
