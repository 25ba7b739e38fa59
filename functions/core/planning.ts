// The Plan step: the catalog maps each threat in the evidence to a remediation action, and the
// automation policy decides which of them need an operator.
import { isClusterMember } from './analysis.js';
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
  type Category,
  type Entity,
  MAX_APPROVALS,
  type Severity,
} from './model.js';

/** An action the investigation proposes, and whether it waits for an operator. */
export interface Proposal {
  action: Action;
  approval: 'automatic' | 'operator';
}

export interface PlanContext {
  investigationId: string;
  alertId: string;
  severity: Severity;
  automation: Record<Category, AutomationLevel>;
  /** ASSET_GROUPS_FILE's groups, in order: the first match sets automation and protection. */
  assetGroups: readonly AssetGroup[];
  /** APPROVALS_REQUIRED: approvals needed per action type or category (1 when absent). */
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
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
      createdAt: at,
      updatedAt: at,
      expiresAt,
    };
    if (approval === 'automatic') {
      action.decision = { by: AUTOMATION_ACTOR, at, automated: true };
    } else {
      const required = approvalsRequiredFor(context, entry.type, entry.category, group);
      if (required > 1) action.approvals = { required, received: [] };
    }
    proposals.set(id, { action, approval });
  }
  return { proposals: [...proposals.values()], notProposed };
}

/** APPROVALS_REQUIRED by type, else by category, else 1; a protected asset needs at least 2. */
export function approvalsRequiredFor(
  context: Pick<PlanContext, 'approvalsRequired'>,
  type: ActionType,
  category: Category,
  group: AssetGroup | undefined,
): number {
  const configured = context.approvalsRequired[type] ?? context.approvalsRequired[category] ?? 1;
  const floor = group?.protected ? PROTECTED_MIN_APPROVALS : 1;
  return Math.min(MAX_APPROVALS, Math.max(configured, floor));
}
