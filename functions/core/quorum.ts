// Quorum: an action that needs N approvals (`approvals.required`) from N different people. The
// approvals below the quorum are recorded on the action; the one that reaches it is its decision.
import type { Action } from './model.js';

/** Whether this approval is one below the quorum (recorded, the action stays Pending). */
export function isBelowQuorum(action: Action): boolean {
  return (
    action.approvals !== undefined &&
    action.approvals.received.length + 1 < action.approvals.required
  );
}

/** Whether the person approved the action already (a second approval of theirs is a conflict). */
export function hasApproved(action: Action, user: string): boolean {
  return action.approvals?.received.some((a) => a.by === user) ?? false;
}
