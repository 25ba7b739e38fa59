// What a proposed policy set and asset groups would have changed about decided actions:
// automatic vs operator, approvals needed, and decisions the new policies would refuse.
import type { ApprovalPolicies } from '../../functions/core/approval-policies.js';
import { policyResourceOf } from '../../functions/core/approval-policies.js';
import { type AssetGroup, assetGroupOf, automationFor } from '../../functions/core/asset-groups.js';
import type { AutomationLevel } from '../../functions/core/automation.js';
import type { Action, ActionType, Category, Entity } from '../../functions/core/model.js';
import type { Role } from '../../functions/core/permissions.js';
import { approvalsFor } from '../../functions/core/planning.js';

export interface WhatIfSettings {
  policies: ApprovalPolicies;
  assetGroups: readonly AssetGroup[];
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
  automation: Record<Category, AutomationLevel>;
  /** Who had which roles (decisions keep the person, not their roles); unknown people are listed. */
  rolesOf: Record<string, Role[]>;
}

export interface WhatIfReport {
  considered: number;
  /** Approved by automation, but the new settings would ask an operator. */
  wouldAskOperator: string[];
  /** Decided by an operator, where the new automation level is `full` (automatic if the evidence was malicious). */
  couldBeAutomatic: string[];
  /** Actions whose approvals needed would change: id → [before, after]. */
  quorumChanged: Record<string, [number, number]>;
  /** Operator decisions the new policies would refuse: id → who and the policy. */
  wouldRefuse: Record<string, string>;
  /** Deciders not in the roles map: their decisions could not be replayed. */
  unknownDeciders: string[];
}

/** The target as the asset group rules see an entity. */
function entityOf(action: Action): Entity {
  const { target } = action;
  return { ...target, verdict: 'malicious' } as Entity;
}

export function whatIf(actions: readonly Action[], settings: WhatIfSettings): WhatIfReport {
  const report: WhatIfReport = {
    considered: 0,
    wouldAskOperator: [],
    couldBeAutomatic: [],
    quorumChanged: {},
    wouldRefuse: {},
    unknownDeciders: [],
  };
  const unknown = new Set<string>();
  for (const action of actions) {
    if (!action.decision) continue;
    report.considered += 1;
    const group = assetGroupOf(settings.assetGroups, entityOf(action));
    const level = automationFor(group, action.category, settings.automation);
    const automatic = action.decision.automated;
    if (automatic && (level !== 'full' || group?.protected))
      report.wouldAskOperator.push(action.id);
    if (!automatic && level === 'full' && !group?.protected)
      report.couldBeAutomatic.push(action.id);
    const before = action.approvals?.required ?? 1;
    const after = automatic
      ? before
      : (approvalsFor(
          { ...settings, quorumOf: (r) => settings.policies.quorum(r) },
          policyResourceOf({ ...action, ...(group ? { assetGroup: group.name } : {}) }),
          group,
        )?.required ?? 1);
    if (!automatic && before !== after) report.quorumChanged[action.id] = [before, after];
    if (automatic) continue;
    const roles = settings.rolesOf[action.decision.by];
    if (!roles) {
      unknown.add(action.decision.by);
      continue;
    }
    const verb = action.status === 'Rejected' ? 'reject' : 'approve';
    const answer = settings.policies.decide({ user: action.decision.by, roles }, verb, {
      ...policyResourceOf(action),
      ...(group && { assetGroup: group.name }),
    });
    if (!answer.allowed) {
      report.wouldRefuse[action.id] =
        `${action.decision.by} (${roles.join(', ')}) ${verb}: refused${answer.policies.length ? ` by ${answer.policies.join(', ')}` : ' (no policy permits it)'}`;
    }
  }
  report.unknownDeciders = [...unknown].sort();
  return report;
}
