// kill -9 of the runtime while remediations run on their target (a webhook receiver that answered
// 202 Accepted), then a restart on the same data directory: the actions stay Running, every
// submission carries the action id as its idempotency key, and the receiver's signed callbacks
// after the restart finish them, each recorded once.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jest } from '@jest/globals';
import { anAlert, file } from '../fixtures/alerts.js';
import {
  apiClient,
  eventHeaders,
  eventually,
  newDataDir,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../support/runtime-process.js';

jest.setTimeout(120_000);

const SECRET = 'long-remediation-webhook-secret-0123456789';

interface Submission {
  actionId: string;
  idempotencyKey: string;
}

/** A receiver whose jobs take a while: every execute is answered 202 with a job reference. */
async function startSlowReceiver(): Promise<{
  url: string;
  submissions: Submission[];
  server: Server;
}> {
  const submissions: Submission[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      const payload = JSON.parse(body) as { action: { id: string } };
      submissions.push({
        actionId: payload.action.id,
        idempotencyKey: String(request.headers['idempotency-key']),
      });
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ref: `job-${payload.action.id}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, submissions, server };
}

/** The receiver's signed callback, as functions/adapters/connectors/README.md documents it. */
async function callBack(baseUrl: string, result: Record<string, unknown>) {
  const body = JSON.stringify({ version: 1, operation: 'execute', ...result });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
  return fetch(`${baseUrl}/api/connectors/webhook/callbacks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-actioncenter-timestamp': timestamp,
      'x-actioncenter-signature': signature,
    },
    body,
  });
}

describe('kill -9 while remediations run on their target', () => {
  let runtime: RuntimeProcess | undefined;
  let receiver: Awaited<ReturnType<typeof startSlowReceiver>> | undefined;
  const dataDir = newDataDir();
  afterAll(async () => {
    await runtime?.kill().catch(() => undefined);
    receiver?.server.close();
    removeDataDir(dataDir);
  });

  it('keeps them Running across the restart, submits only under the action id, and records each callback once', async () => {
    // Prepare: the webhook connector for everything, pointed at the slow receiver.
    receiver = await startSlowReceiver();
    const env = {
      CONNECTORS: '{"default":"webhook"}',
      WEBHOOK_URL: receiver.url,
      WEBHOOK_SECRET: SECRET,
    };
    runtime = await startRuntimeProcess({ dataDir, env });
    const token = await tokenFor('ana@example.com', ['GlobalAdmin']);
    const alert = anAlert(
      'alert-long-crash',
      [file('long-crash-a', 'malicious'), file('long-crash-b', 'malicious')],
      { detectedAt: new Date().toISOString() },
    );
    await fetch(`${runtime.url}/api/events`, {
      method: 'POST',
      headers: await eventHeaders(),
      body: JSON.stringify(putEventsBody(alert)),
    });
    let api = apiClient(runtime.url, token);
    const ids = await eventually<string[]>(async () => {
      const list = await api.get('/actions?tab=pending&limit=50');
      const mine = (list.json?.items ?? []).filter(
        (a: { alertId: string }) => a.alertId === 'alert-long-crash',
      );
      return mine.length === 2 ? mine.map((a: { id: string }) => a.id) : undefined;
    }, 'two pending actions');

    // Act: approve both; once the receiver has both jobs and both show Running, kill -9.
    const bulk = await api.post('/actions/decisions', { actionIds: ids, decision: 'approve' });
    expect(bulk.status).toBe(200);
    await eventually(async () => {
      const statuses = await Promise.all(
        ids.map(async (id) => (await api.get(`/actions/${id}`)).json?.status),
      );
      return statuses.every((s) => s === 'Running') && receiver?.submissions.length === 2
        ? true
        : undefined;
    }, 'both actions Running on the receiver');
    await runtime.kill();
    runtime = await startRuntimeProcess({ dataDir, env });
    api = apiClient(runtime.url, token);
    const afterRestart = await Promise.all(
      ids.map(async (id) => (await api.get(`/actions/${id}`)).json?.status),
    );
    const [first, second] = ids as [string, string];
    const completed = await callBack(runtime.url, {
      actionId: first,
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: 'EDR job finished after the restart',
    });
    const failed = await callBack(runtime.url, {
      actionId: second,
      state: 'failed',
      reason: 'The device went offline',
    });
    const finals = await eventually(
      async () => {
        const actions = await Promise.all(
          ids.map(async (id) => (await api.get(`/actions/${id}`)).json),
        );
        return actions.every((a) => a?.status === 'Completed' || a?.status === 'Failed')
          ? actions
          : undefined;
      },
      'both actions finished',
      60_000,
    );

    // Assess
    expect(afterRestart).toEqual(['Running', 'Running']);
    expect([completed.status, failed.status]).toEqual([200, 200]);
    expect(finals.map((a) => [a.id, a.status, a.result?.outcome])).toEqual([
      [first, 'Completed', 'FileQuarantined'],
      [second, 'Failed', 'Failed'],
    ]);
    expect(finals[1].result.detail).toBe('The device went offline');
    // Each action reached the receiver, always under its own id as the idempotency key: a kill
    // between the receiver's 202 and the workflow noting it may submit it once more after the
    // restart, and the receiver answers that repeat as the same job.
    expect([...new Set(receiver.submissions.map((s) => s.actionId))].sort()).toEqual(
      [...ids].sort(),
    );
    for (const s of receiver.submissions) expect(s.idempotencyKey).toBe(s.actionId);
    // The outcome is recorded once per action (its audit entry is appended just after the action's
    // own write, so the last one may trail the status read above by a moment).
    const outcomesOf = async () =>
      ((await api.get('/audit?window=1d&limit=200')).json?.items ?? []).filter(
        (e: { actionId: string; event: string }) =>
          ids.includes(e.actionId) && (e.event === 'ActionCompleted' || e.event === 'ActionFailed'),
      );
    const outcomes = await eventually(
      async () => ((await outcomesOf()).length >= 2 ? outcomesOf() : undefined),
      'both outcomes in the audit log',
    );
    expect(outcomes).toHaveLength(2);
    const investigation = await eventually(async () => {
      const read = await api.get(`/investigations/${finals[0].investigationId}`);
      return read.json?.investigation?.endedAt ? read.json.investigation : undefined;
    }, 'the investigation concluded');
    expect(investigation.status).toBe('PartiallyRemediated');
  });
});
