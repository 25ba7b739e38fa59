import { describe, expect, it } from '@jest/globals';
import { DEFAULT_POLICIES } from '../../../functions/adapters/cedar/default-policies.js';
import { CedarApprovalPolicies } from '../../../functions/adapters/cedar/engine.js';
import { parseAssetGroups } from '../../../functions/core/asset-groups.js';
import type { Action } from '../../../functions/core/model.js';
import { whatIf } from '../../../infra/policy/what-if-report.js';

const AT = '2026-11-20T10:00:00.000Z';
const action = (id: string, extra: Partial<Action>): Action => ({
  id,
  investigationId: 'inv-1',
  alertId: 'alert-1',
  type: 'isolateDevice',
  category: 'endpoint',
  target: { kind: 'device', id: 'laptop-1', displayName: 'laptop-1' },
  severity: 'high',
  source: 'AutomatedInvestigation',
  status: 'Completed',
  undoable: true,
  createdAt: AT,
  updatedAt: AT,
  expiresAt: AT,
  ...extra,
});

describe('policy what-if', () => {
  it('reports automation, quorum and refusals that a proposal would change, and who could not be replayed', () => {
    const proposal = `${DEFAULT_POLICIES}
@id("no-ops-isolation") forbid (principal, action == ActionCenter::Action::"approve", resource)
when { resource.type == "isolateDevice" } unless { principal in ActionCenter::Role::"GlobalAdmin" };`;
    const groups = parseAssetGroups(
      JSON.stringify({
        groups: [{ name: 'dc', rules: [{ deviceName: 'dc-*' }], protected: true }],
      }),
      'groups',
    );
    const actions = [
      action('auto-dc', {
        target: { kind: 'device', id: 'dc-01', displayName: 'dc-01' },
        decision: { by: 'Automation', at: AT, automated: true },
      }),
      action('ops-laptop', { decision: { by: 'ana', at: AT, automated: false } }),
      action('admin-dc', {
        target: { kind: 'device', id: 'dc-02', displayName: 'dc-02' },
        decision: { by: 'gil', at: AT, automated: false },
      }),
      action('stranger', { decision: { by: 'zed', at: AT, automated: false } }),
      action('pending', { status: 'Pending' }),
    ];

    const report = whatIf(actions, {
      policies: new CedarApprovalPolicies(proposal, 'proposal'),
      assetGroups: groups,
      approvalsRequired: {},
      automation: { endpoint: 'full', email: 'semi' },
      rolesOf: { ana: ['SecurityAdmin'], gil: ['GlobalAdmin'] },
    });

    expect(report).toEqual({
      considered: 4,
      wouldAskOperator: ['auto-dc'],
      couldBeAutomatic: ['ops-laptop', 'stranger'],
      quorumChanged: { 'admin-dc': [1, 2] },
      wouldRefuse: { 'ops-laptop': 'ana (SecurityAdmin) approve: refused by no-ops-isolation' },
      unknownDeciders: ['zed'],
    });
  });
});
