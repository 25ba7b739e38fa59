// An updated finding (the same alert id with more evidence) on the real ASL and handlers: its new
// evidence is planned in the same investigation, whether the investigation is still open (its wait
// is woken) or already concluded (it is reopened under a new execution); nothing is proposed twice.
import { investigationIdFor } from '../../../functions/core/ids.js';
import { anAlert, file } from '../../fixtures/alerts.js';
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

const executionsOf = async (alertId: string) =>
  (await harness.engine.listExecutions()).executions
    .filter((e) => e.name?.startsWith(investigationIdFor(alertId)))
    .map((e) => [e.name, e.status]);

describe('an updated finding', () => {
  it('adds its new evidence to an open investigation: woken, planned, nothing proposed twice', async () => {
    // Prepare
    const alertId = 'alert-update-open';
    await harness.ingest(anAlert(alertId, [file('open-f1', 'malicious')]));
    await harness.waitForAction(alertId, 'open-f1', (a) => a.status === 'Pending', 'Pending');

    // Act
    const update = await harness.ingest(
      anAlert(alertId, [file('open-f1', 'malicious'), file('open-f2', 'suspicious')]),
      'event-update-open',
    );
    const added = await harness.waitForAction(
      alertId,
      'open-f2',
      (a) => a.status === 'Pending',
      'Pending',
    );

    // Assess
    expect(update).toMatchObject({ outcome: 'updated' });
    const { actions, evidence } = await harness.stores.investigations.get(
      investigationIdFor(alertId),
    );
    expect(actions.map((a) => a.target.id).sort()).toEqual(['open-f1', 'open-f2']);
    expect(evidence.map((e) => e.id).sort()).toEqual(['open-f1', 'open-f2']);
    expect(added.investigationId).toBe(investigationIdFor(alertId));
    expect(await executionsOf(alertId)).toEqual([[investigationIdFor(alertId), 'RUNNING']]);
  }, 30_000);

  it('reopens a concluded investigation under a new execution, which plans only the new evidence', async () => {
    // Prepare: one action, rejected: the investigation concludes.
    const alertId = 'alert-update-concluded';
    const id = investigationIdFor(alertId);
    await harness.ingest(anAlert(alertId, [file('done-f1', 'malicious')]));
    await harness.decide(alertId, 'done-f1', 'reject');
    await harness.finished(alertId);

    // Act
    const update = await harness.ingest(
      anAlert(alertId, [file('done-f1', 'malicious'), file('done-f2', 'malicious')]),
      'event-update-concluded',
    );
    await harness.decide(alertId, 'done-f2', 'approve');
    const reopened = await harness.engine.waitForExecution(
      `${harness.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}-u1`,
    );

    // Assess
    expect(update).toMatchObject({ outcome: 'updated' });
    expect(reopened.status).toBe('SUCCEEDED');
    const { investigation, actions } = await harness.stores.investigations.get(id);
    expect(actions.map((a) => [a.target.id, a.status]).sort()).toEqual([
      ['done-f1', 'Rejected'],
      ['done-f2', 'Completed'],
    ]);
    expect(investigation.status).toBe('PartiallyRemediated');
    expect(investigation.endedAt).toBeDefined();
    expect(await executionsOf(alertId)).toEqual(
      expect.arrayContaining([
        [id, 'SUCCEEDED'],
        [`${id}-u1`, 'SUCCEEDED'],
      ]),
    );
  }, 30_000);

  it('answers an update that brings nothing new as a duplicate, proposing nothing', async () => {
    const alertId = 'alert-update-same';
    await harness.ingest(anAlert(alertId, [file('same-f1', 'malicious')]));
    await harness.waitForAction(alertId, 'same-f1', (a) => a.status === 'Pending', 'Pending');

    const again = await harness.ingest(
      anAlert(alertId, [file('same-f1', 'suspicious')]),
      'event-same',
    );

    expect(again).toMatchObject({ outcome: 'duplicate' });
    await eventually(async () => (await executionsOf(alertId)).length === 1 || undefined);
    const { actions } = await harness.stores.investigations.get(investigationIdFor(alertId));
    expect(actions).toHaveLength(1);
  }, 30_000);
});
