// A delivery that keeps failing is dead-lettered and redriven, driven by the real SDK client
// against the stand-in's HTTP endpoint (the target fails on demand, which ingest cannot be made to).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventBridgeEvent } from 'aws-lambda';
import { alertRules, defaultSourceSettings } from '../../../../functions/ingest/rule.js';
import { signToken } from '../../../../infra/local/auth.js';
import { newAwsCredentials } from '../../../../infra/local/aws-credentials.js';
import { deadLetterStore } from '../../../../infra/local/dead-letter-store.js';
import { eventDelivery } from '../../../../infra/local/event-delivery.js';
import { eventQueue } from '../../../../infra/local/event-queue.js';
import { createEventBus } from '../../../../infra/local/http/event-bus.js';
import { eventBusEndpoint } from '../../../../infra/local/http/event-bus-endpoint.js';
import { signatureVerifier } from '../../../../infra/local/http/sigv4.js';
import { eventBridgeClient } from '../../../support/event-bridge-client.js';
import { eventually } from '../../../support/runtime-process.js';

const SECRET = 'integration-secret-0123456789abcdef-0123';
const CREDENTIALS = newAwsCredentials();

describe('the EventBridge stand-in dead letters, through the AWS SDK', () => {
  let server: Server;
  let url: string;
  let dataDir: string;
  let healthy = false;
  const delivered: EventBridgeEvent<string, unknown>[] = [];
  let close: () => Promise<void>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'action-center-bus-'));
    const deadLetters = deadLetterStore(dataDir);
    const delivery = eventDelivery({
      target: async (event) => {
        if (!healthy) throw new Error('ingest is down');
        delivered.push(event);
      },
      deadLetters,
      queue: eventQueue(dataDir),
      retry: { attempts: 3, firstDelayMs: 10 },
    });
    const route = eventBusEndpoint({
      bus: createEventBus({
        rules: alertRules(defaultSourceSettings()),
        busName: 'default',
        region: 'us-east-1',
        deliver: delivery.send,
      }),
      delivery,
      deadLetters,
      jwtSecret: SECRET,
      verify: signatureVerifier({ credentials: CREDENTIALS, region: 'us-east-1' }),
    });
    server = createServer((request, response) => {
      void route(request, response, new URL(request.url ?? '/', 'http://localhost')).then(
        (served) => {
          if (!served) response.writeHead(404).end();
        },
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => delivery.close();
  });
  afterAll(async () => {
    await close();
    await new Promise((done) => server.close(done));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists a delivery that kept failing, then redrives it to the target', async () => {
    const admin = await signToken(SECRET, 'ana@example.com', ['SecurityAdmin']);
    const headers = { Authorization: `Bearer ${admin}` };
    const client = eventBridgeClient(`${url}/api/events`, CREDENTIALS);

    const put = await client.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: 'actioncenter.alerts',
            DetailType: 'Security Alert',
            Detail: JSON.stringify({ alertId: 'dlq-1' }),
            Time: new Date(),
          },
        ],
      }),
    );
    const eventId = put.Entries?.[0]?.EventId;
    const listed = await eventually(async () => {
      const list = (await (await fetch(`${url}/api/dead-letters`, { headers })).json()) as {
        items: { event: { id: string }; attempts: number }[];
      };
      return list.items.length > 0 ? list.items : undefined;
    }, 'the event to be dead-lettered');
    healthy = true;
    const redrive = await fetch(`${url}/api/dead-letters/redrive`, { method: 'POST', headers });
    await eventually(async () => delivered[0], 'the redriven event to be delivered');
    const after = (await (await fetch(`${url}/api/dead-letters`, { headers })).json()) as {
      items: unknown[];
    };

    expect(put.FailedEntryCount).toBe(0);
    expect(listed).toMatchObject([{ event: { id: eventId }, attempts: 3 }]);
    expect(redrive.status).toBe(202);
    expect(await redrive.json()).toEqual({ redriven: 1 });
    expect(delivered.map((e) => e.id)).toEqual([eventId]);
    expect(after.items).toEqual([]);
    client.destroy();
  });

  it('shows and redrives dead letters to GlobalAdmin and SecurityAdmin only', async () => {
    const reader = await signToken(SECRET, 'rui@example.com', ['SecurityReader']);

    const none = await fetch(`${url}/api/dead-letters`);
    const wrongRole = await fetch(`${url}/api/dead-letters/redrive`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${reader}` },
    });

    expect(none.status).toBe(401);
    expect(wrongRole.status).toBe(403);
  });
});
