// Closing the local table while requests are in flight (the runtime stopped under load): the
// requests dynalite took are answered before its database closes, later ones get DynamoDB's
// ServiceUnavailable, and the process lives on (dynalite throws out of its callback, killing the
// process, when its database closes under a request).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDB, startLocalDynamoDB } from '../../../../infra/local/dynamodb.js';

const TABLE = 'ActionCenter';
let dataDir: string;
let local: LocalDynamoDB;
let front: Server;
let client: DynamoDBClient;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-close-'));
  local = await startLocalDynamoDB(TABLE, dataDir);
  // The runtime's front without its signature check: each request handed to the table.
  front = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void local
        .forward(
          { method: request.method ?? 'POST', path: request.url ?? '/', headers: request.headers },
          Buffer.concat(chunks),
          response,
        )
        .catch(() => response.destroy());
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', () => resolve()));
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterEach(() => {
  client.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

it('answers the writes in flight before the database closes, and refuses the ones after', async () => {
  const put = (i: number) =>
    client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: { pk: { S: `INV#close-${i}` }, sk: { S: 'INV' }, n: { N: String(i) } },
      }),
    );
  const writes = Array.from({ length: 200 }, (_, i) => put(i));
  // Let some reach the table, then stop as the runtime does: its connections first, then the table.
  await writes[0];
  front.closeAllConnections();
  await local.close();
  const settled = await Promise.allSettled(writes);
  const after = await put(1000).catch((error: Error) => error);

  expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThan(0);
  expect(after).toMatchObject({ name: 'ServiceUnavailable' });
  await new Promise<void>((resolve) => front.close(() => resolve()));
});
