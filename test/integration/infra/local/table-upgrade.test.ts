// A data directory from before an index was added: the runtime's table is made again with every
// index and keeps its items, even when the upgrade was cut short by a kill.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput, INDEXES } from '../../../../functions/adapters/dynamodb/table.js';
import { startLocalDynamoDB } from '../../../../infra/local/dynamodb.js';

const TABLE = 'ActionCenter';
let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'table-upgrade-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** dynalite on the data directory's files, as the runtime opens them, with a client. */
async function onDisk<T>(work: (client: DynamoDBClient) => Promise<T>): Promise<T> {
  const server = dynalite({ path: join(dataDir, 'dynamodb'), createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await work(client);
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const item = (i: number) => ({ pk: { S: `INV#old-${i}` }, sk: { S: 'INV' }, n: { N: String(i) } });

/** The table as an older version made it: without the index added last. */
async function olderTable(client: DynamoDBClient, items: number) {
  const input = createTableInput(TABLE);
  const newest = INDEXES.at(-1)?.name;
  await client.send(
    new CreateTableCommand({
      ...input,
      GlobalSecondaryIndexes: input.GlobalSecondaryIndexes?.filter((g) => g.IndexName !== newest),
    }),
  );
  // dynalite makes the table ACTIVE a tick later even with createTableMs 0: a put before that is
  // a ResourceNotFoundException (seen on a loaded machine).
  await waitUntilTableExists(
    { client, maxWaitTime: 10, minDelay: 0.05, maxDelay: 0.2 },
    { TableName: TABLE },
  );
  for (let i = 0; i < items; i += 1) {
    await client.send(new PutItemCommand({ TableName: TABLE, Item: item(i) }));
  }
}

async function state(client: DynamoDBClient) {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
  const { Count } = await client.send(new ScanCommand({ TableName: TABLE, Select: 'COUNT' }));
  return {
    indexes: (Table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName).sort(),
    items: Count,
  };
}

const allIndexes = INDEXES.map((i) => i.name).sort();

describe('a data directory from an older version', () => {
  it('gets every index and keeps every item', async () => {
    await onDisk((client) => olderTable(client, 60));

    const local = await startLocalDynamoDB(TABLE, dataDir);
    await local.close();

    expect(await onDisk(state)).toEqual({ indexes: allIndexes, items: 60 });
    expect(existsSync(join(dataDir, 'table-upgrade.jsonl'))).toBe(false);
  });

  it('finishes an upgrade a kill cut short after the table was dropped, losing nothing', async () => {
    // Prepare: the backup was written and the table dropped, then the process died.
    await onDisk(async (client) => {
      await olderTable(client, 30);
      const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE }));
      writeFileSync(
        join(dataDir, 'table-upgrade.jsonl'),
        Items.map((i) => JSON.stringify(i)).join('\n'),
      );
      await client.send(new DeleteTableCommand({ TableName: TABLE }));
    });

    // Act
    const local = await startLocalDynamoDB(TABLE, dataDir);
    await local.close();

    // Assess
    expect(await onDisk(state)).toEqual({ indexes: allIndexes, items: 30 });
    expect(existsSync(join(dataDir, 'table-upgrade.jsonl'))).toBe(false);
  });

  it('ignores a backup that a kill cut short while it was written (the table was untouched)', async () => {
    await onDisk((client) => olderTable(client, 10));
    writeFileSync(join(dataDir, 'table-upgrade.jsonl.partial'), '{"pk":{"S":"INV#old-0"}');

    const local = await startLocalDynamoDB(TABLE, dataDir);
    await local.close();

    expect(await onDisk(state)).toEqual({ indexes: allIndexes, items: 10 });
  });
});
