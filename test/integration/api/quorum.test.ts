// Quorum: an action that needs two approvals from two people, through the API.
import { plus, T0 } from '../../fixtures/actions.js';
import { ADMIN, ApiHarness, ARA, as, SEC_ADMIN } from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

async function auditOf(actionId: string) {
  const { items } = await api.stores.audit.list({ window: '180d', limit: 200 }, api.now);
  return items.filter((e) => e.actionId === actionId);
}

const needsTwo = () => api.pending({ approvals: { required: 2, received: [] } });

describe('an action needing two approvals', () => {
  it('records the first approval and stays Pending, refuses the same person again, approves on the second person', async () => {
    const action = await needsTwo();

    const first = await api.post(`/actions/${action.id}/approve`, {
      claims: ADMIN,
      body: { comment: 'looks bad' },
    });
    const again = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    const second = await api.post(`/actions/${action.id}/approve`, { claims: ARA });

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'Pending',
      approvals: {
        required: 2,
        received: [{ by: 'admin@example.com', comment: 'looks bad' }],
      },
    });
    expect(first.body.decision).toBeUndefined();
    expect(api.resumes()).toHaveLength(1);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('admin@example.com approved');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({
      status: 'Approved',
      decision: { by: 'responder@example.com', automated: false },
    });
    // Newest first.
    expect(await auditOf(action.id)).toEqual([
      expect.objectContaining({
        event: 'ActionApproved',
        actor: 'responder@example.com',
        after: 'Approved',
        policy: ['endpoint-deciders'],
      }),
      expect.objectContaining({
        event: 'ApprovalRecorded',
        actor: 'admin@example.com',
        before: 'Pending',
        after: 'Pending',
        policy: ['endpoint-deciders'],
      }),
    ]);
  });

  it('is rejected by the second person after one approval', async () => {
    const action = await needsTwo();
    await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    const res = await api.post(`/actions/${action.id}/reject`, {
      claims: SEC_ADMIN,
      body: { comment: 'false positive' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'Rejected',
      decision: { by: 'secadmin@example.com', comment: 'false positive' },
      approvals: { received: [{ by: 'admin@example.com' }] },
    });
  });

  it('counts two people approving at the same moment, once each', async () => {
    const action = await needsTwo();
    const people = [ADMIN, ARA, SEC_ADMIN, as('ops@example.com', 'GlobalAdmin')];

    const answers = await Promise.all(
      people.map((claims) => api.post(`/actions/${action.id}/approve`, { claims })),
    );

    const statuses = answers.map((a) => a.status).sort();
    // Two count (one recorded, one reaching the quorum); the others find it Approved.
    expect(statuses).toEqual([200, 200, 409, 409]);
    const stored = await api.stores.actions.get(action.id);
    expect(stored?.status).toBe('Approved');
    expect(stored?.approvals?.received).toHaveLength(1);
    expect(stored?.approvals?.received[0]?.by).not.toBe(stored?.decision?.by);
  });

  it('answers approvalRecorded in a bulk decision below the quorum', async () => {
    const action = await needsTwo();

    const res = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: [action.id], decision: 'approve' },
    });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([{ id: action.id, outcome: 'approvalRecorded' }]);
    expect(api.resumes()).toHaveLength(0);
  });
});
