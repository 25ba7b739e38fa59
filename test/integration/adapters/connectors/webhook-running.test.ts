// Long-running remediation through the webhook connector: a receiver that answers 202 Accepted
// leaves the action running until it calls back, signed; `status` then reads the kept result.
// Against scripted HTTP servers, the local receiver and the API's callback route.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookConnector } from '../../../../functions/adapters/connectors/webhook.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  checkWebhookSignature,
  WEBHOOK_HEADERS,
} from '../../../../functions/core/webhook-signature.js';
import {
  type ExecuteAnswers,
  executeAnswersFrom,
  startWebhookReceiver,
} from '../../../../infra/local/webhook-receiver.js';
import { ApiHarness, WEBHOOK_SECRET } from '../../../support/api-harness.js';
import { decisionAudit } from '../../../support/audit-records.js';
import { eventually } from '../../../support/eventually.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const closers: (() => Promise<void>)[] = [];

/** An HTTP server on loopback that answers each request with `answer(request)`. */
async function startServer(
  answer: (request: Received) => Promise<{ status: number; body: string }>,
): Promise<{ url: string; received: Received[]; answered: number[] }> {
  const received: Received[] = [];
  const answered: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      void answer(request).then(({ status, body }) => {
        answered.push(status);
        res.writeHead(status, { 'content-type': 'application/json' }).end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received, answered };
}

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function webhook(url: string) {
  return new WebhookConnector({
    url,
    secret: WEBHOOK_SECRET,
    timeoutMs: 2_000,
    backoffMs: 5,
    resultTimeoutSeconds: 900,
    reports: api.reports,
  });
}

/** A Running action in an investigation, as the workflow leaves it before submitting. */
async function runningAction(): Promise<Action> {
  const alertId = `alert-running-${Math.random()}`;
  await api.investigation(alertId);
  const action = await api.pending({ alertId });
  await api.stores.actions.decide(
    action.id,
    { verdict: 'approve', by: 'seed' },
    api.now,
    decisionAudit(action.id, { verdict: 'approve', by: 'seed' }, api.now),
  );
  await api.stores.actions.callbackDelivered(action.id);
  return api.stores.actions.transition(action.id, 'Running', api.now);
}

describe('webhook connector: a receiver that answers 202', () => {
  it('leaves the action running, with the ref the receiver gave', async () => {
    const server = await startServer(async () => ({ status: 202, body: '{"ref":"edr-job-42"}' }));
    const action = await runningAction();

    const progress = await webhook(server.url).submit(action);

    expect(progress).toEqual({ state: 'running', ref: 'edr-job-42' });
  });

  it('is running without a ref when the 202 names none', async () => {
    const server = await startServer(async () => ({ status: 202, body: 'queued' }));
    const action = await runningAction();

    const progress = await webhook(server.url).submit(action);

    expect(progress).toEqual({ state: 'running' });
  });

  it('takes a 202 to an undo as its result: an undo answers at once', async () => {
    const server = await startServer(async () => ({ status: 202, body: '{"outcome":"Released"}' }));
    const action = await runningAction();

    const outcome = await webhook(server.url).undo({ ...action, status: 'Completed' });

    expect(outcome).toEqual({ outcome: 'Released' });
  });
});

describe('webhook connector: status', () => {
  it('is running, with the ref, until the receiver calls back', async () => {
    const action = await runningAction();

    const progress = await webhook('https://edr.example.com/hook').status(action, 'edr-job-42');

    expect(progress).toEqual({ state: 'running', ref: 'edr-job-42' });
  });

  it('reads a completed callback', async () => {
    const action = await runningAction();
    await api.reports.recordOnce(action.id, {
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: 'EDR job 42',
      receivedAt: api.now.toISOString(),
    });

    const progress = await webhook('https://edr.example.com/hook').status(action, 'edr-job-42');

    expect(progress).toEqual({
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: 'EDR job 42',
    });
  });

  it('reads a failed callback with its reason', async () => {
    const action = await runningAction();
    await api.reports.recordOnce(action.id, {
      state: 'failed',
      reason: 'Device offline',
      receivedAt: api.now.toISOString(),
    });

    const progress = await webhook('https://edr.example.com/hook').status(action);

    expect(progress).toEqual({ state: 'failed', reason: 'Device offline' });
  });
});

describe('the local receiver answering later', () => {
  async function receiverCallingBackTo(answers: ExecuteAnswers) {
    const callbacks = await startServer(async () => ({ status: 200, body: '{}' }));
    const receiver = await startWebhookReceiver({
      secret: WEBHOOK_SECRET,
      answers,
      callbackUrl: callbacks.url,
      log: () => {},
    });
    closers.push(receiver.close);
    return { receiver, callbacks };
  }

  it('answers 202 and calls back, signed, with the result after the delay', async () => {
    // Prepare
    const { receiver, callbacks } = await receiverCallingBackTo({
      quarantineFile: { mode: 'later', afterMs: 50 },
    });
    const action = await runningAction();

    // Act
    const progress = await webhook(receiver.url).submit(action);
    await eventually(async () => callbacks.received.length === 1, { what: 'the callback' });

    // Assess
    expect(progress).toEqual({ state: 'running', ref: `job-${action.id}` });
    const [callback] = callbacks.received;
    const check = checkWebhookSignature({
      secret: WEBHOOK_SECRET,
      timestamp: callback?.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()] as string,
      signature: callback?.headers[WEBHOOK_HEADERS.signature.toLowerCase()] as string,
      body: callback?.body ?? '',
      now: new Date(),
    });
    expect(check).toBe('ok');
    expect(JSON.parse(callback?.body ?? '')).toEqual({
      version: 1,
      actionId: action.id,
      operation: 'execute',
      state: 'completed',
      outcome: 'Applied',
      detail: expect.stringContaining('Quarantine file'),
    });
  });

  it('calls back a failure when told to fail later', async () => {
    const { receiver, callbacks } = await receiverCallingBackTo({
      default: { mode: 'later', afterMs: 10, state: 'failed' },
    });
    const action = await runningAction();

    await webhook(receiver.url).submit(action);
    await eventually(async () => callbacks.received.length === 1, { what: 'the callback' });

    expect(JSON.parse(callbacks.received[0]?.body ?? '')).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('failed on the target'),
    });
  });

  it('never calls back when told never to, and a repeat delivery schedules nothing more', async () => {
    const { receiver, callbacks } = await receiverCallingBackTo({
      quarantineFile: { mode: 'never' },
      default: { mode: 'later', afterMs: 10 },
    });
    const action = await runningAction();
    const connector = webhook(receiver.url);

    const first = await connector.submit(action);
    const repeat = await connector.submit(action);
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(repeat).toEqual(first);
    expect(first.state).toBe('running');
    expect(callbacks.received).toHaveLength(0);
  });

  it('reads the answers from WEBHOOK_RECEIVER_ANSWERS, refusing a bad one', () => {
    expect(executeAnswersFrom('{"isolateDevice":{"mode":"later","afterMs":10000}}')).toEqual({
      isolateDevice: { mode: 'later', afterMs: 10_000, state: 'completed' },
    });
    expect(executeAnswersFrom(undefined)).toEqual({});
    expect(() => executeAnswersFrom('{"isolateDevice":{"mode":"soon"}}')).toThrow(
      /WEBHOOK_RECEIVER_ANSWERS/,
    );
  });
});

