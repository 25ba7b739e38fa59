// Ingest against dynalite and the local engine: duplicates start one execution and record one
// investigation; an invalid alert starts nothing.
import { investigationIdFor } from '../../../functions/core/ids.js';
import { alertEvent, anAlert, file, message } from '../../fixtures/alerts.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';
import {
  type InvestigationHarness,
  startInvestigationHarness,
} from '../../support/investigation-harness.js';

let table: LocalTable;
let harness: InvestigationHarness;

beforeAll(async () => {
  table = await startLocalTable();
  harness = await startInvestigationHarness(table);
});
afterAll(async () => {
  await harness.close();
  await table.stop();
});

describe('ingest', () => {
  it('starts one execution and records one investigation for 20 concurrent deliveries', async () => {
    // Prepare
    const alert = anAlert('alert-delivered-20-times', [
      file('dup-file', 'malicious'),
      message('dup-msg-1', 'suspicious', 'dup-cluster'),
    ]);
    const investigationId = investigationIdFor(alert.alertId);

    // Act
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => harness.ingest(alert, `event-${i}`)),
    );

    // Assess
    expect(new Set(results.map((r) => r.outcome !== 'rejected' && r.investigationId))).toEqual(
      new Set([investigationId]),
    );
    const { executions } = await harness.engine.listExecutions({
      stateMachineArn: harness.stateMachineArn,
    });
    expect(executions.filter((e) => e.name === investigationId)).toHaveLength(1);
    const listed = await harness.stores.investigations.list(
      { window: '1d', limit: 100 },
      new Date(),
    );
    expect(listed.items.filter((i) => i.alertIds.includes(alert.alertId))).toHaveLength(1);
    // One execution: its two proposed actions recorded once, and one wait for them both.
    const pending = await eventually(
      async () => {
        const { actions } = await harness.stores.investigations.get(investigationId);
        const tasks = harness.engine.waitingTasks();
        return actions.length === 2 && tasks.length === 1 ? actions : undefined;
      },
      { what: 'two pending actions under one wait' },
    );
    expect(pending.map((a) => a.status)).toEqual(['Pending', 'Pending']);
    expect(harness.engine.waitingTasks()[0]).toMatchObject({ stateName: 'AwaitDecisions' });
  });

  it('starts nothing new for a redelivery with another body', async () => {
    const alert = anAlert('alert-redelivered', [file('redelivered-file', 'malicious')]);
    await harness.ingest(alert);

    const again = await harness.ingest({ ...alert, title: 'The same alert, retitled' });

    expect(again).toMatchObject({ alertId: alert.alertId });
    const { executions } = await harness.engine.listExecutions();
    expect(executions.filter((e) => e.name === investigationIdFor(alert.alertId))).toHaveLength(1);
  });

  // StartExecution with the name and input of a running execution answers success (as in AWS):
  // the investigation's noted start tells the redelivery from the delivery that started it.
  it('answers a redelivery while the investigation runs as a duplicate', async () => {
    const alert = anAlert('alert-redelivered-running', [file('redelivered-2-file', 'malicious')]);
    await harness.ingest(alert);

    const again = await harness.ingest(alert, 'event-redelivered');

    expect(again).toMatchObject({ outcome: 'duplicate', alertId: alert.alertId });
  });

  it('rejects an invalid alert, keeping it as a rejected alert, recording or starting nothing', async () => {
    const before = (await harness.engine.listExecutions()).executions.length;

    const result = await harness.ingestEvent(
      alertEvent({ alertId: 'broken', severity: 'urgent' }, 'event-broken'),
    );

    expect(result).toEqual([expect.objectContaining({ outcome: 'rejected' })]);
    expect(result[0]?.outcome === 'rejected' && result[0].problems.join(' ')).toMatch(/severity/);
    expect((await harness.engine.listExecutions()).executions).toHaveLength(before);
    expect(await harness.stores.investigations.find(investigationIdFor('broken'))).toBeUndefined();
    const kept = await harness.stores.rejectedAlerts.list({ limit: 10 }, new Date());
    expect(kept.items.find((r) => r.eventId === 'event-broken')).toMatchObject({
      source: 'actioncenter.alerts',
      reason: 'The event detail is not a valid alert',
    });
  });
});
