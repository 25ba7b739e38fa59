// GET /actions sorted, counted, filtered by several values and searched across the target's
// names, over dynalite: the order holds across page boundaries, not just within one page.
import { jest } from '@jest/globals';
import { DynamoActionQueries } from '../../../functions/adapters/dynamodb/action-queries.js';
import { cursorCodec } from '../../../functions/adapters/dynamodb/cursor.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { Action, Severity } from '../../../functions/core/model.js';
import { plus } from '../../fixtures/actions.js';
import { ADMIN, ApiHarness, READER } from '../../support/api-harness.js';

// 120 actions seeded over dynalite: slow on a busy 2-core machine, not wrong.
jest.setTimeout(60_000);

let api: ApiHarness;
/** One investigation of 120 pending actions, 16 of them critical, created a minute apart. */
let investigationId: string;
let seeded: Action[];

const SEVERITY_CYCLE: Severity[] = ['high', 'medium', 'low', 'informational', 'high', 'medium'];

beforeAll(async () => {
  api = await ApiHarness.start();
  investigationId = investigationIdFor(`alert-order-${Math.random()}`);
  seeded = [];
  for (let i = 0; i < 120; i += 1) {
    // Every 7th up to 105 a critical one (16 of them), the others in a cycle.
    const critical = i % 7 === 0 && i <= 105;
    const severity: Severity = critical ? 'critical' : (SEVERITY_CYCLE[i % 6] as Severity);
    seeded.push(
      await api.pending({
        investigationId,
        severity,
        createdAt: plus(api.now, -7200 + i * 60).toISOString(),
      }),
    );
  }
});
afterAll(() => api.stop());

type Query = Record<string, string>;

