// Asking the approval policies (functions/core/approval-policies.ts) whether a caller may propose,
// approve, reject or undo an action. A refusal is a 403 that names the policy and its reason.
import {
  type ApprovalPolicies,
  type PolicyVerb,
  policyResourceOf,
} from '../core/approval-policies.js';
import { ForbiddenError } from '../core/errors.js';
import {
  type Action,
  type Category,
  EMAIL_ACTION_TYPES,
  ENDPOINT_ACTION_TYPES,
} from '../core/model.js';
import type { Role } from '../core/permissions.js';
import type { Caller } from './caller.js';

/** Allowed: the ids of the policies that allowed it (for the audit). Refused: ForbiddenError. */
export function assertAllowed(
  policies: ApprovalPolicies,
  caller: Caller,
  verb: PolicyVerb,
  action: Action,
): string[] {
  const answer = policies.decide(
    { user: caller.user, roles: caller.roles },
    verb,
    policyResourceOf(action),
  );
  if (answer.allowed) return answer.policies;
  const refusedBy = answer.policies.length > 0 ? ` (policy ${answer.policies.join(', ')})` : '';
  if (answer.reason) throw new ForbiddenError(`${answer.reason}${refusedBy}`);
  // The default policies keep the role table's own words.
  if (policies.name === 'default') throw new ForbiddenError(DEFAULT_REFUSALS[action.category]);
  throw new ForbiddenError(
    `No approval policy (${policies.name}) lets ${caller.roles.join(', ') || 'a caller without roles'} ${verb} ${action.type} (${action.category}) actions`,
  );
}

const DEFAULT_REFUSALS: Record<Category, string> = {
  endpoint:
    'Deciding endpoint actions needs GlobalAdmin, SecurityAdmin or ActiveRemediationActions',
  email: 'Deciding email actions needs GlobalAdmin, or SecurityAdmin with SearchAndPurge',
};

const TYPES: Record<Category, readonly Action['type'][]> = {
  endpoint: ENDPOINT_ACTION_TYPES,
  email: EMAIL_ACTION_TYPES,
};
const mayDecideCache = new WeakMap<ApprovalPolicies, Map<string, boolean>>();

/**
 * Whether the roles may approve at least one type of the category (what `/me` shows and what is
 * checked before anything is read). Kept per policy set and role set: roles are few.
 */
export function mayApproveSome(
  policies: ApprovalPolicies,
  roles: readonly Role[],
  category: Category,
): boolean {
  const cache = mayDecideCache.get(policies) ?? new Map<string, boolean>();
  mayDecideCache.set(policies, cache);
  const key = `${category}:${[...roles].sort().join(',')}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const allowed = TYPES[category].some(
    (type) =>
      policies.decide({ user: 'anyone', roles }, 'approve', {
        id: 'any',
        type,
        category,
        severity: 'high',
        source: 'AutomatedInvestigation',
      }).allowed,
  );
  cache.set(key, allowed);
  return allowed;
}

/** Callers the policies let decide nothing at all are refused before anything is read. */
export function assertMayDecideAny(policies: ApprovalPolicies, caller: Caller): void {
  if (
    !mayApproveSome(policies, caller.roles, 'endpoint') &&
    !mayApproveSome(policies, caller.roles, 'email')
  ) {
    throw new ForbiddenError(
      policies.name === 'default'
        ? 'Deciding actions needs GlobalAdmin, SecurityAdmin, ActiveRemediationActions, or SecurityAdmin with SearchAndPurge for email'
        : `No approval policy (${policies.name}) lets ${caller.roles.join(', ') || 'a caller without roles'} decide any action`,
    );
  }
}
