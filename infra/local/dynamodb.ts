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
import { privateDir } from './data-dir.js';
import { recreateWithIndexes } from './table-upgrade.js';

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
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const present = (Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName);
    if (INDEXES.some((index) => !present.includes(index.name))) {
      await recreateWithIndexes(client, tableName);
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
