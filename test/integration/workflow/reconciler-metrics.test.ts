// The reconciler reports, on every run, how long the oldest pending action has waited and how many
// wait, overall and by severity (read from the queue index over dynalite, expired actions
// excluded), and the owed wakes it could not deliver.
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { plus } from '../../fixtures/actions.js';
import { ApiHarness } from '../../support/api-harness.js';
import { decisionAudit } from '../../support/audit-records.js';
import { type MetricsRecorder, recordMetrics } from '../../support/metrics.js';

const DAY = 86_400;

let api: ApiHarness;
let metrics: MetricsRecorder;

beforeEach(async () => {
  api = await ApiHarness.start();
  metrics = recordMetrics();
});
afterEach(async () => {
  metrics.restore();
  await api.stop();
});

describe('the reconciler', () => {
  it('reports the age of the oldest action still pending, in seconds', async () => {
    await api.pending({ createdAt: plus(api.now, -3 * DAY).toISOString() });
    await api.pending({ createdAt: plus(api.now, -DAY).toISOString() });
    // Pending past its expiry: not waiting any more, whatever its status says.
    await api.pending({ createdAt: plus(api.now, -8 * DAY).toISOString() });

    await api.reconciler()();

    expect(metrics.values('OldestPendingActionAge')).toEqual([3 * DAY]);
  });

  it('reports, by severity, how many actions wait and for how long the oldest has, 0 for none', async () => {
    await api.pending({ severity: 'critical', createdAt: plus(api.now, -3600).toISOString() });
    await api.pending({ severity: 'critical', createdAt: plus(api.now, -600).toISOString() });
    await api.pending({ severity: 'low', createdAt: plus(api.now, -DAY).toISOString() });

    await api.reconciler()();

    expect(metrics.bySeverity('PendingActions', 'critical')).toEqual([2]);
    expect(metrics.bySeverity('OldestPendingActionAge', 'critical')).toEqual([3600]);
    expect(metrics.bySeverity('PendingActions', 'low')).toEqual([1]);
    expect(metrics.bySeverity('OldestPendingActionAge', 'low')).toEqual([DAY]);
    expect(metrics.bySeverity('PendingActions', 'high')).toEqual([0]);
    expect(metrics.bySeverity('OldestPendingActionAge', 'high')).toEqual([0]);
  });

  it('reports 0 when no action is pending', async () => {
    const decided = await api.pending();
    await api.stores.actions.decide(
      decided.id,
      { verdict: 'reject', by: 'ana' },
      api.now,
      decisionAudit(decided.id, { verdict: 'reject', by: 'ana' }, api.now),
    );

    await api.reconciler()();

    expect(metrics.values('OldestPendingActionAge')).toEqual([0]);
  });

  it('counts the owed wakes it could not deliver (the decision stays counted per action)', async () => {
    const action = await api.pending();
    await api.stores.actions.decide(
      action.id,
      { verdict: 'approve', by: 'ana' },
      api.now,
      decisionAudit(action.id, { verdict: 'approve', by: 'ana' }, api.now),
    );
    api.now = plus(api.now, 600);
    api.sfn
      .on(SendTaskSuccessCommand)
      .rejects(Object.assign(new Error('unavailable'), { name: 'ServiceUnavailable' }));

    const summary = await api.reconciler()();

    expect(summary.failed).toBe(1);
    expect(metrics.values('CallbacksFailed')).toEqual([1]);
  });
});
