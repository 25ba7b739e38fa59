// Who may do what, from the roles in the caller's claims (API.md "Identity and permissions").
import { ForbiddenError } from './errors.js';
import type { Category } from './model.js';

export const ROLES = [
  'GlobalAdmin',
  'SecurityAdmin',
  'SecurityOperator',
  'SecurityReader',
  'ActiveRemediationActions',
  'SearchAndPurge',
] as const;
export type Role = (typeof ROLES)[number];

export interface Permissions {
  read: boolean;
  decideEndpoint: boolean;
  decideEmail: boolean;
}

/** `cognito:groups` arrives as an array, or as a comma-separated string; unknown names are ignored. */
export function parseRoles(groups: unknown): Role[] {
  const names = Array.isArray(groups)
    ? groups
    : typeof groups === 'string'
      ? groups.replace(/^\[|\]$/g, '').split(/[,\s]+/)
      : [];
  const known = new Set<string>(ROLES);
  return [...new Set(names.filter((n): n is Role => typeof n === 'string' && known.has(n)))];
}

export function permissionsOf(roles: readonly Role[]): Permissions {
  const has = (r: Role) => roles.includes(r);
  return {
    read: roles.length > 0,
    decideEndpoint: has('GlobalAdmin') || has('SecurityAdmin') || has('ActiveRemediationActions'),
    decideEmail: has('GlobalAdmin') || (has('SecurityAdmin') && has('SearchAndPurge')),
  };
}

export function mayDecide(roles: readonly Role[], category: Category): boolean {
  const p = permissionsOf(roles);
  return category === 'endpoint' ? p.decideEndpoint : p.decideEmail;
}

export function assertMayRead(roles: readonly Role[]): void {
  if (!permissionsOf(roles).read) {
    throw new ForbiddenError('Reading the Action Center needs one of the Action Center roles');
  }
}

export function assertMayDecide(roles: readonly Role[], category: Category): void {
  if (!mayDecide(roles, category)) {
    throw new ForbiddenError(
      category === 'endpoint'
        ? 'Deciding endpoint actions needs GlobalAdmin, SecurityAdmin or ActiveRemediationActions'
        : 'Deciding email actions needs GlobalAdmin, or SecurityAdmin with SearchAndPurge',
    );
  }
}

/** The audit chain's full re-check reads every entry: administrators only. */
export function assertMayRecheckAudit(roles: readonly Role[]): void {
  if (!roles.includes('GlobalAdmin') && !roles.includes('SecurityAdmin')) {
    throw new ForbiddenError(
      'A full re-check of the audit chain needs GlobalAdmin or SecurityAdmin',
    );
  }
}
