// Pending actions reach people: the runtime started with a notification webhook sends one signed
// ActionsPending message for an alert whose investigation proposes several actions, and each
// action's decision link opens through the API; its scheduled run sends the day's Digest once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import type { NotificationMessage } from '../../../functions/core/notification-messages.js';
import {
  checkWebhookSignature,
  WEBHOOK_HEADERS,
} from '../../../functions/core/webhook-signature.js';
import { ALERT_DETAIL_TYPE, DEFAULT_ALERT_SOURCE } from '../../../functions/ingest/rule.js';
import {
  apiClient,
  eventually,
  putAllEvents,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../support/runtime-process.js';

jest.setTimeout(90_000);

const SECRET = 'e2e-notify-secret-0123456789abcdef';
let receiver: Server;
const received: { body: string; timestamp?: string; signature?: string }[] = [];
let runtime: RuntimeProcess;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({
        body: Buffer.concat(chunks).toString('utf8'),
        timestamp: request.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string,
        signature: request.headers[WEBHOOK_HEADERS.signature.toLowerCase()] as string,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  runtime = await startRuntimeProcess({
    env: {
      NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`,
      NOTIFY_WEBHOOK_SECRET: SECRET,
      // From midnight UTC: the digest is due at once, whenever the test runs.
      NOTIFY_DIGEST_HOUR: '0',
    },
  });
});

afterAll(async () => {
  await runtime?.stop();
  if (runtime) removeDataDir(runtime.dataDir);
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const eventsOf = (event: NotificationMessage['event']) =>
  received.filter((r) => (JSON.parse(r.body) as NotificationMessage).event === event);
const pendingMessages = () => eventsOf('ActionsPending');

const file = (name: string) => ({
  kind: 'file',
  id: `sha256:${name}`,
  verdict: 'malicious',
  deviceId: 'dev-fin-1',
  displayName: name,
});

it('sends one signed message for an alert with five actions, each with a link that opens', async () => {
  // Act
  await putAllEvents(runtime.url, [
    {
      Source: DEFAULT_ALERT_SOURCE,
      DetailType: ALERT_DETAIL_TYPE,
      Detail: JSON.stringify({
        alertId: 'notify-e2e-1',
        title: 'Five droppers on a finance laptop',
        severity: 'high',
        detectionSource: 'EDR',
        detectedAt: new Date().toISOString(),
        entities: ['a.exe', 'b.exe', 'c.exe', 'd.exe', 'e.exe'].map(file),
      }),
    },
  ]);

  // Assess: one message, after its batching window.
  const [message] = await eventually(
    async () => (pendingMessages().length > 0 ? pendingMessages() : undefined),
    'the notification',
  );
  await new Promise((r) => setTimeout(r, 3000));
  expect(pendingMessages()).toHaveLength(1);
  const check = checkWebhookSignature({
    secret: SECRET,
    timestamp: message?.timestamp,
    signature: message?.signature,
    body: message?.body ?? '',
    now: new Date(),
  });
  expect(check).toBe('ok');
  const body = JSON.parse(message?.body ?? '{}') as NotificationMessage;
  expect(body).toMatchObject({
    event: 'ActionsPending',
    investigation: { title: 'Five droppers on a finance laptop', severity: 'high' },
  });
  expect(body.actions.map((a) => a.target).sort()).toEqual([
    'a.exe',
    'b.exe',
    'c.exe',
    'd.exe',
    'e.exe',
  ]);
  expect(message?.body).not.toContain(SECRET);
  const api = apiClient(runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));
  const link = body.actions[0]?.link ?? '';
  expect(link.startsWith(`${runtime.url}/#/decide/`)).toBe(true);
  const opened = await api.get(`/links/${link.slice(link.indexOf('#/decide/') + 9)}`);
  expect(opened.status).toBe(200);
  expect(opened.json.action.id).toBe(body.actions[0]?.id);
});

it("sends the day's digest of those actions once, on the scheduled run", async () => {
  const [digest] = await eventually(
    async () => (eventsOf('Digest').length > 0 ? eventsOf('Digest') : undefined),
    'the digest',
  );
  // Two more scheduled runs (every RECONCILE_SECONDS, 2 s here): the day's digest is sent.
  await new Promise((r) => setTimeout(r, 5000));

  expect(eventsOf('Digest')).toHaveLength(1);
  const body = JSON.parse(digest?.body ?? '{}') as NotificationMessage;
  expect(body.investigation).toBeUndefined();
  expect(body.pendingTotal).toBe(5);
  expect(body.actions.map((a) => a.target).sort()).toEqual([
    'a.exe',
    'b.exe',
    'c.exe',
    'd.exe',
    'e.exe',
  ]);
  expect(new Set(body.actions.map((a) => a.investigationId)).size).toBe(1);
});
