// Undo on the real ASL and task handlers: the API records the request and wakes (or reopens) the
// investigation; Advance runs the connector's undo with the remediation's retry rules and records
// Undone, or the failure on the action, which stays Completed.
import { ConflictError, ConnectorFailedError } from '../../../functions/core/errors.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import { anAlert, file } from '../../fixtures/alerts.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';
import {
  type InvestigationHarness,
  OPERATOR,
  startInvestigationHarness,
} from '../../support/investigation-harness.js';

let table: LocalTable;
let harness: InvestigationHarness;

beforeAll(async () => {
  table = await startLocalTable();
  harness = await startInvestigationHarness(table, {
    connector: {
      'u-slow': { undoTakesSeconds: 3 },
      'u-flaky': { undoTransient: 2 },
      'u-refused': { undoRefused: 'Instance i-0abc is protected by policy p-9' },
    },
  });
});
afterAll(async () => {
  await harness.close();
  await table.stop();
});

/** An investigation whose `targetId` file is Completed; `keepOpen` leaves a second action Pending. */
async function completedIn(alertId: string, targetId: string, keepOpen: boolean) {
  const entities = [
    file(targetId, 'malicious'),
    ...(keepOpen ? [file(`${targetId}-other`, 'malicious')] : []),
  ];
  await harness.ingest(anAlert(alertId, entities));
  await harness.decide(alertId, targetId, 'approve');
  return harness.waitForAction(alertId, targetId, (a) => a.status === 'Completed', 'Completed');
}

const auditEventsOf = async (actionId: string) => {
  const { items } = await harness.stores.audit.list({ window: '1d', limit: 500 }, new Date());
  return items
    .filter((e) => e.actionId === actionId)
    .reverse()
    .map((e) => [e.event, e.actor]);
};

describe('undo through the workflow', () => {
  it('undoes a Completed action of an open investigation within the wait, audited once', async () => {
    // Prepare
    const action = await completedIn('alert-undo-open', 'u-open', true);

    // Act
    const outcome = await harness.undo(action.id);

    // Assess
    expect(outcome.finished).toBe(true);
    expect(outcome.action).toMatchObject({
      status: 'Undone',
      undoRequested: { by: OPERATOR, comment: 'business app' },
    });
    expect(harness.connector.undoCalls.get('u-open')).toBe(1);
    await eventually(
      async () => ((await auditEventsOf(action.id)).length >= 4 ? true : undefined),
      {
        what: 'the undo audited',
      },
    );
    expect(await auditEventsOf(action.id)).toEqual([
      ['ActionApproved', OPERATOR],
      ['ActionCompleted', 'System'],
      ['UndoRequested', OPERATOR],
      ['ActionUndone', OPERATOR],
    ]);
  }, 60_000);

  it('reopens a concluded investigation under a new execution, which undoes the action and concludes again', async () => {
    // Prepare: the only action completed, so the investigation concluded.
    const alertId = 'alert-undo-concluded';
    const id = investigationIdFor(alertId);
    const action = await completedIn(alertId, 'u-concluded', false);
    await harness.finished(alertId);

    // Act
    const outcome = await harness.undo(action.id);
    const reopened = await harness.engine.waitForExecution(
      `${harness.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}-u1`,
    );

    // Assess
    expect(outcome).toMatchObject({ finished: true, action: { status: 'Undone' } });
    expect(reopened.status).toBe('SUCCEEDED');
    const { investigation } = await harness.stores.investigations.get(id);
    expect(investigation.endedAt).toBeDefined();
    expect(investigation.counts).toMatchObject({ actions: 1, completed: 1 });
  }, 60_000);

  it('answers before a slow undo finishes (202), refuses a second request meanwhile, and records Undone later', async () => {
    // Prepare
    const action = await completedIn('alert-undo-slow', 'u-slow', true);

    // Act
    const first = await harness.undo(action.id, 1);
    const second = await harness.undo(action.id, 1).catch((error: unknown) => error);
    const undone = await harness.waitForAction(
      'alert-undo-slow',
      'u-slow',
      (a) => a.status === 'Undone',
      'Undone',
    );

    // Assess
    expect(first.finished).toBe(false);
    expect(first.action).toMatchObject({ status: 'Completed', undoRequested: { by: OPERATOR } });
    expect(second).toBeInstanceOf(ConflictError);
    expect(undone.result?.outcome).toBeDefined();
    expect(harness.connector.undoCalls.get('u-slow')).toBe(1);
  }, 60_000);

  it('retries an undo whose target is unreachable for a while, as it retries remediation', async () => {
    // Prepare
    const action = await completedIn('alert-undo-flaky', 'u-flaky', true);

    // Act
    const outcome = await harness.undo(action.id, 10);

    // Assess
    expect(outcome).toMatchObject({ finished: true, action: { status: 'Undone' } });
    expect(harness.connector.undoCalls.get('u-flaky')).toBe(3);
  }, 60_000);

  it('keeps a refused undo on the action, which stays Completed and may be undone again', async () => {
    // Prepare
    const action = await completedIn('alert-undo-refused', 'u-refused', true);

    // Act
    const refused = await harness.undo(action.id).catch((error: unknown) => error);
    const after = await harness.stores.actions.get(action.id);
    const again = await harness.undo(action.id).catch((error: unknown) => error);

    // Assess
    expect(refused).toBeInstanceOf(ConnectorFailedError);
    expect(refused).toMatchObject({ code: 'UndoRefused', retryable: false });
    expect(after).toMatchObject({
      status: 'Completed',
      undoFailure: {
        retryable: false,
        reason: expect.stringContaining('protected by policy p-9'),
      },
    });
    expect(after?.undoRequested).toBeUndefined();
    // The second refusal's record is chained a moment after its write, which the undo saw.
    const lastTwo = await eventually(
      async () => {
        const events = await auditEventsOf(action.id);
        return events.at(-1)?.[0] === 'UndoFailed' ? events.slice(-2) : undefined;
      },
      { what: 'the second refusal audited' },
    );
    expect(lastTwo).toEqual([
      ['UndoRequested', OPERATOR],
      ['UndoFailed', 'System'],
    ]);
    expect(
      (await auditEventsOf(action.id)).filter(([event]) => event === 'UndoRequested'),
    ).toHaveLength(2);
    // Asked again (not a 409), and refused again.
    expect(again).toMatchObject({ code: 'UndoRefused' });
    expect(harness.connector.undoCalls.get('u-refused')).toBe(2);
  }, 60_000);
});
