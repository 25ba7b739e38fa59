// Races: many approvals of one action, approvals racing the expiry, and many deliveries of one
// alert. The real ASL on the local engine, the real handlers over dynalite, the real decide
// API handler: only HTTP is left out (see runtime-crash.test.ts and fuzz.test.ts for HTTP).
import { jest } from '@jest/globals';
import { investigationIdFor } from '../../functions/core/ids.js';
import { oneFileAlert } from '../fixtures/alerts.js';
import { type ReliabilityRig, sleep, startRig } from './support.js';

jest.setTimeout(90_000);

describe('concurrent decisions', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.close());

  it('200 concurrent approves of one action: one 200, 199 409, one resume, one remediation', async () => {
    const alert = oneFileAlert('rel-approve-race');
    await rig.harness.ingest(alert);
    const targetId = alert.entities[0]?.id as string;
    const pending = await rig.harness.waitForAction(
      alert.alertId,
      targetId,
      (a) => a.status === 'Pending',
      'Pending',
    );

    const responses = await Promise.all(Array.from({ length: 200 }, () => rig.approve(pending.id)));
    await rig.harness.finished(alert.alertId);
    const final = await rig.harness.stores.actions.get(pending.id);
    const audit = await rig.auditOf(pending.id);

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(199);
    expect(rig.resumes.sent).toBe(1);
    expect(rig.harness.connector.calls.get(targetId)).toBe(1);
    expect(final?.status).toBe('Completed');
    expect(audit.map((e) => e.event)).toEqual(['ActionApproved', 'ActionCompleted']);
    for (const r of responses.filter((x) => x.status === 409)) {
      expect(r.body.error.code).toBe('Conflict');
    }
  });

  it('500 concurrent deliveries of one alert start one investigation', async () => {
    const alert = oneFileAlert('rel-dedup-500');
    const results = await Promise.allSettled(
      Array.from({ length: 500 }, (_, i) => rig.harness.ingest(alert, `event-${i}`)),
    );
    await rig.harness.waitForAction(
      alert.alertId,
      alert.entities[0]?.id as string,
      (a) => a.status === 'Pending',
      'Pending',
    );
    const executions = await rig.harness.engine.listExecutions({
      stateMachineArn: rig.harness.stateMachineArn,
    });
    const mine = (executions.executions ?? []).filter(
      (e) => e.name === investigationIdFor(alert.alertId),
    );
    const { investigation, actions } = await rig.harness.stores.investigations.get(
      investigationIdFor(alert.alertId),
    );

    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(mine).toHaveLength(1);
    expect(investigation.alertIds).toEqual([alert.alertId]);
    expect(actions).toHaveLength(1);
    expect(mine[0]?.status).toBe('RUNNING');
  });
});

describe('approve racing expiry', () => {
  let rig: ReliabilityRig;
  beforeAll(async () => {
    rig = await startRig({ pendingActionTtlSeconds: 3 });
  });
  afterAll(() => rig.close());

  it('ends each action Completed or Expired, never both, and the audit and the answer agree', async () => {
    const alerts = Array.from({ length: 16 }, (_, i) => oneFileAlert(`rel-expiry-${i}`));
    await Promise.all(alerts.map((a) => rig.harness.ingest(a)));
    const pending = await Promise.all(
      alerts.map((a) =>
        rig.harness.waitForAction(
          a.alertId,
          a.entities[0]?.id as string,
          (x) => x.status === 'Pending',
          'Pending',
        ),
      ),
    );
    // Approve each from 1.2 s before to 0.4 s after its expiry.
    const answers = await Promise.all(
      pending.map(async (action, i) => {
        const at = Date.parse(action.expiresAt) - 1200 + (i * 1600) / (pending.length - 1);
        await sleep(Math.max(0, at - Date.now()));
        return rig.approve(action.id);
      }),
    );
    await Promise.all(alerts.map((a) => rig.harness.finished(a.alertId)));

    const outcomes: string[] = [];
    for (const [i, action] of pending.entries()) {
      const final = await rig.harness.stores.actions.get(action.id);
      const events = (await rig.auditOf(action.id)).map((e) => e.event);
      const answer = answers[i]?.status;
      outcomes.push(`${answer}:${final?.status}`);
      expect(['Completed', 'Expired']).toContain(final?.status);
      if (final?.status === 'Completed') {
        expect(answer).toBe(200);
        expect(events).toEqual(['ActionApproved', 'ActionCompleted']);
        expect(rig.harness.connector.calls.get(action.target.id)).toBe(1);
      } else {
        // The decision and the expiry are each one write conditional on Pending: an approval
        // that lost the race recorded nothing.
        expect(answer).toBe(410);
        expect(events).toEqual(['ActionExpired']);
        expect(rig.harness.connector.calls.get(action.target.id)).toBeUndefined();
      }
    }
    // Both sides of the race were exercised.
    expect(outcomes.some((o) => o.endsWith('Completed'))).toBe(true);
    expect(outcomes.some((o) => o.endsWith('Expired'))).toBe(true);
    expect((await rig.harness.stores.audit.verify()).ok).toBe(true);
  });
});
