// The runtime's EventBridge stand-in, driven by the AWS SDK v3 EventBridge client signing with the
// generated credentials (the CLI and the other endpoints: aws-fidelity.test.ts).
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { jest } from '@jest/globals';
import type { LocalAwsCredentials } from '../../../infra/local/aws-credentials.js';
import { oneFileAlert } from '../../fixtures/alerts.js';
import { eventBridgeClient } from '../../support/event-bridge-client.js';
import {
  apiClient,
  awsCredentialsOf,
  eventually,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../support/runtime-process.js';

jest.setTimeout(120_000);

const entry = (detail: unknown, extra: Record<string, unknown> = {}) => ({
  Source: 'actioncenter.alerts',
  DetailType: 'Security Alert',
  Detail: JSON.stringify(detail),
  Time: new Date(),
  ...extra,
});

describe('the EventBridge stand-in, through the AWS SDK', () => {
  let runtime: RuntimeProcess;
  let producer: LocalAwsCredentials;
  let admin: ReturnType<typeof apiClient>;
  const pendingAlertIds = async () => {
    const list = await admin.get('/actions?tab=pending');
    return (list.json?.items ?? []).map((a: { alertId: string }) => a.alertId) as string[];
  };

  beforeAll(async () => {
    runtime = await startRuntimeProcess();
    producer = awsCredentialsOf(runtime);
    admin = apiClient(runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));
  });
  afterAll(async () => {
    await runtime?.stop();
    removeDataDir(runtime.dataDir);
  });

  it('takes a PutEvents from the SDK (numeric Time, the SDK path) through to a pending action', async () => {
    const client = eventBridgeClient(`${runtime.url}/api/events`, producer);

    const put = await client.send(
      new PutEventsCommand({ Entries: [entry(oneFileAlert('sdk-1'))] }),
    );
    const pending = await eventually(
      async () => ((await pendingAlertIds()).includes('sdk-1') ? true : undefined),
      'the SDK alert to be pending',
    );

    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.[0]?.EventId).toEqual(expect.any(String));
    expect(pending).toBe(true);
    client.destroy();
  });

  it('accepts an event for another bus, by name or ARN, and delivers it nowhere', async () => {
    const client = eventBridgeClient(runtime.url, producer);

    const put = await client.send(
      new PutEventsCommand({
        Entries: [
          entry(oneFileAlert('other-bus-1'), { EventBusName: 'other-bus' }),
          entry(oneFileAlert('other-bus-2'), {
            EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/other-bus',
          }),
          entry(oneFileAlert('default-bus-1'), { EventBusName: 'default' }),
        ],
      }),
    );
    await eventually(
      async () => ((await pendingAlertIds()).includes('default-bus-1') ? true : undefined),
      'the default-bus alert to be pending',
    );

    expect(put.FailedEntryCount).toBe(0);
    expect(put.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
    expect(await pendingAlertIds()).not.toContain('other-bus-1');
    expect(await pendingAlertIds()).not.toContain('other-bus-2');
    client.destroy();
  });

  it('answers AWS errors the SDK understands: per entry, whole request, and an unknown key', async () => {
    const client = eventBridgeClient(runtime.url, producer);
    const anonymous = eventBridgeClient(runtime.url);

    const perEntry = await client.send(
      new PutEventsCommand({
        Entries: [
          entry(oneFileAlert('bad-1'), { Detail: 'not json' }),
          entry(oneFileAlert('bad-2'), { Source: '' }),
        ],
      }),
    );
    const tooMany = await client
      .send(
        new PutEventsCommand({
          Entries: Array.from({ length: 11 }, () => entry(oneFileAlert('x'))),
        }),
      )
      .catch((error: Error & { $metadata: { httpStatusCode: number } }) => error);
    const unsigned = await anonymous
      .send(new PutEventsCommand({ Entries: [entry(oneFileAlert('anon-1'))] }))
      .catch((error: Error & { $metadata: { httpStatusCode: number } }) => error);

    expect(perEntry.FailedEntryCount).toBe(2);
    expect(perEntry.Entries?.map((e) => e.ErrorCode)).toEqual([
      'MalformedDetail',
      'InvalidArgument',
    ]);
    expect(tooMany).toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(unsigned).toMatchObject({
      name: 'UnrecognizedClientException',
      $metadata: { httpStatusCode: 400 },
    });
    client.destroy();
    anonymous.destroy();
  });

  it('gives an invalid alert an EventId and neither fails nor dead-letters it (ingest rejects it)', async () => {
    const client = eventBridgeClient(runtime.url, producer);
    const admin = await tokenFor('producer@example.com', ['SecurityAdmin']);
    const headers = { Authorization: `Bearer ${admin}` };

    const put = await client.send(
      new PutEventsCommand({
        Entries: [entry({ alertId: 'invalid-1' }), entry(oneFileAlert('after-invalid'))],
      }),
    );
    await eventually(
      async () => ((await pendingAlertIds()).includes('after-invalid') ? true : undefined),
      'the alert after the invalid one to be pending',
    );
    const deadLetters = await fetch(`${runtime.url}/api/dead-letters`, { headers });

    expect(put.FailedEntryCount).toBe(0);
    expect(deadLetters.status).toBe(200);
    expect(((await deadLetters.json()) as { items: unknown[] }).items).toEqual([]);
    client.destroy();
  });
});
