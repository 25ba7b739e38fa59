// The Defender alert poller against the Microsoft stand-in (sign-in and Graph alerts_v2 serving
// Microsoft's published sample alert) and dynalite: the exact requests it makes, what it publishes
// to the bus, and when its watermark moves.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { EventBridgeEvent } from 'aws-lambda';
import { cursorCodec } from '../../../functions/adapters/dynamodb/cursor.js';
import { DynamoPollerState } from '../../../functions/adapters/dynamodb/poller-state.js';
import { DynamoRejectedAlerts } from '../../../functions/adapters/dynamodb/rejected-alerts.js';
import { createMicrosoftApi } from '../../../functions/adapters/microsoft/index.js';
import type { Config } from '../../../functions/config.js';
import { wire } from '../../../functions/ingest/defender-alerts.js';
import { alertRules } from '../../../functions/ingest/rule.js';
import type { EventPublisher, PollResult } from '../../../functions/services/defender-alerts.js';
import { localEventPublisher } from '../../../infra/local/event-publisher.js';
import { createEventBus } from '../../../infra/local/http/event-bus.js';
import type { GraphAlertResource } from '../../../infra/local/microsoft/graph-alerts.js';
import {
  type SampleTenant,
  sampleAlert,
  startSampleTenant,
} from '../../../infra/local/microsoft/sample-tenant.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const ALERTS_PATH = '/v1.0/security/alerts_v2';
/** The published Get alert sample (test/fixtures/sources/defender/README.md). */
const PUBLISHED = sampleAlert('test/fixtures/sources/defender/graph-alert-get.json');

/** The published alert as alert `n`, changed `minutesAgo` before NOW. */
function alertNo(n: number, minutesAgo: number, extra: Partial<GraphAlertResource> = {}) {
  const at = new Date(NOW - minutesAgo * 60_000).toISOString().replace('Z', '1234Z');
  return {
    ...PUBLISHED,
    id: `da63757899528705119${n}_75634393${n}`,
    createdDateTime: at,
    lastUpdateDateTime: at,
    ...extra,
  } as GraphAlertResource;
}

interface Harness {
  tenant: SampleTenant;
  table: LocalTable;
  config: Config;
  /** Every event the bus delivered to ingest, in order. */
  delivered: EventBridgeEvent<string, GraphAlertResource>[];
  /** Every PutEvents call's entry count. */
  putCalls: number[];
  waits: number[];
  clock: { now: number };
  /** Runs the poller once, as the scheduler would; `onPut` sees each PutEvents before it is made. */
  run(options?: {
    remainingMs?: number;
    onPut?: (call: number) => void;
    /** Entries of a PutEvents call EventBridge refuses (ThrottlingException), by call. */
    refuse?: (call: number) => number[];
  }): Promise<PollResult>;
  alertRequests(): { query: Record<string, string>; headers: Record<string, string> }[];
  state(): Promise<unknown>;
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.tenant.standIn.close();
  await harness?.table.stop();
  harness = undefined;
});

