// The Plan step: the catalog maps each threat in the evidence to a remediation action, and the
// automation policy decides which of them need an operator.
import { isClusterMember } from './analysis.js';
import { type PolicyResource, policyResourceOf, type QuorumRule } from './approval-policies.js';
import {
  type AssetGroup,
  assetGroupOf,
  automationFor,
  PROTECTED_MIN_APPROVALS,
} from './asset-groups.js';
import { AUTOMATION_ACTOR, type AutomationLevel, approvalFor } from './automation.js';
import { actionFor, dedupKeyOf, targetOf } from './catalog.js';
import { actionIdFor } from './ids.js';
import {
  type Action,
  type ActionType,
  type Approvals,
  type Category,
  type Entity,
  MAX_APPROVALS,
  type Severity,
} from './model.js';

/** An action the investigation proposes, and whether it waits for an operator. */
export interface Proposal {
  action: Action;
  approval: 'automatic' | 'operator';
  /**
   * For an automatic approval, the setting that allowed it, as its audit entry names it: the
   * asset group's automation level (`asset-group:<name>:<category>=full`) or the global one
   * (`AUTOMATION_LEVEL_<CATEGORY>=full`).
   */
  policy?: string[];
}

/** Names the automation level that approved an action without an operator. */
export function automationPolicyOf(group: AssetGroup | undefined, category: Category): string {
  return group?.automation?.[category] !== undefined
    ? `asset-group:${group.name}:${category}=${group.automation[category]}`
    : `AUTOMATION_LEVEL_${category.toUpperCase()}=full`;
}

export interface PlanContext {
  investigationId: string;
  alertId: string;
  /** The alert's title, kept on each action so the lists can search it. */
  alertTitle?: string;
  severity: Severity;
  automation: Record<Category, AutomationLevel>;
  /** ASSET_GROUPS_FILE's groups, in order: the first match sets automation and protection. */
  assetGroups: readonly AssetGroup[];
  /** APPROVALS_REQUIRED: approvals needed per action type or category (1 when absent). */
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
  /** The approval policies' `quorum` rules (absent: the policy set has none). */
  quorumOf?: (resource: PolicyResource) => QuorumRule | undefined;
  pendingActionTtlSeconds: number;
  now: Date;
}

export interface Plan {
  proposals: Proposal[];
  /** Threats the automation policy (`none`) allowed no action for. */
  notProposed: number;
}

/**
 * The actions for the evidence: malicious and suspicious evidence only (clean and unknown call
 * for none); a message in a cluster is covered by its cluster's action. Each action's id is
 * derived from the investigation and what it does, so a replayed plan proposes the same ids.
 */
export function planActions(evidence: readonly Entity[], context: PlanContext): Plan {
  const at = context.now.toISOString();
  const expiresAt = new Date(
    context.now.getTime() + context.pendingActionTtlSeconds * 1000,
  ).toISOString();
  const proposals = new Map<string, Proposal>();
  let notProposed = 0;
  const deviceNames = deviceNamesOf(evidence);
  for (const entity of evidence) {
    if (isClusterMember(entity)) continue;
    const entry = actionFor(entity.kind, entity.verdict);
    if (!entry) continue;
    const group = assetGroupOf(context.assetGroups, entity);
    const level = automationFor(group, entry.category, context.automation);
    const chosen = approvalFor(level, entity.verdict);
    // A protected asset is never remediated without an operator.
    const approval = group?.protected && chosen === 'automatic' ? 'operator' : chosen;
    if (approval === 'notProposed') {
      notProposed += 1;
      continue;
    }
    const target = targetOf(entity);
    const deviceName = target.deviceId && deviceNames.get(target.deviceId);
    if (deviceName) target.deviceName = deviceName;
    const id = actionIdFor(context.investigationId, dedupKeyOf(entry.type, target));
    if (proposals.has(id)) continue;
    const action: Action = {
      id,
      investigationId: context.investigationId,
      alertId: context.alertId,
      type: entry.type,
      category: entry.category,
      target,
      severity: context.severity,
      source: 'AutomatedInvestigation',
      status: approval === 'automatic' ? 'Approved' : 'Pending',
      undoable: entry.undoable,
      ...(group && { assetGroup: group.name }),
      ...(context.alertTitle && { alertTitle: context.alertTitle }),
      createdAt: at,
      updatedAt: at,
      expiresAt,
    };
    if (approval === 'automatic') {
      action.decision = { by: AUTOMATION_ACTOR, at, automated: true };
      proposals.set(id, {
        action,
        approval,
        policy: [automationPolicyOf(group, entry.category)],
      });
      continue;
    }
    const approvals = approvalsFor(context, policyResourceOf(action), group);
    if (approvals) action.approvals = approvals;
    proposals.set(id, { action, approval });
  }
  return { proposals: [...proposals.values()], notProposed };
}

/** The names the evidence gives its devices, by device id. */
function deviceNamesOf(evidence: readonly Entity[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const entity of evidence) {
    if (entity.kind === 'device' && entity.displayName) names.set(entity.id, entity.displayName);
  }
  return names;
}

/**
 * The quorum a pending action needs (undefined: one approval): APPROVALS_REQUIRED by type, else by
 * category, else 1; a protected asset at least 2; the approval policies' `quorum` rules may ask
 * more, and name roles the approvers must include.
 */
export function approvalsFor(
  context: Pick<PlanContext, 'approvalsRequired' | 'quorumOf'>,
  resource: PolicyResource,
  group: AssetGroup | undefined,
): Approvals | undefined {
  const configured =
    context.approvalsRequired[resource.type] ?? context.approvalsRequired[resource.category] ?? 1;
  const floor = group?.protected ? PROTECTED_MIN_APPROVALS : 1;
  const rule = context.quorumOf?.(resource);
  const required = Math.min(MAX_APPROVALS, Math.max(configured, floor, rule?.required ?? 1));
  if (required < 2) return undefined;
  return {
    required,
    received: [],
    ...(rule?.fromRoles.length && { fromRoles: rule.fromRoles }),
    ...(rule && { policy: rule.policies }),
  };
}
