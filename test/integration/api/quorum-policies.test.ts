// Quorums set by the approval policies (`quorum` permits with @approvals / @fromRoles), through the
// API: a manual isolation needs two approvals, one at least from SecurityAdmin and one from
// ActiveRemediationActions.
import {
  CedarApprovalPolicies,
  DEFAULT_POLICIES,
} from '../../../functions/adapters/cedar/index.js';
import { plus, T0 } from '../../fixtures/actions.js';
import { ADMIN, ApiHarness, ARA, as, SEC_ADMIN } from '../../support/api-harness.js';

const POLICIES = `${DEFAULT_POLICIES}
@id("isolation-secops-and-responders")
@approvals("2")
@fromRoles("SecurityAdmin, ActiveRemediationActions")
permit (principal, action == ActionCenter::Action::"quorum", resource is ActionCenter::RemediationAction)
when { resource.type == "isolateDevice" };
`;

const SEC_ADMIN_2 = as('secadmin2@example.com', 'SecurityAdmin');

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start({ policies: new CedarApprovalPolicies(POLICIES, 'quorum-test') });
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const isolate = (id: string) => ({
  type: 'isolateDevice',
  target: { kind: 'device', id, displayName: `laptop-${id}`, deviceId: id },
});

describe('a quorum from the approval policies', () => {
  it('gives a proposed action the quorum and roles the matching policy asks, naming it', async () => {
    const proposed = await api.post('/actions', { claims: ADMIN, body: isolate('dev-q1') });

    expect(proposed.status).toBe(201);
    expect(proposed.body.approvals).toEqual({
      required: 2,
      received: [],
      fromRoles: ['SecurityAdmin', 'ActiveRemediationActions'],
      policy: ['isolation-secops-and-responders'],
    });
  });

  it('refuses a second approval from the same role (403 naming the missing role), then takes one from the other', async () => {
    const { body: action } = await api.post('/actions', { claims: ADMIN, body: isolate('dev-q2') });

    const first = await api.post(`/actions/${action.id}/approve`, { claims: SEC_ADMIN });
    const sameRole = await api.post(`/actions/${action.id}/approve`, { claims: SEC_ADMIN_2 });
    const otherRole = await api.post(`/actions/${action.id}/approve`, { claims: ARA });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'Pending',
      approvals: { received: [{ by: 'secadmin@example.com', roles: ['SecurityAdmin'] }] },
    });
    expect(sameRole.status).toBe(403);
    expect(sameRole.body.error.message).toBe(
      'This action still needs an approval from ActiveRemediationActions (policy isolation-secops-and-responders)',
    );
    expect(otherRole.status).toBe(200);
    expect(otherRole.body).toMatchObject({
      status: 'Approved',
      decision: { by: 'responder@example.com' },
    });
    const { items } = await api.stores.audit.list({ window: '180d', limit: 200 }, api.now);
    expect(
      items.find((e) => e.actionId === action.id && e.event === 'DecisionRefused'),
    ).toMatchObject({
      actor: 'secadmin2@example.com',
      policy: ['isolation-secops-and-responders'],
    });
  });

  it('leaves actions the quorum policies do not match at one approval', async () => {
    const action = await api.pending();

    const approved = await api.post(`/actions/${action.id}/approve`, { claims: SEC_ADMIN });

    expect(action.approvals).toBeUndefined();
    expect(approved.body.status).toBe('Approved');
  });
});
