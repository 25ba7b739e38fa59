// What a 2-action investigation asks of DynamoDB once its actions are approved in one bulk call
// (issue #19: fewer round trips and read units per alert). Counted on the product's client; the
// test's own waiting reads go through another client.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../functions/adapters/dynamodb/client.js';
import { createStores } from '../../../functions/adapters/dynamodb/index.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import { anAlert, file } from '../../fixtures/alerts.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';
import {
  type InvestigationHarness,
  startInvestigationHarness,
} from '../../support/investigation-harness.js';

interface Call {
  operation: string;
  /** The partition a Query reads, or the key a GetItem reads. */
  pk: string;
  sk?: string;
  consistent: boolean;
}

let table: LocalTable;
let harness: InvestigationHarness;
const calls: Call[] = [];

beforeAll(async () => {
  table = await startLocalTable();
  harness = await startInvestigationHarness(table);
  table.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as {
        Key?: { pk?: string; sk?: string };
        ExpressionAttributeValues?: Record<string, unknown>;
        ConsistentRead?: boolean;
        RequestItems?: Record<string, { ConsistentRead?: boolean }>;
      };
      const batch = Object.values(input.RequestItems ?? {})[0];
      calls.push({
        operation: String(context.commandName).replace(/Command$/, ''),
        pk: String(input.Key?.pk ?? input.ExpressionAttributeValues?.[':pk'] ?? ''),
        ...(input.Key?.sk && { sk: input.Key.sk }),
        consistent: Boolean(input.ConsistentRead ?? batch?.ConsistentRead),
      });
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
});
afterAll(async () => {
  await harness.close();
  await table.stop();
});

/** The test's own reads, on a client the count does not see. */
const observer = () => createStores(table.config, createDocumentClient(table.config));

async function pendingActionsOf(alertId: string) {
  const stores = observer();
  return eventually(
    async () => {
      const { actions } = await stores.investigations.get(investigationIdFor(alertId));
      return actions.length === 2 && actions.every((a) => a.status === 'Pending')
        ? actions
        : undefined;
    },
    { what: `both actions of ${alertId} Pending` },
  );
}

/** Until the investigation's wait is registered: Investigate and its refresh are over. */
async function waiting(alertId: string) {
  const doc = createDocumentClient(table.config);
  await eventually(
    async () => {
      const out = await doc.send(
        new GetCommand({
          TableName: table.config.tableName,
          Key: { pk: `INV#${investigationIdFor(alertId)}`, sk: 'INV' },
          ConsistentRead: true,
        }),
      );
      return out.Item?.waitToken ? out.Item : undefined;
    },
    { what: `${alertId} waiting` },
  );
}

/** One investigation: both actions approved in one bulk call; the calls from the approval on. */
async function approvedInBulk(alertId: string): Promise<Call[]> {
  await harness.ingest(
    anAlert(alertId, [file(`${alertId}-a`, 'malicious'), file(`${alertId}-b`, 'malicious')]),
  );
  const pending = await pendingActionsOf(alertId);
  await waiting(alertId);
  const from = calls.length;
  await harness.decideMany(
    pending.map((a) => a.id),
    'approve',
  );
  expect((await harness.finished(alertId)).status).toBe('SUCCEEDED');
  return calls.slice(from);
}

it('approves and remediates a 2-action investigation with few and cheap reads', async () => {
  // Prepare: a first investigation, so the audit appender's lease has a settled holder.
  await approvedInBulk('calls-warm-up');

  // Act
  const after = await approvedInBulk('calls-measured');

  // Assess
  const partition = `INV#${investigationIdFor('calls-measured')}`;
  const reads = after.filter((c) => /Get|Query/.test(c.operation));
  // Advance reads the partition once (actions and tracking) and once more after its refresh.
  expect(reads.filter((c) => c.operation === 'Query' && c.pk === partition)).toHaveLength(2);
  // The wake count (Advance) and the bulk read of the actions are eventually consistent.
  expect(reads.filter((c) => c.operation === 'GetItem' && c.sk === 'INV')).toEqual([
    { operation: 'GetItem', pk: partition, sk: 'INV', consistent: false },
  ]);
  // The appender reads an action's owed records once in a run that appends them (its clears
  // use what it read): at most one read per entry appended.
  const { items: entries } = await observer().audit.list({ window: '1d', limit: 100 }, new Date());
  const appended = entries.filter(
    (e) => e.investigationId === investigationIdFor('calls-measured'),
  );
  expect(appended.length).toBeGreaterThanOrEqual(4);
  expect(
    reads.filter((c) => c.operation === 'GetItem' && c.sk?.startsWith('ACTION#')).length,
  ).toBeLessThanOrEqual(appended.length);
  expect(reads.filter((c) => c.operation === 'BatchGetItem')).toEqual([
    { operation: 'BatchGetItem', pk: '', consistent: false },
  ]);
  // The audit appender's runs follow settled ones: neither the chain's tail nor its recent
  // entries are read.
  expect(reads.filter((c) => c.pk === 'AUDIT')).toEqual([]);
});
