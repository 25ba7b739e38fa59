// The webhook connector against real HTTP servers on loopback: a scripted one (to see exactly
// what is sent and to fail on cue) and the local receiver of infra/local.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createConnectorRegistry } from '../../../../functions/adapters/connectors/index.js';
import {
  WebhookConnector,
  type WebhookConnectorOptions,
} from '../../../../functions/adapters/connectors/webhook.js';
import { readWebhookSecret } from '../../../../functions/adapters/connectors/webhook-secret.js';
import { DynamoRemediationReports } from '../../../../functions/adapters/dynamodb/remediation-reports.js';
import { loadConfig } from '../../../../functions/config.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../../../infra/local/webhook-receiver.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

const SECRET = 'whsec-test-0123456789abcdef';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

type Reply = { status: number; body?: string; type?: string; headers?: Record<string, string> };

interface ScriptedServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: { close(): Promise<void> }[] = [];

/** Answers the n-th request (from 0) with `reply(n)`; `'hang'` never answers. */
async function startScriptedServer(
  reply: (n: number, request: Received) => Reply | 'hang',
): Promise<ScriptedServer> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const answer = reply(received.length - 1, request);
      if (answer === 'hang') return;
      res.writeHead(answer.status, {
        'content-type': answer.type ?? 'application/json',
        ...answer.headers,
      });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  const handle = {
    url: `http://127.0.0.1:${port}/hooks/action-center?token=abc`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

const json = (status: number, body: unknown): Reply => ({ status, body: JSON.stringify(body) });

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable();
});

afterAll(async () => {
  await table.stop();
});

