// GET /metrics: what waits for a decision by severity, in the Prometheus text format, read from the
// table (expired and decided actions left out), for any Action Center role.
import { plus } from '../../fixtures/actions.js';
import { ApiHarness, as, READER } from '../../support/api-harness.js';
import { decisionAudit } from '../../support/audit-records.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());

/** The sample lines of a Prometheus text body, by metric and label. */
const samplesOf = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split(' ') as [string, string])
      .map(([key, value]) => [key, Number(value)]),
  );

describe('GET /metrics', () => {
  it('serves the pending count, the oldest age and the SLA of each severity as Prometheus gauges', async () => {
    await api.pending({ severity: 'critical', createdAt: plus(api.now, -1200).toISOString() });
    await api.pending({ severity: 'critical', createdAt: plus(api.now, -60).toISOString() });
    await api.pending({ severity: 'medium', createdAt: plus(api.now, -30).toISOString() });
    // Lapsed a minute ago, and decided: neither waits any more.
    await api.pending({ severity: 'high', createdAt: plus(api.now, -604_860).toISOString() });
    const decided = await api.pending({ severity: 'low' });
    await api.stores.actions.decide(
      decided.id,
      { verdict: 'reject', by: 'ana' },
      api.now,
      decisionAudit(decided.id, { verdict: 'reject', by: 'ana' }, api.now),
    );

    const res = await api.get('/metrics', { claims: READER });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.text).toContain('# TYPE action_center_pending_actions gauge\n');
    expect(samplesOf(res.text)).toEqual({
      'action_center_pending_actions{severity="informational"}': 0,
      'action_center_pending_actions{severity="low"}': 0,
      'action_center_pending_actions{severity="medium"}': 1,
      'action_center_pending_actions{severity="high"}': 0,
      'action_center_pending_actions{severity="critical"}': 2,
      'action_center_oldest_pending_action_age_seconds{severity="informational"}': 0,
      'action_center_oldest_pending_action_age_seconds{severity="low"}': 0,
      'action_center_oldest_pending_action_age_seconds{severity="medium"}': 30,
      'action_center_oldest_pending_action_age_seconds{severity="high"}': 0,
      'action_center_oldest_pending_action_age_seconds{severity="critical"}': 1200,
      'action_center_pending_sla_seconds{severity="informational"}': 86_400,
      'action_center_pending_sla_seconds{severity="low"}': 86_400,
      'action_center_pending_sla_seconds{severity="medium"}': 14_400,
      'action_center_pending_sla_seconds{severity="high"}': 3600,
      'action_center_pending_sla_seconds{severity="critical"}': 900,
    });
  });

  it('answers 403 to a caller with no Action Center role and 401 to one with no token', async () => {
    const noRole = await api.get('/metrics', { claims: as('eve@example.com') });
    const anonymous = await api.get('/metrics', { claims: null });

    expect(noRole.status).toBe(403);
    expect(anonymous.status).toBe(401);
  });
});