async function start(
  alerts: GraphAlertResource[],
  options: { permissions?: string[] } = {},
): Promise<Harness> {
  const tenant = await startSampleTenant({ alerts });
  if (options.permissions) {
    await tenant.standIn.close();
    const { startMicrosoftStandIn } = await import('../../../infra/local/microsoft/standin.js');
    tenant.standIn = await startMicrosoftStandIn({
      tenantId: tenant.env.DEFENDER_TENANT_ID as string,
      clientId: tenant.env.DEFENDER_CLIENT_ID as string,
      clientSecret: tenant.env.DEFENDER_CLIENT_SECRET as string,
      routes: [tenant.alerts.route],
      permissions: options.permissions,
    });
    for (const key of ['DEFENDER_LOGIN_URL', 'GRAPH_URL', 'MDE_API_URL']) {
      tenant.env[key] = tenant.standIn.url;
    }
  }
  const table = await startLocalTable(tenant.env);
  const config = table.config;
  const delivered: Harness['delivered'] = [];
  const putCalls: number[] = [];
  const waits: number[] = [];
  const clock = { now: NOW };
  const bus = createEventBus({
    rules: alertRules(config.sources),
    busName: 'default',
    region: config.region,
    deliver: (events) => delivered.push(...(events as Harness['delivered'])),
  });
  const local = localEventPublisher(bus, 'default');
  let onPut: ((call: number) => void) | undefined;
  let refuse: ((call: number) => number[]) | undefined;
  const publisher: EventPublisher = {
    async putEvents(entries) {
      putCalls.push(entries.length);
      onPut?.(putCalls.length);
      const refused = refuse?.(putCalls.length) ?? [];
      const accepted = entries.filter((_, i) => !refused.includes(i));
      const failures = accepted.length > 0 ? await local.putEvents(accepted) : [];
      return [
        ...refused.map((index) => ({
          index,
          code: 'ThrottlingException',
          message: 'Rate exceeded',
        })),
        ...failures,
      ];
    },
  };
  const handler = wire(config, {
    doc: table.doc,
    clock: () => new Date(clock.now),
    eventPublisher: publisher,
    microsoftApi: createMicrosoftApi(
      config.defender as NonNullable<Config['defender']>,
      'us-east-1',
      {
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    ),
  });
  const state = new DynamoPollerState(table.doc, config.tableName);
  harness = {
    tenant,
    table,
    config,
    delivered,
    putCalls,
    waits,
    clock,
    run(options = {}) {
      onPut = options.onPut;
      refuse = options.refuse;
      return handler({}, { getRemainingTimeInMillis: () => options.remainingMs ?? 120_000 });
    },
    alertRequests: () =>
      tenant.standIn.requests
        .filter((r) => r.path === ALERTS_PATH)
        .map((r) => ({ query: r.query, headers: r.headers })),
    state: () => state.read(),
  };
  return harness;
}

const filterAfter = (instant: string) => `lastUpdateDateTime gt ${instant}`;
const ids = (h: Harness) => h.delivered.map((e) => e.detail.id);

describe('the Defender alert poller', () => {
  it('reads the alerts changed in the last 24 hours on its first run and publishes each Graph alert unchanged as a Defender XDR Alert', async () => {
    // Prepare
    const h = await start([alertNo(1, 30), alertNo(2, 10), alertNo(3, 25 * 60)]);

    // Act
    const result = await h.run();

    // Assess
    const [request, ...more] = h.alertRequests();
    expect(more).toEqual([]);
    expect(request?.query).toEqual({
      $filter: filterAfter('2026-11-30T12:00:00.0000000Z'),
      $top: '100',
    });
    expect(request?.headers.authorization).toMatch(/^Bearer standin\.graph\./);
    expect(request?.headers.accept).toBe('application/json');
    expect(ids(h)).toEqual([alertNo(2, 10).id, alertNo(1, 30).id]);
    expect(h.delivered[0]).toMatchObject({
      source: 'actioncenter.defender',
      'detail-type': 'Defender XDR Alert',
      detail: alertNo(2, 10),
    });
    expect(result).toEqual({
      outcome: 'caughtUp',
      pages: 1,
      published: 2,
      tooLarge: 0,
      watermark: '2026-12-01T11:50:00.0001234Z',
    });
    expect(await h.state()).toEqual({ version: 1, watermark: '2026-12-01T11:50:00.0001234Z' });
  });

  it('follows @odata.nextLink to the last page, publishing at most 10 alerts per PutEvents call', async () => {
    const h = await start(Array.from({ length: 230 }, (_, n) => alertNo(n + 10, 300 - n)));

    const result = await h.run();

    expect(h.alertRequests().map((r) => r.query)).toEqual([
      { $filter: filterAfter('2026-11-30T12:00:00.0000000Z'), $top: '100' },
      { $filter: filterAfter('2026-11-30T12:00:00.0000000Z'), $top: '100', $skip: '100' },
      { $filter: filterAfter('2026-11-30T12:00:00.0000000Z'), $top: '100', $skip: '200' },
    ]);
    expect(new Set(ids(h)).size).toBe(230);
    expect(Math.max(...h.putCalls)).toBe(10);
    expect(result).toMatchObject({ outcome: 'caughtUp', pages: 3, published: 230 });
    expect(result.watermark).toBe(alertNo(239, 300 - 229).lastUpdateDateTime);
  });

  it('waits as long as a 429 Retry-After says and reads the same page again', async () => {
    const h = await start([alertNo(1, 30)]);
    h.tenant.standIn.fail({
      path: /alerts_v2/,
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
    });

    const result = await h.run();

    expect(h.waits).toEqual([3000]);
    const [throttled, retried] = h.alertRequests();
    expect(retried?.query).toEqual(throttled?.query);
    expect(result).toMatchObject({ outcome: 'caughtUp', published: 1 });
  });

  it('stops when Graph asks to wait longer than the run has left, and the next run resumes at the page it did not read', async () => {
    const h = await start(Array.from({ length: 150 }, (_, n) => alertNo(n + 10, 300 - n)));
    h.tenant.standIn.fail({
      path: /alerts_v2/,
      status: 429,
      headers: { 'retry-after': '300' },
    });
    const throttledAtOnce = await h.run();
    expect(throttledAtOnce).toMatchObject({ outcome: 'throttled', pages: 0, published: 0 });
    expect(await h.state()).toEqual({ version: 0 });

    const first = await h.run({
      onPut: (call) => {
        // Graph starts throttling after the first page.
        if (call === 1) {
          h.tenant.standIn.fail({
            path: /alerts_v2/,
            status: 429,
            headers: { 'retry-after': '300' },
          });
        }
      },
    });
    const second = await h.run();

    expect(first).toMatchObject({ outcome: 'throttled', pages: 1, published: 100 });
    expect(second).toMatchObject({ outcome: 'caughtUp', pages: 1, published: 50 });
    expect(h.alertRequests().map((r) => r.query.$skip)).toEqual([
      undefined,
      undefined,
      '100',
      '100',
    ]);
    expect(new Set(ids(h)).size).toBe(150);
    expect(h.delivered).toHaveLength(150);
  });

  it('gets a new token when the one it holds expires mid-run, and reads the page again with it', async () => {
    const h = await start(Array.from({ length: 120 }, (_, n) => alertNo(n + 10, 300 - n)));

    const result = await h.run({
      onPut: (call) => {
        if (call === 1) h.tenant.standIn.expireTokens();
      },
    });

    const tokens = h.tenant.standIn.requests.filter((r) => r.path.endsWith('/oauth2/v2.0/token'));
    expect(tokens).toHaveLength(2);
    const pages = h.alertRequests();
    expect(pages.map((r) => r.query.$skip)).toEqual([undefined, '100', '100']);
    expect(pages[1]?.headers.authorization).toBe(pages[0]?.headers.authorization);
    expect(pages[2]?.headers.authorization).not.toBe(pages[0]?.headers.authorization);
    expect(result).toMatchObject({ outcome: 'caughtUp', pages: 2, published: 120 });
  });

  it('leaves the watermark where it was when publishing fails, so the next run publishes the same alerts again', async () => {
    const h = await start([alertNo(1, 30), alertNo(2, 10)]);

    const failed = await h
      .run({
        onPut: () => {
          throw new Error('EventBridge unreachable');
        },
      })
      .catch((e: unknown) => e);
    const stateAfterFailure = await h.state();
    const retried = await h.run();

    expect((failed as Error).message).toBe('EventBridge unreachable');
    expect(stateAfterFailure).toEqual({ version: 0 });
    expect(h.alertRequests().map((r) => r.query)).toEqual([
      { $filter: filterAfter('2026-11-30T12:00:00.0000000Z'), $top: '100' },
      { $filter: filterAfter('2026-11-30T12:00:00.0000000Z'), $top: '100' },
    ]);
    expect(retried).toMatchObject({ outcome: 'caughtUp', published: 2 });
    expect(ids(h)).toEqual([alertNo(2, 10).id, alertNo(1, 30).id]);
  });

  it('keeps the pages already published when a later one fails to publish: the next run starts at the failed page', async () => {
    const h = await start(Array.from({ length: 150 }, (_, n) => alertNo(n + 10, 300 - n)));

    const failed = await h
      .run({
        onPut: (call) => {
          if (call === 11) throw new Error('EventBridge unreachable');
        },
      })
      .catch((e: unknown) => e);
    const resumed = await h.run();

    expect(failed).toBeInstanceOf(Error);
    expect(h.alertRequests().map((r) => r.query.$skip)).toEqual([undefined, '100', '100']);
    expect(resumed).toMatchObject({ outcome: 'caughtUp', pages: 1, published: 50 });
    expect(new Set(ids(h)).size).toBe(150);
  });

  it('tries again the entries PutEvents refused, and fails the run when EventBridge keeps refusing', async () => {
    const h = await start([alertNo(1, 30), alertNo(2, 20), alertNo(3, 10)]);

    const retried = await h.run({ refuse: (call) => (call === 1 ? [1] : []) });
    h.tenant.alerts.put(alertNo(4, 5));
    const refused = await h.run({ refuse: () => [0] }).catch((e: unknown) => e);

    expect(retried).toMatchObject({ outcome: 'caughtUp', published: 3 });
    expect(h.putCalls.slice(0, 2)).toEqual([3, 1]);
    expect(ids(h).sort()).toEqual([alertNo(1, 30).id, alertNo(2, 20).id, alertNo(3, 10).id].sort());
    expect((refused as Error).message).toMatch(
      /^PutEvents refused 1 Defender alerts after 3 attempts \(ThrottlingException: Rate exceeded\)/,
    );
    expect(await h.state()).toMatchObject({ version: 1 });
  });

  it('publishes an alert again when Defender updates it, and nothing it already published', async () => {
    const h = await start([alertNo(1, 30), alertNo(2, 20)]);
    await h.run();
    h.clock.now = NOW + 10 * 60_000;
    const updated = alertNo(1, 30, {
      lastUpdateDateTime: '2026-12-01T12:04:00.5000000Z',
      status: 'inProgress',
    });
    h.tenant.alerts.put(updated);

    const result = await h.run();

    expect(h.alertRequests()[1]?.query).toEqual({
      $filter: filterAfter('2026-12-01T11:40:00.0001234Z'),
      $top: '100',
    });
    // Newest first, as Graph lists them; then only the updated one.
    expect(ids(h)).toEqual([alertNo(2, 20).id, alertNo(1, 30).id, alertNo(1, 30).id]);
    expect(h.delivered[2]?.detail).toEqual(updated);
    expect(result.watermark).toBe('2026-12-01T12:04:00.5000000Z');
  });

  it('moves the watermark no later than a minute before its walk began: a change Graph shows late is read again', async () => {
    const h = await start([alertNo(1, 0.5)]);

    const result = await h.run();

    expect(result.watermark).toBe('2026-12-01T11:59:00.0000000Z');
  });

  it('refuses with the application permission it needs when Graph answers 403', async () => {
    const h = await start([alertNo(1, 30)], { permissions: [] });

    const error = await h.run().catch((e: unknown) => e);

    expect((error as Error).message).toContain(
      'the app needs the application permission SecurityAlert.Read.All',
    );
    expect(h.delivered).toEqual([]);
    expect(await h.state()).toEqual({ version: 0 });
  });

  it('stops starting pages when its time runs low and the next run resumes where it stopped', async () => {
    const h = await start(Array.from({ length: 150 }, (_, n) => alertNo(n + 10, 300 - n)));

    const first = await h.run({
      remainingMs: 45_000,
      onPut: () => {
        h.clock.now += 2_000;
      },
    });
    const second = await h.run();

    expect(first).toMatchObject({ outcome: 'timeBudget', pages: 1, published: 100 });
    expect(second).toMatchObject({ outcome: 'caughtUp', pages: 1, published: 50 });
    expect(h.alertRequests().map((r) => r.query.$skip)).toEqual([undefined, '100']);
  });

  it('keeps an alert too large for one event as a rejected alert, counted, and publishes the rest', async () => {
    const huge = alertNo(1, 40, { description: 'x'.repeat(300 * 1024) });
    const h = await start([huge, alertNo(2, 30)]);

    const result = await h.run();

    expect(result).toMatchObject({ outcome: 'caughtUp', published: 1, tooLarge: 1 });
    expect(ids(h)).toEqual([alertNo(2, 30).id]);
    const rejected = await new DynamoRejectedAlerts(h.table.doc, {
      tableName: h.config.tableName,
      cursors: cursorCodec(h.config.cursorSecret),
    }).list({ limit: 10 }, new Date(NOW));
    expect(rejected.items).toHaveLength(1);
    expect(rejected.items[0]).toMatchObject({
      source: 'actioncenter.defender',
      detailType: 'Defender XDR Alert',
      truncated: true,
    });
    expect(rejected.items[0]?.reason).toMatch(/too large for an EventBridge event/);
    expect(rejected.items[0]?.problems).toContain(`id: ${huge.id}`);
  });
});