/** Every page of the list, following `nextCursor`. */
async function allPages(query: Query): Promise<{ pages: Action[][]; totals: number[] }> {
  const pages: Action[][] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  do {
    const res = await api.get('/actions', {
      claims: READER,
      query: { ...query, ...(cursor && { cursor }) },
    });
    expect(res.status).toBe(200);
    pages.push(res.body.items);
    totals.push(res.body.total);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return { pages, totals };
}

describe('GET /actions sorted over the whole list', () => {
  it('lists the 16 critical actions of 120 first by default, oldest first, across pages of 50', async () => {
    // Act
    const { pages, totals } = await allPages({ investigationId, limit: '50' });

    // Assess
    const listed = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(totals).toEqual([120, 120, 120]);
    expect(new Set(listed.map((a) => a.id)).size).toBe(120);
    expect(listed.slice(0, 16).every((a) => a.severity === 'critical')).toBe(true);
    const criticalTimes = listed.slice(0, 16).map((a) => a.createdAt);
    expect(criticalTimes).toEqual([...criticalTimes].sort());
    const ranks = listed.map((a) =>
      ['informational', 'low', 'medium', 'high', 'critical'].indexOf(a.severity),
    );
    expect(ranks).toEqual([...ranks].sort((x, y) => y - x));
  });

  it('sorts by severity ascending: the critical ones come last, on the last page', async () => {
    // Act
    const { pages } = await allPages({
      investigationId,
      sort: 'severity',
      order: 'asc',
      limit: '50',
    });

    // Assess
    const listed = pages.flat();
    expect(listed).toHaveLength(120);
    expect(listed[0]?.severity).toBe('informational');
    expect(listed.slice(-16).every((a) => a.severity === 'critical')).toBe(true);
    expect(pages[2]?.filter((a) => a.severity === 'critical')).toHaveLength(16);
  });

  it('sorts by age both ways across pages', async () => {
    // Act
    const newest = await allPages({ investigationId, sort: 'age', order: 'desc', limit: '45' });
    const oldest = await allPages({ investigationId, sort: 'age', order: 'asc', limit: '45' });

    // Assess
    const byAge = [...seeded].sort((x, y) => x.createdAt.localeCompare(y.createdAt));
    expect(oldest.pages.flat().map((a) => a.id)).toEqual(byAge.map((a) => a.id));
    expect(newest.pages.flat().map((a) => a.id)).toEqual(byAge.reverse().map((a) => a.id));
  });

  it('starts the next page after the last one shown, though an action was decided meanwhile', async () => {
    // Prepare
    const local = investigationIdFor(`alert-stable-${Math.random()}`);
    const actions: Action[] = [];
    for (let i = 0; i < 5; i += 1) {
      actions.push(
        await api.pending({
          investigationId: local,
          createdAt: plus(api.now, -600 + i).toISOString(),
        }),
      );
    }
    const query = { investigationId: local, sort: 'age', order: 'asc', limit: '2' };
    const first = await api.get('/actions', { claims: READER, query });

    // Act
    await api.post(`/actions/${actions[0]?.id}/reject`, { claims: ADMIN });
    const second = await api.get('/actions', {
      claims: READER,
      query: { ...query, cursor: first.body.nextCursor },
    });

    // Assess
    expect(first.body.items.map((a: Action) => a.id)).toEqual([actions[0]?.id, actions[1]?.id]);
    expect(second.body.items.map((a: Action) => a.id)).toEqual([actions[2]?.id, actions[3]?.id]);
    expect(second.body.total).toBe(4);
  });

  it('answers 400 to an unknown sort, to decidedAt on the pending tab and to order without sort', async () => {
    // Act
    const unknown = await api.get('/actions', { claims: READER, query: { sort: 'colour' } });
    const decided = await api.get('/actions', { claims: READER, query: { sort: 'decidedAt' } });
    const orderOnly = await api.get('/actions', { claims: READER, query: { order: 'asc' } });
    const badOrder = await api.get('/actions', {
      claims: READER,
      query: { sort: 'age', order: 'up' },
    });

    // Assess
    for (const res of [unknown, decided]) {
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toHaveProperty('sort');
    }
    expect(orderOnly.status).toBe(400);
    expect(orderOnly.body.error.details.fields).toHaveProperty('order');
    expect(badOrder.status).toBe(400);
  });

  it('answers 400 to a tampered cursor and to a cursor of another order', async () => {
    // Prepare
    const query = { investigationId, sort: 'severity', order: 'desc', limit: '10' };
    const first = await api.get('/actions', { claims: READER, query });
    const [payload, tag] = String(first.body.nextCursor).split('.') as [string, string];
    const position = JSON.parse(Buffer.from(payload, 'base64url').toString());
    position.after[0] = '0';
    const edited = `${Buffer.from(JSON.stringify(position)).toString('base64url')}.${tag}`;

    // Act
    const tampered = await api.get('/actions', {
      claims: READER,
      query: { ...query, cursor: edited },
    });
    const otherOrder = await api.get('/actions', {
      claims: READER,
      query: { ...query, order: 'asc', cursor: first.body.nextCursor },
    });

    // Assess
    for (const res of [tampered, otherOrder]) {
      expect(res.status).toBe(400);
      expect(res.body.error.details.fields).toHaveProperty('cursor');
    }
  });
});

describe('GET /actions filtered by several values and searched', () => {
  it('matches any of several severities given with commas, and one as before', async () => {
    // Act
    const two = await api.get('/actions', {
      claims: READER,
      query: { investigationId, severity: 'critical,low', limit: '200' },
    });
    const one = await api.get('/actions', {
      claims: READER,
      query: { investigationId, severity: 'low', limit: '200' },
    });
    const unknown = await api.get('/actions', {
      claims: READER,
      query: { investigationId, severity: 'critical,urgent' },
    });

    // Assess
    const expected = (wanted: Severity[]) =>
      seeded.filter((a) => wanted.includes(a.severity)).length;
    expect(two.body.total).toBe(expected(['critical', 'low']));
    expect(two.body.items).toHaveLength(expected(['critical', 'low']));
    expect(new Set(two.body.items.map((a: Action) => a.severity))).toEqual(
      new Set(['critical', 'low']),
    );
    expect(one.body.total).toBe(expected(['low']));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details.fields).toHaveProperty('severity');
  });

  it('matches any of several investigations', async () => {
    // Prepare
    const other = await api.pending({
      investigationId: investigationIdFor(`alert-o-${Math.random()}`),
    });

    // Act
    const res = await api.get('/actions', {
      claims: READER,
      query: { investigationId: `${investigationId},${other.investigationId}`, limit: '1' },
    });

    // Assess
    expect(res.body.total).toBe(121);
  });

  it('searches the device name, mailbox, alert title, investigation id and asset group', async () => {
    // Prepare
    const local = investigationIdFor(`alert-search-${Math.random()}`);
    const onDevice = await api.pending({
      investigationId: local,
      target: {
        kind: 'file',
        id: 'f-search',
        displayName: 'dropper.exe',
        deviceId: 'dev-77',
        deviceName: 'FIN-LT-042',
      },
    });
    const inMailbox = await api.pending({
      investigationId: local,
      type: 'disableExternalForwarding',
      category: 'email',
      target: { kind: 'mailbox', id: 'mb-1', displayName: 'Jo Doe', mailbox: 'jo.doe@example.com' },
      alertTitle: 'Forwarding rule to a free mail service',
      assetGroup: 'Executives',
    });
    const search = (q: string) =>
      api
        .get('/actions', { claims: READER, query: { investigationId: local, q } })
        .then((res) => res.body.items.map((a: Action) => a.id));

    // Act
    const results = {
      device: await search('fin-lt'),
      mailbox: await search('JO.DOE@'),
      title: await search('free mail'),
      group: await search('executives'),
      investigation: await search(local.slice(4, 14)),
      deviceId: await search('dev-77'),
    };

    // Assess
    expect(results).toEqual({
      device: [onDevice.id],
      mailbox: [inMailbox.id],
      title: [inMailbox.id],
      group: [inMailbox.id],
      investigation: expect.arrayContaining([onDevice.id, inMailbox.id]),
      deviceId: [],
    });
  });
});

describe('a list larger than the read bound', () => {
  it('says its total is a lower bound', async () => {
    // Prepare: a store that reads at most 5 actions of a list
    const bounded = new DynamoActionQueries(api.table.doc, {
      tableName: api.table.config.tableName,
      historyRetentionSeconds: 86_400,
      cursors: cursorCodec('a-test-cursor-secret-0123456789abcdef'),
      listReadBound: 5,
    });
    const local = investigationIdFor(`alert-bound-${Math.random()}`);
    for (let i = 0; i < 7; i += 1) await api.pending({ investigationId: local });

    // Act
    const page = await bounded.listPending(
      { limit: 3, filters: { investigationId: [local] } },
      api.now,
    );
    const exact = await bounded.listPending(
      { limit: 3, filters: { investigationId: [local], severity: ['critical'] } },
      api.now,
    );

    // Assess
    expect(page).toMatchObject({ total: 5, totalIsLowerBound: true });
    expect(page.items).toHaveLength(3);
    expect(exact).toMatchObject({ total: 0, totalIsLowerBound: false });
  });
});
