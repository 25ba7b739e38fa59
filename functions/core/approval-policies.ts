// Who may propose, approve, reject and undo which actions: the port the approval policies answer
// (Cedar, functions/adapters/cedar). Pure types, so services decide without knowing the engine.
import type { Action, ActionType, Category, Severity } from './model.js';
import type { Role } from './permissions.js';

export const POLICY_VERBS = ['propose', 'approve', 'reject', 'undo'] as const;
export type PolicyVerb = (typeof POLICY_VERBS)[number];

/** The person asking, as the policies see them. */
export interface PolicyPrincipal {
  user: string;
  roles: readonly Role[];
}

/** The remediation action asked about, as the policies see it. */
export interface PolicyResource {
  /** The action's id, or a placeholder when asking about a kind of action (`/me`). */
  id: string;
  type: ActionType;
  category: Category;
  severity: Severity;
  /** `AutomatedInvestigation`, `Manual`, ... */
  source: string;
  /** The asset group the target belongs to, when one matched. */
  assetGroup?: string;
  /** Who proposed a manual action. */
  proposedBy?: string;
}

export interface PolicyAnswer {
  allowed: boolean;
  /** The ids of the policies that decided it (the permits that allowed it, or the forbids that refused it). */
  policies: string[];
  /** For a refusal by a `forbid` policy: its `@reason` annotation, when it has one. */
  reason?: string;
}

/**
 * What the `quorum` policies that match an action ask of its approvals: at least `required`
 * approvals, one at least from each of `fromRoles`.
 */
export interface QuorumRule {
  required: number;
  fromRoles: Role[];
  /** The ids of the matching `quorum` policies. */
  policies: string[];
}

export interface ApprovalPolicies {
  /** The policy set's name: `default`, or the file it was read from. */
  readonly name: string;
  decide(principal: PolicyPrincipal, verb: PolicyVerb, resource: PolicyResource): PolicyAnswer;
  /** The quorum the set's `quorum` policies ask of this action; undefined when none matches. */
  quorum(resource: PolicyResource): QuorumRule | undefined;
}

/** The action as the policies see it. */
export function policyResourceOf(
  action: Pick<
    Action,
    'id' | 'type' | 'category' | 'severity' | 'source' | 'assetGroup' | 'proposedBy'
  >,
): PolicyResource {
  return {
    id: action.id,
    type: action.type,
    category: action.category,
    severity: action.severity,
    source: action.source,
    ...(action.assetGroup !== undefined && { assetGroup: action.assetGroup }),
    ...(action.proposedBy !== undefined && { proposedBy: action.proposedBy }),
  };
}
