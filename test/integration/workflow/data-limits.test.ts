// Size limits on the real ASL and the local engine. The investigation's state carries ids and the
// loop's counters only, so Step Functions' 256 KiB limit no longer grows with the alert; what does
// is the evidence on the investigation's DynamoDB item (400 KB), and ingest refuses an alert whose
// evidence would not fit. The largest alert ingest admits runs to its end with a small state.

import { investigationIdFor } from '../../../functions/core/ids.js';
import type { Entity } from '../../../functions/core/model.js';
import { EVIDENCE_BUDGET_BYTES, payloadBytes } from '../../../functions/core/state-size.js';
import { anAlert, file, filesWithLongIds } from '../../fixtures/alerts.js';
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

const executionArnOf = (alertId: string) =>
  `${harness.stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alertId)}`;

/** 500 files with 1,000-character names: valid, and about 550 KB of evidence. */
const filesWithLongNames = (count: number): Entity[] =>
  Array.from({ length: count }, (_, i) => ({
    ...file(`long-name-${i}`, 'malicious', `device-${i % 7}`),
    displayName: `${i}-`.padEnd(1000, 'x'),
  }));

describe("an alert whose evidence would pass DynamoDB's item limit", () => {
  it('is rejected at ingest with its reason: nothing recorded, no execution started', async () => {
    // Prepare
    const alert = anAlert('alert-500-long-names', filesWithLongNames(500));
    expect(payloadBytes(alert.entities)).toBeGreaterThan(EVIDENCE_BUDGET_BYTES);

    // Act
    const result = await harness.ingest(alert);

    // Assess
    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('too large to investigate'),
    });
    expect(result.outcome === 'rejected' && result.reason).toContain('500 entities');
    expect(
      await harness.stores.investigations.find(investigationIdFor(alert.alertId)),
    ).toBeUndefined();
    const { executions } = await harness.engine.listExecutions({
      stateMachineArn: harness.stateMachineArn,
    });
    expect(executions.map((e) => e.name)).not.toContain(investigationIdFor(alert.alertId));
  });
});

describe('the largest alert ingest admits: 500 entities with 71-character ids', () => {
  it('records its 500 actions under one wait, and concludes on bulk rejections with a state of ids only', async () => {
    // Prepare
    const alert = anAlert('alert-500-long-ids', filesWithLongIds(500));
    const executionArn = executionArnOf(alert.alertId);
    const result = await harness.ingest(alert);
    expect(result.outcome).toBe('started');
    const pending = await eventually(
      async () => {
        const { actions } = await harness.stores.investigations.get(
          investigationIdFor(alert.alertId),
        );
        const waiting = actions.filter((a) => a.status === 'Pending');
        return waiting.length === 500 && harness.engine.waitingTasks(executionArn).length === 1
          ? waiting
          : undefined;
      },
      { what: '500 pending actions and one wait', timeoutMs: 60_000 },
    );

    // Act: the operator rejects them, 100 per bulk call (the API's most).
    for (let i = 0; i < pending.length; i += 100) {
      const { results } = await harness.decideMany(
        pending.slice(i, i + 100).map((a) => a.id),
        'reject',
      );
      expect(results.every((r) => r.outcome === 'rejected')).toBe(true);
    }
    const done = await harness.finished(alert.alertId);

    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(payloadBytes(JSON.parse(done.input))).toBeLessThan(200);
    expect(JSON.parse(done.output as string)).toMatchObject({
      investigationId: investigationIdFor(alert.alertId),
      done: true,
    });
    expect(payloadBytes(JSON.parse(done.output as string))).toBeLessThan(400);
    const { investigation } = await harness.stores.investigations.get(
      investigationIdFor(alert.alertId),
    );
    expect(investigation.counts).toMatchObject({ actions: 500, rejected: 500, pending: 0 });
  }, 120_000);
});