function webhook(url: string, options: Partial<WebhookConnectorOptions> = {}) {
  return new WebhookConnector({
    url,
    secret: SECRET,
    timeoutMs: 2_000,
    backoffMs: 5,
    resultTimeoutSeconds: 600,
    reports: new DynamoRemediationReports(table.doc, table.config),
    ...options,
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

let action: Action;

beforeEach(() => {
  action = makeAction({ status: 'Running' });
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('webhook connector: the request', () => {
  it('POSTs the action as JSON, signed with HMAC-SHA256 over timestamp "." body', async () => {
    // Prepare
    const server = await startScriptedServer(() =>
      json(200, { outcome: 'FileQuarantined', detail: 'Quarantined by EDR job 42' }),
    );
    const before = Math.floor(Date.now() / 1000);

    // Act
    const outcome = completedOutcome(await webhook(server.url).submit(action));

    // Assess
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    const headers = request?.headers ?? {};
    const body = request?.body ?? '';
    const timestamp = String(headers['x-actioncenter-timestamp']);
    // Computed here, independently of the connector's code.
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
    expect(headers['x-actioncenter-signature']).toBe(`v1=${expected}`);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(timestamp)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(headers['idempotency-key']).toBe(action.id);
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(body)).toEqual({ version: 1, operation: 'execute', action });
    expect(outcome).toEqual({ outcome: 'FileQuarantined', detail: 'Quarantined by EDR job 42' });
  });

  it('a signature made with another secret does not match', async () => {
    const server = await startScriptedServer(() => json(200, { outcome: 'Done' }));

    await webhook(server.url).submit(action);

    const { headers, body } = server.received[0] as Received;
    const forged = createHmac('sha256', 'another-secret-entirely')
      .update(`${headers['x-actioncenter-timestamp']}.${body}`)
      .digest('hex');
    expect(headers['x-actioncenter-signature']).not.toBe(`v1=${forged}`);
  });

  it('undo is the same request with operation "undo" and its own idempotency key', async () => {
    // Prepare
    const server = await startScriptedServer(() => json(200, { outcome: 'FileRestored' }));
    const completed = { ...action, status: 'Completed' as const };

    // Act
    const outcome = await webhook(server.url).undo(completed);

    // Assess
    const { headers, body } = server.received[0] as Received;
    expect(JSON.parse(body)).toEqual({ version: 1, operation: 'undo', action: completed });
    expect(headers['idempotency-key']).toBe(`${action.id}:undo`);
    expect(headers['x-actioncenter-signature']).toBe(
      `v1=${createHmac('sha256', SECRET).update(`${headers['x-actioncenter-timestamp']}.${body}`).digest('hex')}`,
    );
    expect(outcome).toEqual({ outcome: 'FileRestored' });
  });
});

describe('webhook connector: the answer', () => {
  it('records a non-JSON answer as the status text, with the body as detail', async () => {
    const server = await startScriptedServer(() => ({
      status: 200,
      type: 'text/plain',
      body: 'done as job 7',
    }));

    const outcome = completedOutcome(await webhook(server.url).submit(action));

    expect(outcome).toEqual({
      outcome: 'OK',
      detail: 'Webhook answered HTTP 200 OK: done as job 7',
    });
  });

  it('keeps a structured detail as JSON text', async () => {
    const server = await startScriptedServer(() =>
      json(200, { outcome: 'DeviceIsolated', detail: { job: 7, host: 'web-1' } }),
    );

    const outcome = completedOutcome(await webhook(server.url).submit(action));

    expect(outcome).toEqual({ outcome: 'DeviceIsolated', detail: '{"job":7,"host":"web-1"}' });
  });
});

describe('webhook connector: retries', () => {
  it('retries a 503 with the same key and body, then takes the success', async () => {
    // Prepare
    const server = await startScriptedServer((n) =>
      n < 2 ? json(503, { error: { message: 'EDR busy' } }) : json(200, { outcome: 'Done' }),
    );

    // Act
    const outcome = completedOutcome(await webhook(server.url).submit(action));

    // Assess
    expect(outcome).toEqual({ outcome: 'Done' });
    expect(server.received).toHaveLength(3);
    expect(new Set(server.received.map((r) => r.headers['idempotency-key']))).toEqual(
      new Set([action.id]),
    );
    expect(new Set(server.received.map((r) => r.body)).size).toBe(1);
  });

  it('after the last attempt throws the transient error, so the state machine retries too', async () => {
    // Prepare
    const server = await startScriptedServer(() => json(503, { error: { message: 'EDR busy' } }));

    // Act
    const error = await rejectionOf(webhook(server.url, { maxAttempts: 3 }).submit(action));

    // Assess
    expect(server.received).toHaveLength(3);
    expect(error).toBeInstanceOf(ConnectorTransientError);
    expect(error.name).toBe('ConnectorTransientError');
    expect(error.message).toBe(
      `Webhook ${new URL(server.url).host} unavailable for execute of quarantineFile after 3 attempt(s): HTTP 503 Service Unavailable: EDR busy`,
    );
    // The reason names the receiver's host only: the URL's query may carry a token.
    expect(error.message).not.toContain('token=abc');
  });

  it.each([429, 408, 500, 502])('retries HTTP %i', async (status) => {
    const server = await startScriptedServer((n) =>
      n === 0 ? { status, body: '' } : json(200, { outcome: 'Done' }),
    );

    await expect(webhook(server.url).submit(action)).resolves.toEqual({
      state: 'completed',
      outcome: 'Done',
    });
    expect(server.received).toHaveLength(2);
  });

  it('does not retry a 400: a permanent error with the receiver message', async () => {
    // Prepare
    const server = await startScriptedServer(() =>
      json(400, { error: { message: 'Unknown device device-1' } }),
    );

    // Act
    const error = await rejectionOf(webhook(server.url).submit(action));

    // Assess
    expect(server.received).toHaveLength(1);
    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.name).toBe('ConnectorPermanentError');
    expect(error.message).toBe(
      `Webhook ${new URL(server.url).host} refused execute of quarantineFile (HTTP 400 Bad Request: Unknown device device-1)`,
    );
  });

  it.each([
    [
      { status: 403, type: 'text/plain', body: 'not allowed for this tenant' },
      'HTTP 403 Forbidden: not allowed for this tenant',
    ],
    [
      json(422, { message: 'file already deleted' }),
      'HTTP 422 Unprocessable Entity: file already deleted',
    ],
    [{ status: 404, body: '' }, 'HTTP 404 Not Found'],
  ])('a %j refusal is permanent and says why', async (reply, reason) => {
    const server = await startScriptedServer(() => reply);

    const error = await rejectionOf(webhook(server.url).submit(action));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain(`(${reason})`);
    expect(server.received).toHaveLength(1);
  });

  it('does not follow a redirect with a signed request', async () => {
    const server = await startScriptedServer(() => ({
      status: 307,
      headers: { location: 'https://elsewhere.example.com/' },
    }));

    const error = await rejectionOf(webhook(server.url).submit(action));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toMatch(/answered a redirect \(HTTP 307\)/);
    expect(server.received).toHaveLength(1);
  });
});

describe('webhook connector: timeouts and network errors', () => {
  it('gives up on an attempt after the timeout and retries it', async () => {
    // Prepare: the first attempt never gets an answer
    const server = await startScriptedServer((n) =>
      n === 0 ? 'hang' : json(200, { outcome: 'Done' }),
    );
    const started = Date.now();

    // Act
    const outcome = completedOutcome(await webhook(server.url, { timeoutMs: 150 }).submit(action));

    // Assess
    expect(outcome).toEqual({ outcome: 'Done' });
    expect(server.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('a receiver that never answers ends in the transient error', async () => {
    const server = await startScriptedServer(() => 'hang');

    const error = await rejectionOf(
      webhook(server.url, { timeoutMs: 100, maxAttempts: 2 }).submit(action),
    );

    expect(error).toBeInstanceOf(ConnectorTransientError);
    expect(error.message).toMatch(/after 2 attempt\(s\): no answer within 100 ms$/);
    expect(server.received).toHaveLength(2);
  });

  it('stops retrying at the deadline', async () => {
    const server = await startScriptedServer(() => 'hang');
    const started = Date.now();

    const error = await rejectionOf(
      webhook(server.url, { timeoutMs: 100, maxAttempts: 10, deadlineMs: 250 }).submit(action),
    );

    expect(error).toBeInstanceOf(ConnectorTransientError);
    expect(server.received.length).toBeLessThan(10);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a refused connection is a transient error', async () => {
    // Prepare: a port that was just closed
    const server = await startScriptedServer(() => json(200, {}));
    await server.close();

    // Act
    const error = await rejectionOf(webhook(server.url, { maxAttempts: 2 }).submit(action));

    // Assess
    expect(error).toBeInstanceOf(ConnectorTransientError);
    expect(error.message).toMatch(/network error \(ECONNREFUSED\)$/);
  });
});

describe('webhook connector: secret from Secrets Manager', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-AbCdEf';

  beforeEach(() => secretsManager.reset());

  it('fetches the secret once and signs with it', async () => {
    // Prepare
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const server = await startScriptedServer(() => json(200, { outcome: 'Done' }));
    const connector = webhook(server.url, {
      secret: () => readWebhookSecret(new SecretsManagerClient({}), ARN),
    });

    // Act
    await connector.submit(action);
    await connector.undo(action);

    // Assess
    expect(secretsManager.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN },
    ]);
    for (const { headers, body } of server.received) {
      expect(headers['x-actioncenter-signature']).toBe(
        `v1=${createHmac('sha256', SECRET).update(`${headers['x-actioncenter-timestamp']}.${body}`).digest('hex')}`,
      );
    }
  });

  it('a missing secret is a permanent error, and a later call tries again', async () => {
    // Prepare
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: 'no such secret',
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolves({ SecretString: SECRET });
    const server = await startScriptedServer(() => json(200, { outcome: 'Done' }));
    const connector = webhook(server.url, {
      secret: () => readWebhookSecret(new SecretsManagerClient({}), ARN),
    });

    // Act
    const error = await rejectionOf(connector.submit(action));
    const outcome = completedOutcome(await connector.submit(action));

    // Assess
    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain('reading the webhook signing secret');
    expect(server.received).toHaveLength(1);
    expect(outcome).toEqual({ outcome: 'Done' });
  });
});

describe('webhook connector with the local receiver', () => {
  let receiver: WebhookReceiver;
  let logged: [string, Record<string, unknown>][];

  beforeEach(async () => {
    logged = [];
    const log = (message: string, fields: Record<string, unknown>) =>
      logged.push([message, fields]);
    receiver = await startWebhookReceiver({ port: 0, secret: SECRET, log });
    servers.push(receiver);
  });

  it('is verified, logged and answered with {outcome, detail}', async () => {
    // Act
    const outcome = completedOutcome(await webhook(receiver.url).submit(action));

    // Assess
    expect(outcome).toEqual({
      outcome: 'Applied',
      detail: `Quarantine file ${action.target.displayName} on device-1 (local webhook receiver)`,
    });
    expect(logged).toEqual([
      [
        'Webhook request',
        {
          actionId: action.id,
          type: 'quarantineFile',
          operation: 'execute',
          idempotencyKey: action.id,
          signatureOk: true,
          fresh: true,
        },
      ],
    ]);
  });

  it('answers a repeat delivery (same Idempotency-Key) as the first, without doing it again', async () => {
    // Prepare
    const connector = webhook(receiver.url);
    const first = completedOutcome(await connector.submit(action));

    // Act
    const repeat = completedOutcome(await connector.submit(action));

    // Assess
    expect(repeat).toEqual(first);
    expect(logged.map(([message]) => message)).toEqual([
      'Webhook request',
      'Webhook request',
      'Webhook repeat delivery answered as before',
    ]);
  });

  it('undo after execute is a new request, answered with the reversal', async () => {
    const connector = webhook(receiver.url);
    await connector.submit(action);

    const outcome = await connector.undo({ ...action, status: 'Completed' });

    expect(outcome.outcome).toBe('Reverted');
    expect(outcome.detail).toMatch(/^Reversed: Quarantine file/);
  });

  it('refuses a request signed with another secret: a permanent error', async () => {
    const error = await rejectionOf(
      webhook(receiver.url, { secret: 'not-the-receivers-secret' }).submit(action),
    );

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain('HTTP 401 Unauthorized: Bad signature');
    expect(logged).toEqual([['Webhook request', expect.objectContaining({ signatureOk: false })]]);
  });

  it('refuses a replayed request whose timestamp is too old', async () => {
    const oneHourAgo = () => new Date(Date.now() - 3_600_000);

    const error = await rejectionOf(webhook(receiver.url, { clock: oneHourAgo }).submit(action));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain('replay refused');
  });
});

describe('the registry routes to the webhook connector from the config', () => {
  it('carries out and undoes an action through the receiver, as a Lambda would at cold start', async () => {
    // Prepare
    const receiver = await startWebhookReceiver({ port: 0, secret: SECRET, log: () => {} });
    servers.push(receiver);
    const config = loadConfig({
      TABLE_NAME: 'ActionCenter',
      CONNECTORS: JSON.stringify({ endpoint: 'webhook', email: 'builtin' }),
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    const registry = createConnectorRegistry(config, { doc: {} as DynamoDBDocumentClient });

    // Act
    const connector = registry.connectorFor(action);
    const executed = completedOutcome(await connector.submit(action));
    const undone = await connector.undo({ ...action, status: 'Completed' });

    // Assess
    expect(connector.name).toBe('webhook');
    expect(executed.outcome).toBe('Applied');
    expect(undone.outcome).toBe('Reverted');
  });
});
