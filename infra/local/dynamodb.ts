// The DynamoDB API on loopback: dynalite, with LevelDB files under the data directory (or memory).
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput, INDEXES } from '../../functions/adapters/dynamodb/table.js';
import { logger } from '../../functions/observability.js';
import { privateDir } from './data-dir.js';
import { recreateWithIndexes, restoreFromBackup } from './table-upgrade.js';

export interface LocalDynamoDB {
  endpoint: string;
  close(): Promise<void>;
}

export async function startLocalDynamoDB(
  tableName: string,
  dataDir: string | undefined,
): Promise<LocalDynamoDB> {
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, 'dynamodb');
    privateDir(path);
  }
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    // An upgrade that a kill interrupted is finished first (its items are in the backup file).
    const backup = path && join(path, '..', 'table-upgrade.jsonl');
    if (backup && (await restoreFromBackup(client, tableName, backup))) {
      logger.warn('Finished a table upgrade that was interrupted', { tableName });
    } else {
      await ensureTable(client, tableName, backup);
    }
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The table, made if absent, made again with its items if it lacks an index added since. */
async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  backup: string | undefined,
): Promise<void> {
  let present: (string | undefined)[];
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    present = (Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName);
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    return;
  }
  if (INDEXES.every((index) => present.includes(index.name))) return;
  if (!backup) throw new Error(`Table ${tableName} lacks an index and keeps nothing on disk`);
  await recreateWithIndexes(client, tableName, backup);
  logger.info('Table upgraded with the indexes added since it was made', { tableName });
}
