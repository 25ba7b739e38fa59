// Quorum: an action that needs N approvals (`approvals.required`) from N different people. The
// approvals below the quorum are recorded on the action; the one that reaches it is its decision.
import type { Action } from './model.js';
import type { Role } from './permissions.js';

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

/** The roles the quorum names (`fromRoles`) that no approval so far came from. */
export function missingRoles(action: Action): Role[] {
  const wanted = action.approvals?.fromRoles ?? [];
  const given = new Set(action.approvals?.received.flatMap((a) => a.roles ?? []));
  return wanted.filter((role) => !given.has(role));
}

/**
 * Why an approval by someone with `roles` cannot count now, if it cannot: the approvals still to
 * come must be able to cover every role of the quorum that none came from yet.
 */
export function roleRefusal(action: Action, roles: readonly Role[]): string | undefined {
  const missing = missingRoles(action);
  if (missing.length === 0 || missing.some((role) => roles.includes(role))) return undefined;
  const approvals = action.approvals as NonNullable<Action['approvals']>;
  const left = approvals.required - approvals.received.length;
  if (left > missing.length) return undefined;
  const by = approvals.policy?.length ? ` (policy ${approvals.policy.join(', ')})` : '';
  return `This action still needs an approval from ${missing.join(' and ')}${by}`;
}

/** The approver's roles the quorum names, kept with their approval; undefined when it names none. */
export function quorumRolesOf(action: Action, roles: readonly Role[]): Role[] | undefined {
  const wanted = action.approvals?.fromRoles;
  return wanted?.length ? wanted.filter((role) => roles.includes(role)) : undefined;
}
