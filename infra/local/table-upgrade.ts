// A data directory made by an older version lacks the indexes added since (the audit outbox's).
// dynalite ignores an index created by UpdateTable, so the table is made again with every index
// and its items are put back. The items are first written to a file beside the table (fsynced):
// a runtime killed between deleting the table and putting them back restores them at its next
// start, so an upgrade never loses data.
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../functions/adapters/dynamodb/table.js';

/** BatchWriteItem's limit. */
const BATCH = 25;

type Item = Record<string, AttributeValue>;

async function scanAll(client: DynamoDBClient, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * One item per line, fsynced, then renamed into place: the file exists only whole, so a kill while
 * it is written leaves the table as it was and no backup to restore.
 */
function writeBackup(file: string, items: readonly Item[]): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w', 0o600);
  try {
    for (const item of items) writeSync(fd, `${JSON.stringify(item)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
}

async function putAll(client: DynamoDBClient, tableName: string, items: readonly Item[]) {
  for (let i = 0; i < items.length; i += BATCH) {
    let requests = items.slice(i, i + BATCH).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const out = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (out.UnprocessedItems?.[tableName] ?? []).flatMap((r) =>
        r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : [],
      );
    }
  }
}

/** The table made anew with every index (whatever is there is dropped first). */
async function recreate(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new DeleteTableCommand({ TableName: tableName })).catch((error) => {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  });
  // dynalite drops a table asynchronously: it is gone once DescribeTable no longer finds it.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) break;
      throw error;
    }
    if (attempt >= 200) throw new Error(`Table ${tableName} was not dropped`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await untilActive(client, tableName);
}

/**
 * Waits for a table dynalite is making: even with createTableMs 0 it is CREATING for a moment, and
 * a write then is a ResourceNotFoundException (seen on a loaded machine, failing a start).
 */
export async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  await waitUntilTableExists(
    { client, maxWaitTime: 30, minDelay: 0.05, maxDelay: 0.5 },
    { TableName: tableName },
  );
}

/** Makes the table again with every index, keeping its items (through `backupFile`). */
export async function recreateWithIndexes(
  client: DynamoDBClient,
  tableName: string,
  backupFile: string,
): Promise<void> {
  writeBackup(backupFile, await scanAll(client, tableName));
  await restoreFromBackup(client, tableName, backupFile);
}

/**
 * Finishes an upgrade a kill interrupted: the table is made anew and the saved items put back
 * (puts are idempotent, so a second interruption only repeats them). Nothing to do without a file.
 */
export async function restoreFromBackup(
  client: DynamoDBClient,
  tableName: string,
  backupFile: string,
): Promise<boolean> {
  if (!existsSync(backupFile)) return false;
  const items = readFileSync(backupFile, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Item);
  await recreate(client, tableName);
  await putAll(client, tableName, items);
  rmSync(backupFile);
  return true;
}
