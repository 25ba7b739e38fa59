// The built-in connector over dynalite: a journal item per action id, idempotent both ways.

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { BuiltinConnector } from '../../../../functions/adapters/connectors/builtin.js';
import { createConnectorRegistry } from '../../../../functions/adapters/connectors/index.js';
import { keys } from '../../../../functions/adapters/dynamodb/keys.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

let table: LocalTable;
let connector: BuiltinConnector;

beforeAll(async () => {
  table = await startLocalTable();
  connector = new BuiltinConnector(table.doc, table.config, () => new Date('2026-11-01T12:00:00Z'));
});
afterAll(() => table.stop());

const journal = async (actionId: string) =>
  (
    await table.doc.send(
      new GetCommand({ TableName: table.config.tableName, Key: keys.connectorJournal(actionId) }),
    )
  ).Item;

describe('built-in connector', () => {
  it('records the change once, keyed by the action id, and gives the same outcome again', async () => {
    const action = makeAction({ status: 'Running' });

    const first = completedOutcome(await connector.submit(action));
    const second = completedOutcome(await connector.submit(action));

    expect(first).toEqual(second);
    expect(first.outcome).toBe('FileQuarantined');
    expect(first.detail).toContain(action.target.displayName);
    expect(await journal(action.id)).toMatchObject({
      actionId: action.id,
      connector: 'builtin',
      state: 'applied',
      appliedAt: '2026-11-01T12:00:00.000Z',
    });
  });

  it('undoes a recorded change once; the undone change is not carried out again', async () => {
    const action = makeAction({ status: 'Completed' });
    await connector.submit(action);

    const undone = await connector.undo(action);
    const again = await connector.undo(action);

    expect(undone).toEqual(again);
    expect(undone.outcome).toBe('FileRestored');
    expect((await journal(action.id))?.state).toBe('undone');
    await expect(connector.submit(action)).rejects.toMatchObject({
      name: 'ConnectorPermanentError',
    });
  });

  it('answers status from its journal: completed once recorded, undone or not', async () => {
    const action = makeAction({ status: 'Running' });
    const submitted = await connector.submit(action);

    const status = await connector.status(action);
    await connector.undo(action);
    const afterUndo = await connector.status(action);

    expect(submitted.state).toBe('completed');
    expect(status).toEqual(submitted);
    expect(afterUndo).toEqual(submitted);
  });

  it('answers status failed for a change it never recorded', async () => {
    const action = makeAction({ status: 'Running' });

    const status = await connector.status(action);

    expect(status).toEqual({
      state: 'failed',
      reason: `No recorded change of action ${action.id}`,
    });
  });

  it('refuses to undo what it never did', async () => {
    await expect(connector.undo(makeAction())).rejects.toMatchObject({
      name: 'ConnectorPermanentError',
    });
  });

  it('is what the registry hands out by default', () => {
    const registry = createConnectorRegistry(table.config, { doc: table.doc });

    expect(registry.connectorFor(makeAction()).name).toBe('builtin');
  });
});
