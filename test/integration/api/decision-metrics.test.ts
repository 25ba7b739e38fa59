// Decisions by outcome, counted where the decision is recorded: approvals and rejections through
// the API, and an approval whose investigation's wait had already ended (the loop takes it later).
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { ADMIN, ApiHarness } from '../../support/api-harness.js';
import { type MetricsRecorder, recordMetrics } from '../../support/metrics.js';

let api: ApiHarness;
let metrics: MetricsRecorder;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.resetWorkflow();
  metrics = recordMetrics();
});
afterEach(() => metrics.restore());

describe('decisions by outcome', () => {
  it('counts an approval once; a second approve of the same action counts nothing', async () => {
    const action = await api.pending();

    await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    const again = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    expect(again.status).toBe(409);
    expect(metrics.values('ActionsApproved')).toEqual([1]);
    expect(metrics.values('ActionsRejected')).toEqual([]);
  });

  it('counts a rejection', async () => {
    const action = await api.pending();

    await api.post(`/actions/${action.id}/reject`, { claims: ADMIN });

    expect(metrics.values('ActionsRejected')).toEqual([1]);
    expect(metrics.values('ActionsApproved')).toEqual([]);
  });

  it('counts each decision of a bulk call', async () => {
    const actions = [await api.pending(), await api.pending(), await api.pending()];

    const res = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: actions.map((a) => a.id), decision: 'approve' },
    });

    expect(res.status).toBe(200);
    expect(metrics.total('ActionsApproved')).toBe(3);
  });

  it('counts an approval whose wait had already ended as approved, and nothing as expired', async () => {
    const action = await api.pending();
    api.sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('timed out'), { name: 'TaskTimedOut' }));

    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    expect(res.status).toBe(200);
    expect(metrics.values('ActionsApproved')).toEqual([1]);
    expect(metrics.values('ActionsExpired')).toEqual([]);
  });
});
