// The DynamoDB API: dynalite, with LevelDB files under the data directory (or memory), in its own
// process (./dynalite-process.ts: the table is served on the second core), listening on a Unix
// socket in a private directory, so only the runtime's verifying front reaches it.

import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import {
  Agent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/types';
import { createTableInput, INDEXES } from '../../functions/adapters/dynamodb/table.js';
import { logger } from '../../functions/observability.js';
import { privateDir } from './data-dir.js';
import { CLOSE_MESSAGE, type DynaliteStart, type DynaliteStarted } from './dynalite-process.js';
import { recreateWithIndexes, restoreFromBackup, untilActive } from './table-upgrade.js';

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
/** How long the close waits for the requests dynalite is still answering. */
const CLOSE_GRACE_MS = 10_000;

export interface LocalDynamoDB {
  /** Hands a request whose signature was checked to dynalite, and its answer back. */
  forward(
    request: { method: string; path: string; headers: IncomingHttpHeaders },
    body: Buffer,
    response: ServerResponse,
  ): Promise<void>;
  /**
   * A document client straight to dynalite over its socket, for this process only: the runtime's
   * own functions (no signature check and no second hop through the front) and test seeding.
   * Its accepted writes reach `onAccepted` as the front's do.
   */
  documentClient(): DynamoDBDocumentClient;
  close(): Promise<void>;
}

export async function startLocalDynamoDB(
  tableName: string,
  dataDir: string | undefined,
  /**
   * Called after each request dynalite answered 200 (its X-Amz-Target and body): the runtime's
   * stand-in for the table's stream (./outbox-trigger.ts).
   */
  onAccepted: (target: string, body: Buffer) => void = () => {},
  /** Called if dynalite's process ends while the runtime still needs it. */
  onExit: (reason: string) => void = () => {},
): Promise<LocalDynamoDB> {
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, 'dynamodb');
    privateDir(path);
  }
  // mkdtemp makes the directory 0700: no other user can connect to the socket inside.
  const socketDir = mkdtempSync(join(tmpdir(), 'action-center-dynamodb-'));
  const socketPath = join(socketDir, 'dynalite.sock');
  const dynalite = await startDynaliteProcess({ socketPath, path }, onExit);
  const agent = new Agent({ keepAlive: true });
  // Every connection of this agent goes to the socket, whatever host the URL names.
  agent.createConnection = () => connect(socketPath);
  // Requests handed to dynalite and not yet answered: the close waits for them.
  const inFlight = new Set<Promise<unknown>>();
  const tracked = async <T>(request: Promise<T>): Promise<T> => {
    inFlight.add(request);
    try {
      return await request;
    } finally {
      inFlight.delete(request);
    }
  };
  const direct = () =>
    new DynamoDBClient({
      endpoint: 'http://localhost',
      region: 'us-east-1',
      credentials: { accessKeyId: 'runtime', secretAccessKey: 'runtime' },
      signer: SHAPE_ONLY_SIGNER,
      requestHandler: new ObservedHandler(agent, onAccepted, tracked),
    });
  const client = direct();
  try {
    // An upgrade that a kill interrupted is finished first (its items are in the backup file).
    const backup = path && join(path, '..', 'table-upgrade.jsonl');
    if (backup && (await restoreFromBackup(client, tableName, backup))) {
      logger.warn('Finished a table upgrade that was interrupted', { tableName });
    } else {
      await ensureTable(client, tableName, backup);
    }
  } catch (error) {
    // No table, no runtime: dynalite's process ends with this start.
    agent.destroy();
    await dynalite.stop();
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  } finally {
    client.destroy();
  }
  let closing = false;
  const send = (
    request: { method: string; path: string; headers: IncomingHttpHeaders },
    body: Buffer,
    response: ServerResponse,
  ) =>
    new Promise<void>((resolve, reject) => {
      const { host: _host, connection: _connection, ...headers } = request.headers;
      const upstream = httpRequest(
        {
          agent,
          method: request.method,
          path: request.path,
          headers: { ...headers, host: 'localhost' },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(response);
          // A caller gone (the runtime closing its connections) still lets the answer finish.
          response.on('close', () => answer.resume());
          answer.on('end', () => {
            if (answer.statusCode === 200) onAccepted(String(headers['x-amz-target']), body);
            resolve();
          });
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  return {
    documentClient: () =>
      DynamoDBDocumentClient.from(direct(), { marshallOptions: { removeUndefinedValues: true } }),
    forward: async (request, body, response) => {
      if (closing) {
        response.writeHead(503, { 'Content-Type': 'application/x-amz-json-1.0' });
        response.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ServiceUnavailable',
            message: 'The local runtime is shutting down',
          }),
        );
        return;
      }
      await tracked(send(request, body, response));
    },
    close: async () => {
      closing = true;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref()),
      ]);
      agent.destroy();
      await dynalite.stop();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * dynalite only checks a signature's shape (the front before it checks real ones, for other
 * processes): the clients on its socket send that shape without computing an HMAC per request,
 * which was about 8 % of the runtime's CPU under load.
 */