describe('a connector that completes later, end to end', () => {
  it('is running after submit, and completed once the receiver called the API back', async () => {
    // Prepare: the callback route of the decide function behind an HTTP server, on a real clock.
    api.now = new Date();
    const route = await startServer(async (request) => {
      const res = await api.post('/connectors/webhook/callbacks', {
        claims: null,
        body: request.body,
        headers: {
          [WEBHOOK_HEADERS.timestamp]: String(request.headers['x-actioncenter-timestamp']),
          [WEBHOOK_HEADERS.signature]: String(request.headers['x-actioncenter-signature']),
        },
      });
      return { status: res.status, body: res.text };
    });
    const receiver = await startWebhookReceiver({
      secret: WEBHOOK_SECRET,
      answers: { default: { mode: 'later', afterMs: 100 } },
      log: () => {},
    });
    closers.push(receiver.close);
    receiver.callBackTo(route.url);
    const action = await runningAction();
    const connector = webhook(receiver.url);

    // Act
    const submitted = await connector.submit(action);
    const before = await connector.status(
      action,
      submitted.state === 'running' ? submitted.ref : undefined,
    );
    const after = await eventually(
      async () => {
        const progress = await connector.status(action);
        return progress.state === 'completed' ? progress : undefined;
      },
      { what: 'the completed status' },
    );
    await eventually(async () => route.answered.length === 1, { what: 'the API answer' });

    // Assess
    expect(submitted.state).toBe('running');
    expect(before).toEqual({ state: 'running', ref: `job-${action.id}` });
    expect(after).toMatchObject({ state: 'completed', outcome: 'Applied' });
    expect(route.answered).toEqual([200]);
  });
});
