// An execution run again from its start (what the local runtime does after a restart) is safe:
// every task is idempotent, and a decision made while no execution waited is delivered to the
// replayed wait at once.
import { investigationIdFor } from '../../../functions/core/ids.js';
import { createReconcileHandler } from '../../../functions/services/reconcile.js';
import { engineWorkflow } from '../../../infra/local/engine/index.js';
import { anAlert, file } from '../../fixtures/alerts.js';
import { decisionAudit } from '../../support/audit-records.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { OPERATOR, startInvestigationHarness } from '../../support/investigation-harness.js';

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.stop());

it('delivers a decision made while the engine was down when the execution is replayed', async () => {
  // Prepare: an action waits, then the engine goes away with the execution.
  const alert = anAlert('alert-replayed', [file('replayed-file', 'malicious')]);
  const first = await startInvestigationHarness(table);
  await first.ingest(alert);
  const pending = await first.waitForAction(
    alert.alertId,
    'replayed-file',
    (a) => a.status === 'Pending',
    'Pending',
  );
  const executionArn = (await first.engine.listExecutions()).executions[0]?.executionArn as string;
  await first.engine.stopExecution({ executionArn });
  const record = await first.engine.waitForExecution(executionArn);
  expect(record.status).toBe('ABORTED');
  await first.close();
  // The operator's approval is recorded while no engine runs: its wake stays owed.
  const decided = await first.stores.actions.decide(
    pending.id,
    { verdict: 'approve', by: OPERATOR },
    new Date(),
    decisionAudit(pending.id, { verdict: 'approve', by: OPERATOR }, new Date()),
  );
  expect(decided.status).toBe('Approved');

  // Act: a new engine runs the execution again from its start.
  const second = await startInvestigationHarness(table);
  try {
    await second.engine.restoreExecution({ ...record, status: 'RUNNING' });
    const finished = await second.finished(alert.alertId);

    // Assess
    expect(finished.status).toBe('SUCCEEDED');
    const { investigation, actions } = await second.stores.investigations.get(
      investigationIdFor(alert.alertId),
    );
    expect(actions.map((a) => [a.id, a.status, a.decision?.by])).toEqual([
      [pending.id, 'Completed', OPERATOR],
    ]);
    expect(investigation.status).toBe('Remediated');
    // The wake no one sent is settled: the replayed workflow took the approval up, and its move
    // settled it. The reconciler finds nothing to resend.
    expect(await second.stores.actions.callbacksOwed(10)).toEqual([]);
    const summary = await createReconcileHandler(
      {
        actions: second.stores.actions,
        investigations: second.stores.investigations,
        audit: second.stores.audit,
        workflow: engineWorkflow(second.engine),
        clock: () => new Date(),
      },
      { graceSeconds: 0 },
    )();
    expect(summary).toMatchObject({ delivered: 0, settled: 0, failed: 0 });
    expect(await second.stores.actions.callbacksOwed(10)).toEqual([]);
  } finally {
    await second.close();
  }
});
