// POST /connectors/webhook/callbacks: a webhook receiver that answered 202 reports the result,
// signed with the webhook secret instead of a bearer token. Over the API harness's table.
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { signWebhook, WEBHOOK_HEADERS } from '../../../functions/core/webhook-signature.js';
import { plus, T0 } from '../../fixtures/actions.js';
import { ApiHarness, WEBHOOK_SECRET, waitTokenFor } from '../../support/api-harness.js';
import { decisionAudit } from '../../support/audit-records.js';

const PATH = '/connectors/webhook/callbacks';

let api: ApiHarness;
let alertCounter = 0;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

/** An action whose remediation was submitted and is Running, in an investigation that waits. */
async function runningAction() {
  alertCounter += 1;
  const alertId = `alert-callback-${alertCounter}`;
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

const completedBody = (actionId: string) => ({
  version: 1,
  actionId,
  operation: 'execute',
  state: 'completed',
  outcome: 'FileQuarantined',
  detail: 'EDR job 42',
});

/** Sends `body` as a receiver would: the exact bytes, signed at `signedAt` with `secret`. */
function callBack(
  body: unknown,
  options: { secret?: string; signedAt?: Date; headers?: Record<string, string> } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = String(Math.floor((options.signedAt ?? api.now).getTime() / 1000));
  return api.post(PATH, {
    claims: null,
    body: raw,
    headers: options.headers ?? {
      [WEBHOOK_HEADERS.timestamp]: timestamp,
      [WEBHOOK_HEADERS.signature]: signWebhook(options.secret ?? WEBHOOK_SECRET, timestamp, raw),
    },
  });
}

describe('a signed callback', () => {
  it('keeps the result without a bearer token and wakes the investigation', async () => {
    // Prepare
    const action = await runningAction();

    // Act
    const res = await callBack(completedBody(action.id));

    // Assess
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ actionId: action.id, state: 'completed', recorded: true });
    expect(await api.reports.get(action.id)).toEqual({
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: 'EDR job 42',
      receivedAt: api.now.toISOString(),
    });
    const resumed = api.sfn.commandCalls(SendTaskSuccessCommand);
    // The wait the harness registered for the investigation (api.pending).
    expect(resumed.map((c) => c.args[0].input.taskToken)).toEqual([
      waitTokenFor(action.investigationId),
    ]);
    expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(1);
  });

  it('keeps a failure with its reason', async () => {
    const action = await runningAction();

    const res = await callBack({
      version: 1,
      actionId: action.id,
      operation: 'execute',
      state: 'failed',
      reason: 'Device offline for 2 hours',
    });

    expect(res.status).toBe(200);
    expect(await api.reports.get(action.id)).toEqual({
      state: 'failed',
      reason: 'Device offline for 2 hours',
      receivedAt: api.now.toISOString(),
    });
  });

  it('is accepted once: the same callback again answers recorded false and keeps the first', async () => {
    // Prepare
    const action = await runningAction();
    await callBack(completedBody(action.id));
    const first = await api.reports.get(action.id);
    api.now = plus(api.now, 30);

    // Act
    const repeat = await callBack(completedBody(action.id));

    // Assess
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual({ actionId: action.id, state: 'completed', recorded: false });
    expect(await api.reports.get(action.id)).toEqual(first);
  });

  it('answers a repeat even once the workflow has finished the action', async () => {
    const action = await runningAction();
    await callBack(completedBody(action.id));
    await api.stores.actions.transition(action.id, 'Completed', api.now, {
      result: { outcome: 'FileQuarantined', at: api.now.toISOString() },
    });

    const repeat = await callBack(completedBody(action.id));

    expect([repeat.status, repeat.body.recorded]).toEqual([200, false]);
  });

  it('refuses a different result after the first with 409: the first stands', async () => {
    const action = await runningAction();
    await callBack(completedBody(action.id));

    const res = await callBack({ ...completedBody(action.id), outcome: 'Something else' });

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('Conflict');
    expect((await api.reports.get(action.id))?.outcome).toBe('FileQuarantined');
  });
});

describe('the signature', () => {
  it.each([
    ['signed with another secret', { secret: 'not-the-webhook-secret-at-all' }],
    ['signed six minutes ago', { signedAt: plus(T0, 3600 - 360) }],
    ['signed six minutes ahead', { signedAt: plus(T0, 3600 + 360) }],
    ['unsigned', { headers: {} }],
    [
      'signed with a malformed signature',
      { headers: { [WEBHOOK_HEADERS.timestamp]: '1', [WEBHOOK_HEADERS.signature]: 'v1=00' } },
    ],
  ])('refuses a callback %s with 401 and keeps nothing', async (_case, options) => {
    const action = await runningAction();

    const res = await callBack(completedBody(action.id), options);

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('Unauthorized');
    expect(await api.reports.get(action.id)).toBeUndefined();
    expect(api.sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('refuses a body changed after signing', async () => {
    const action = await runningAction();
    const signed = JSON.stringify(completedBody(action.id));
    const timestamp = String(Math.floor(api.now.getTime() / 1000));

    const res = await api.post(PATH, {
      claims: null,
      body: signed.replace('FileQuarantined', 'FileDeleted'),
      headers: {
        [WEBHOOK_HEADERS.timestamp]: timestamp,
        [WEBHOOK_HEADERS.signature]: signWebhook(WEBHOOK_SECRET, timestamp, signed),
      },
    });

    expect(res.status).toBe(401);
  });

  it('accepts a callback signed four minutes ago', async () => {
    const action = await runningAction();

    const res = await callBack(completedBody(action.id), { signedAt: plus(api.now, -240) });

    expect(res.status).toBe(200);
  });
});

describe('the action', () => {
  it('answers 404 for an action it does not know', async () => {
    const unknown = `act-${'0'.repeat(20)}-${'0'.repeat(12)}`;

    const res = await callBack(completedBody(unknown));

    expect(res.status).toBe(404);
  });

  it('answers 409 with the action when it is not Running', async () => {
    const pending = await api.pending();

    const res = await callBack(completedBody(pending.id));

    expect(res.status).toBe(409);
    expect(res.body.action).toMatchObject({ id: pending.id, status: 'Pending' });
    expect(await api.reports.get(pending.id)).toBeUndefined();
  });
});

describe('the body', () => {
  it.each([
    [
      'completed without an outcome',
      { outcome: undefined },
      { outcome: 'required when state is completed' },
    ],
    [
      'failed without a reason',
      { state: 'failed', outcome: undefined },
      { reason: 'required when state is failed' },
    ],
    ['an unknown field', { extra: 1 }, { extra: 'unknown field' }],
    ['an undo', { operation: 'undo' }, { operation: expect.any(String) }],
    ['another version', { version: 2 }, { version: expect.any(String) }],
    ['a malformed action id', { actionId: 'act-1' }, { actionId: 'malformed action id' }],
    ['an unknown state', { state: 'running' }, { state: expect.any(String) }],
  ])('refuses %s with 400 naming the field', async (_case, change, fields) => {
    const action = await runningAction();

    const res = await callBack({ ...completedBody(action.id), ...change });

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'ValidationFailed', details: { fields } });
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await callBack('{"version":1,');

    expect(res.status).toBe(400);
  });
});