const SHAPE_ONLY_SIGNER = {
  async sign(request: HttpRequest): Promise<HttpRequest> {
    const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers['x-amz-date'] = date;
    request.headers.authorization = `AWS4-HMAC-SHA256 Credential=runtime/${date.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=unsigned`;
    return request;
  },
};

/** The socket's HTTP handler, telling `onAccepted` of every request dynalite answered 200. */
class ObservedHandler extends NodeHttpHandler {
  constructor(
    agent: Agent,
    private readonly onAccepted: (target: string, body: Buffer) => void,
    private readonly tracked: <T>(request: Promise<T>) => Promise<T>,
  ) {
    super({ httpAgent: agent });
  }

  override async handle(...args: Parameters<NodeHttpHandler['handle']>) {
    const [request] = args;
    const answer = await this.tracked(super.handle(...args));
    if (answer.response.statusCode === 200) {
      this.onAccepted(String(request.headers['x-amz-target']), bodyBytes(request.body));
    }
    return answer;
  }

  /** The agent is shared by every client of the socket: it ends with the local DynamoDB's close. */
  override destroy(): void {}
}

/** A request body as bytes: the SDK's JSON body is a string or a Uint8Array (not read as text). */
function bodyBytes(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body);
  const bytes = body as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const DYNALITE_PROCESS = fileURLToPath(new URL('./dynalite-process.ts', import.meta.url));

/** dynalite's process, listening; `onExit` hears of an end the runtime did not ask for. */
async function startDynaliteProcess(
  start: DynaliteStart,
  onExit: (reason: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const child = fork(DYNALITE_PROCESS, [], {
    // TypeScript through tsx, whatever loader (or none) the runtime itself was started with.
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ended = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(`dynalite's process ended (${signal ?? code})`)),
  );
  const started = await Promise.race([
    new Promise<DynaliteStarted>((resolve) => {
      child.once('message', (message) => resolve(message as DynaliteStarted));
      child.send(start);
    }),
    ended.then((error): DynaliteStarted => ({ ready: false, error })),
  ]);
  if (!started.ready) {
    child.kill('SIGKILL');
    throw new Error(started.error);
  }
  let stopping = false;
  void ended.then((reason) => {
    if (!stopping) onExit(reason);
  });
  return {
    // Asks it to close its server and database, and waits for it to end.
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send(CLOSE_MESSAGE);
      const killer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
      await ended;
      clearTimeout(killer);
    },
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
    await untilActive(client, tableName);
    return;
  }
  if (INDEXES.every((index) => present.includes(index.name))) return;
  if (!backup) throw new Error(`Table ${tableName} lacks an index and keeps nothing on disk`);
  await recreateWithIndexes(client, tableName, backup);
  logger.info('Table upgraded with the indexes added since it was made', { tableName });
}
