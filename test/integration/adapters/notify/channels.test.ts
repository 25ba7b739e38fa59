// The notification channels against a local receiver: the webhook's signature checks out with the
// receiver's copy of the secret, Slack and Teams get their JSON, what may pass is retried with
// backoff (Retry-After honoured), a refusal or a redirect is not retried, and a message that
// cannot be delivered ends in DeliveryFailed, never silently.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DeliveryFailed,
  slackChannel,
  teamsChannel,
  webhookChannel,
} from '../../../../functions/adapters/notify/channels.js';
import type { NotificationMessage } from '../../../../functions/core/notification-messages.js';
import {
  checkWebhookSignature,
  WEBHOOK_HEADERS,
} from '../../../../functions/core/webhook-signature.js';

const SECRET = 'receiver-shared-secret-0123456789abcdef';
const FAST = { baseDelayMs: 5 };

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let url: string;
let received: Received[];
/** How the receiver answers the n-th request (0-based); 200 after the list runs out. */
let answers: ((response: ServerResponse) => void)[];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[received.length - 1];
      if (answer) answer(response);
      else response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  // The silent receiver's connections are still open.
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  answers = [];
});

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (response: ServerResponse) =>
    response.writeHead(code, headers).end();

const MESSAGE: NotificationMessage = {
  event: 'ActionsPending',
  investigation: { id: 'inv-0123456789abcdef0123', title: 'Dropper on a laptop', severity: 'high' },
  actions: [
    {
      id: 'act-0123456789abcdef0123-0123456789ab',
      investigationId: 'inv-0123456789abcdef0123',
      type: 'isolateDevice',
      target: 'fin-laptop-7',
      severity: 'high',
      expiresAt: '2026-12-09T08:00:00.000Z',
      link: 'https://ac.example.com/#/decide/v1.abc.def',
    },
  ],
  sentAt: '2026-12-02T08:00:00.000Z',
};

describe('the generic webhook channel', () => {
  it('posts the message as JSON, signed so that the receiver can check it with its secret', async () => {
    await webhookChannel(url, SECRET, FAST).send(MESSAGE);

    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [Received];
    expect(JSON.parse(body)).toEqual(MESSAGE);
    expect(headers['content-type']).toBe('application/json');
    const check = checkWebhookSignature({
      secret: SECRET,
      timestamp: headers[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string,
      signature: headers[WEBHOOK_HEADERS.signature.toLowerCase()] as string,
      body,
      now: new Date(),
    });
    expect(check).toBe('ok');
    expect(body).not.toContain(SECRET);
  });

  it('retries 5xx and delivers once the receiver is back', async () => {
    answers = [status(503), status(502)];

    await webhookChannel(url, SECRET, FAST).send(MESSAGE);

    expect(received).toHaveLength(3);
  });

  it("waits out a 429's Retry-After before trying again", async () => {
    answers = [status(429, { 'Retry-After': '1' })];
    const started = Date.now();

    await webhookChannel(url, SECRET, FAST).send(MESSAGE);

    expect(received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('gives up at once on a refusal or a redirect, and says why', async () => {
    answers = [status(400), status(302, { Location: 'https://elsewhere.example/' })];

    const refused = await webhookChannel(url, SECRET, FAST)
      .send(MESSAGE)
      .catch((e) => e);
    const redirected = await webhookChannel(url, SECRET, FAST)
      .send(MESSAGE)
      .catch((e) => e);

    expect(refused).toBeInstanceOf(DeliveryFailed);
    expect(refused).toMatchObject({ channel: 'webhook', reason: 'HTTP 400', attempts: 1 });
    expect(redirected).toMatchObject({ reason: 'HTTP 302', attempts: 1 });
    expect(received).toHaveLength(2);
  });

  it('ends in DeliveryFailed after its attempts when the receiver stays down or silent', async () => {
    answers = [status(500), status(500), status(500)];
    const down = await webhookChannel(url, SECRET, { ...FAST, attempts: 3 })
      .send(MESSAGE)
      .catch((e) => e);
    answers = Array.from({ length: 10 }, () => () => undefined);
    const silent = await webhookChannel(url, SECRET, { ...FAST, attempts: 2, timeoutMs: 100 })
      .send(MESSAGE)
      .catch((e) => e);

    expect(down).toMatchObject({ reason: 'HTTP 500', attempts: 3 });
    expect(silent).toMatchObject({ reason: 'timed out', attempts: 2 });
  });
});

describe('the Slack and Teams channels', () => {
  it('post their own JSON to the incoming webhook', async () => {
    await slackChannel(url, FAST).send(MESSAGE);
    await teamsChannel(url, FAST).send(MESSAGE);

    const [slack, teams] = received.map((r) => JSON.parse(r.body));
    expect(slack.blocks[0].type).toBe('header');
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(
      received.every((r) => r.headers[WEBHOOK_HEADERS.signature.toLowerCase()] === undefined),
    ).toBe(true);
  });
});
