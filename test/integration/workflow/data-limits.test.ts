// Step Functions' 256 KiB state limit on the real ASL and the local engine: an alert whose plan
// does not fit breaks its execution with States.DataLimitExceeded (no States.ALL catch saves it),
// so ingest rejects it up front; the largest alert ingest admits runs.

import { normalizeAlert } from '../../../functions/core/alert.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import { anAlert, filesWithLongIds } from '../../fixtures/alerts.js';
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

describe('an alert whose investigation state would pass 256 KiB', () => {
  it('fails its execution with States.DataLimitExceeded when started past ingest', async () => {
    // Prepare
    const alert = normalizeAlert(anAlert('alert-500-long-ids', filesWithLongIds(500)));
    const investigationId = investigationIdFor(alert.alertId);

    // Act
    const { executionArn } = await harness.engine.startExecution({
      stateMachineArn: harness.stateMachineArn,
      name: investigationId,
      input: JSON.stringify({ investigationId, alert }),
    });
    const done = await harness.engine.waitForExecution(executionArn as string);

    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(
      harness.engine.executionHistory(executionArn as string).map((e) => e.stateName),
    ).not.toContain('FinalizeAfterError');
  });

  it('is rejected at ingest: nothing recorded, no execution started', async () => {
    // Prepare
    const alert = anAlert('alert-500-long-ids-ingested', filesWithLongIds(500));

    // Act
    const result = await harness.ingest(alert);

    // Assess
    expect(result).toMatchObject({
      outcome: 'rejected',
      reason: expect.stringContaining('too large to investigate'),
    });
    await expect(
      harness.stores.investigations.get(investigationIdFor(alert.alertId)),
    ).rejects.toThrow();
    const { executions } = await harness.engine.listExecutions({
      stateMachineArn: harness.stateMachineArn,
    });
    expect(executions.map((e) => e.name)).not.toContain(investigationIdFor(alert.alertId));
  });
});

describe('an alert just under the budget ingest keeps', () => {
  it('runs: its actions wait for decisions, the execution still running', async () => {
    // Prepare
    const alert = anAlert('alert-330-long-ids', filesWithLongIds(330));

    // Act
    const result = await harness.ingest(alert);

    // Assess
    expect(result.outcome).toBe('started');
    const executionArn = `${harness.stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alert.alertId)}`;
    await eventually(
      async () => harness.engine.waitingTasks(executionArn).length >= 40 || undefined,
      { what: 'the first 40 actions to wait for a decision' },
    );
    expect((await harness.engine.describeExecution({ executionArn })).status).toBe('RUNNING');
  });
});
