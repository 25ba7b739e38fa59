// An in-memory dynalite on a random loopback port, with the Action Center table created.
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.js';
import { createTableInput } from '../../functions/adapters/dynamodb/table.js';
import { type Config, loadConfig } from '../../functions/config.js';

export interface LocalTable {
  config: Config;
  doc: DynamoDBDocumentClient;
  endpoint: string;
  stop(): Promise<void>;
}

let tableCounter = 0;

export async function startLocalTable(env: Record<string, string> = {}): Promise<LocalTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  tableCounter += 1;
  const config = loadConfig({
    ...process.env,
    TABLE_NAME: `ActionCenterTest${tableCounter}`,
    DYNAMODB_ENDPOINT: endpoint,
    ...env,
  });
  const raw = new DynamoDBClient({
    endpoint,
    region: config.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await raw.send(new CreateTableCommand(createTableInput(config.tableName)));
  raw.destroy();
  const doc = createDocumentClient(config);
  return {
    config,
    doc,
    endpoint,
    async stop() {
      doc.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
