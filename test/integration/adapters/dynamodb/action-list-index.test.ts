// The action lists an index keeps in order (pending by expiry, history by decision time) read a
// page from the index, over dynalite: O(limit) items a page, the same order as the whole list
// sorted in memory, cursors that resume exactly after the last item, and `total` counted.

import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { jest } from '@jest/globals';
import {
  decidedActionItem,
  pendingActionItem,
} from '../../../../functions/adapters/dynamodb/action-items.js';
import { DynamoActionStore } from '../../../../functions/adapters/dynamodb/action-store.js';
import { cursorCodec } from '../../../../functions/adapters/dynamodb/cursor.js';
import type { Item } from '../../../../functions/adapters/dynamodb/items.js';
import { type ActionOrder, pageOf } from '../../../../functions/core/action-order.js';
import { investigationIdFor } from '../../../../functions/core/ids.js';
import type { Action, HistoryWindow, Severity } from '../../../../functions/core/model.js';
import type { ActionFilters, ActionListPage } from '../../../../functions/core/ports.js';
import { makeAction, plus } from '../../../fixtures/actions.js';
import { decisionAudit } from '../../../support/audit-records.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

// 1,000 actions bulk-loaded into dynalite and paged through several times: slow on 2 busy cores.
jest.setTimeout(120_000);

const NOW = new Date('2026-11-20T12:00:00.000Z');
const RETENTION = 180 * 86_400;
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'informational'];

let table: LocalTable;
let store: DynamoActionStore;
/** What the document client's Query calls returned: items read, and items a COUNT scanned. */
const reads = { items: 0, scanned: 0, counted: 0 };
let pending: Action[];
let history: Action[];

const storeWith = (listReadBound?: number) =>
  new DynamoActionStore(table.doc, {
    tableName: table.config.tableName,
    historyRetentionSeconds: RETENTION,
    cursors: cursorCodec('a-test-cursor-secret-0123456789abcdef'),
    ...(listReadBound !== undefined && { listReadBound }),
  });

async function put(items: Item[]) {
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await table.doc.send(
      new BatchWriteCommand({ RequestItems: { [table.config.tableName]: batch } }),
    );
  }
}

beforeAll(async () => {
  table = await startLocalTable();
  table.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (context.commandName === 'QueryCommand') {
        const output = out.output as { Items?: unknown[]; ScannedCount?: number };
        const input = args.input as { Select?: string };
        if (input.Select === 'COUNT') reads.counted += output.ScannedCount ?? 0;
        else {
          reads.items += output.Items?.length ?? 0;
          reads.scanned += output.ScannedCount ?? 0;
        }
      }
      return out;
    },
    { step: 'initialize', name: 'countReads' },
  );
  store = storeWith();
  // 500 pending, created over the last 5 days, two at a time (the same millisecond: the same
  // expiry), so ties are broken by id.
  pending = Array.from({ length: 500 }, (_, i) =>
    makeAction({
      alertId: `index-pending-${i}`,
      severity: SEVERITIES[i % 5],
      createdAt: plus(NOW, -(5 * 86_400) + Math.floor(i / 2) * 600).toISOString(),
    }),
  );
  // 500 in history, decided over the last 80 days (three month buckets), in bulk decisions of 5
  // (one decision time each).
  history = Array.from({ length: 500 }, (_, i) => {
    const decidedAt = plus(NOW, -(80 * 86_400) + Math.floor(i / 5) * 60_000).toISOString();
    return {
      ...makeAction({
        alertId: `index-history-${i}`,
        severity: SEVERITIES[i % 5],
        createdAt: plus(NOW, -(81 * 86_400) + i * 60).toISOString(),
      }),
      status: 'Rejected' as const,
      decision: { by: 'ana', at: decidedAt, automated: false },
      updatedAt: decidedAt,
    };
  });
  await put([
    ...pending.map((a) => pendingActionItem(a, RETENTION)),
    ...history.map((a) => decidedActionItem(a, a.decision?.at as string, RETENTION)),
  ]);
});
afterAll(() => table.stop());

beforeEach(() => {
  Object.assign(reads, { items: 0, scanned: 0, counted: 0 });
});

interface ListRequest {
  tab: 'pending' | 'history';
  order: ActionOrder;
  limit: number;
  filters?: ActionFilters;
  window?: HistoryWindow;
}

const list = (request: ListRequest, cursor?: string, from = store): Promise<ActionListPage> => {
  const page = { order: request.order, limit: request.limit, filters: request.filters, cursor };
  return request.tab === 'pending'
    ? from.listPending(page, NOW)
    : from.listHistory({ ...page, window: request.window ?? '180d' }, NOW);
};

/** Every page of a list, following the cursors. */
async function allPages(request: ListRequest): Promise<{ pages: Action[][]; totals: number[] }> {
  const pages: Action[][] = [];
  const totals: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await list(request, cursor);
    pages.push(page.items);
    totals.push(page.total);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 1000);
  return { pages, totals };
}

const ids = (actions: readonly Action[]) => actions.map((a) => a.id);
/** The whole list sorted in memory, as the slow path sorts it (core/action-order.ts). */
const sorted = (actions: readonly Action[], order: ActionOrder) =>
  ids(pageOf(actions, order, actions.length).items);

const BY_EXPIRY_ASC: ActionOrder = { sort: 'expiry', order: 'asc' };
const BY_EXPIRY_DESC: ActionOrder = { sort: 'expiry', order: 'desc' };
const NEWEST_DECISION: ActionOrder = { sort: 'decidedAt', order: 'desc' };

describe('a page of the pending list by expiry', () => {
  it('reads at most ~100 items for a page of 50 of 500, in the order of the list sorted in memory', async () => {
    // Act
    const asc = await list({ tab: 'pending', order: BY_EXPIRY_ASC, limit: 50 });
    const ascReads = reads.items;
    reads.items = 0;
    const desc = await list({ tab: 'pending', order: BY_EXPIRY_DESC, limit: 50 });
    const descReads = reads.items;
    // The slow path: a text search that matches every action sorts them all in memory.
    const slow = await list({
      tab: 'pending',
      order: BY_EXPIRY_ASC,
      limit: 50,
      filters: { q: 'invoice' },
    });

    // Assess
    expect(ascReads).toBeLessThanOrEqual(100);
    expect(descReads).toBeLessThanOrEqual(100);
    expect(ids(asc.items)).toEqual(sorted(pending, BY_EXPIRY_ASC).slice(0, 50));
    expect(ids(desc.items)).toEqual(sorted(pending, BY_EXPIRY_DESC).slice(0, 50));
    expect(ids(asc.items)).toEqual(ids(slow.items));
    expect(asc).toMatchObject({ total: 500, totalIsLowerBound: false });
  });

  it('lists each of 500 once, in order, following the cursors both ways, as the slow path does', async () => {
    // Act
    const asc = await allPages({ tab: 'pending', order: BY_EXPIRY_ASC, limit: 45 });
    const desc = await allPages({ tab: 'pending', order: BY_EXPIRY_DESC, limit: 45 });
    const slow = await allPages({
      tab: 'pending',
      order: BY_EXPIRY_DESC,
      limit: 45,
      filters: { q: 'invoice' },
    });

    // Assess
    expect(ids(asc.pages.flat())).toEqual(sorted(pending, BY_EXPIRY_ASC));
    expect(ids(desc.pages.flat())).toEqual(sorted(pending, BY_EXPIRY_DESC));
    expect(ids(desc.pages.flat())).toEqual(ids(slow.pages.flat()));
    expect(asc.pages.map((p) => p.length)).toEqual([...Array(11).fill(45), 5]);
    expect(new Set(asc.totals)).toEqual(new Set([500]));
  });

  it('resumes exactly after the last item shown when actions are decided and added between pages', async () => {
    // Prepare: an investigation of its own, 6 actions expiring after all others, 2 minutes apart
    const investigationId = investigationIdFor(`alert-resume-${Math.random()}`);
    const created = (seconds: number) => plus(NOW, -3600 + seconds).toISOString();
    const own = Array.from({ length: 6 }, (_, i) =>
      makeAction({ investigationId, alertId: `resume-${i}`, createdAt: created(i * 120) }),
    );
    for (const action of own) await store.putPending(action);
    const request: ListRequest = {
      tab: 'pending',
      order: BY_EXPIRY_DESC,
      limit: 2,
      filters: { investigationId: [investigationId] },
    };
    const first = await list(request);

    // Act: the last item shown and the next one are decided; one joins before, one after the cursor
    const decide = (action: Action) =>
      store.decide(
        action.id,
        { verdict: 'reject', by: 'ana' },
        NOW,
        decisionAudit(action.id, { verdict: 'reject', by: 'ana' }, NOW),
      );
    // Into history: the history tests list them too.
    history.push(await decide(own[4] as Action), await decide(own[3] as Action));
    const before = makeAction({ investigationId, alertId: 'resume-b', createdAt: created(540) });
    const after = makeAction({ investigationId, alertId: 'resume-a', createdAt: created(300) });
    await store.putPending(before);
    await store.putPending(after);
    const second = await list(request, first.nextCursor);
    const third = await list(request, second.nextCursor);

    // Assess
    expect(ids(first.items)).toEqual(ids([own[5], own[4]] as Action[]));
    expect(ids(second.items)).toEqual(ids([after, own[2]] as Action[]));
    expect(ids(third.items)).toEqual(ids([own[1], own[0]] as Action[]));
    expect(second.total).toBe(6);
  });
});

describe('a page of history by decision time', () => {
  it('lists each of ~500 decided over three months once, newest first by default, ties by id', async () => {
    // Act
    const newest = await allPages({ tab: 'history', order: NEWEST_DECISION, limit: 40 });
    const reads40 = reads.items;
    const oldest = await allPages({
      tab: 'history',
      order: { sort: 'decidedAt', order: 'asc' },
      limit: 40,
    });
    const slow = await allPages({
      tab: 'history',
      order: NEWEST_DECISION,
      limit: 40,
      filters: { q: 'invoice' },
    });

    // Assess
    expect(ids(newest.pages.flat())).toEqual(sorted(history, NEWEST_DECISION));
    expect(ids(oldest.pages.flat())).toEqual(sorted(history, { sort: 'decidedAt', order: 'asc' }));
    expect(ids(newest.pages.flat())).toEqual(ids(slow.pages.flat()));
    // 13 pages of 40: one item past each page, and no more.
    expect(reads40).toBeLessThanOrEqual(history.length + 13);
    expect(new Set(newest.totals)).toEqual(new Set([history.length]));
  });

  it('counts and lists only the window: 30 days of 80', async () => {
    // Act
    const { pages, totals } = await allPages({
      tab: 'history',
      order: NEWEST_DECISION,
      limit: 50,
      window: '30d',
    });

    // Assess
    const from = plus(NOW, -30 * 86_400).toISOString();
    const inWindow = history.filter((a) => (a.decision?.at as string) >= from);
    expect(ids(pages.flat())).toEqual(sorted(inWindow, NEWEST_DECISION));
    expect(totals[0]).toBe(inWindow.length);
  });
});

describe('the total of an index-ordered list', () => {
  it('is the count of the list, and a lower bound past the configured read bound', async () => {
    // Prepare
    const bounded = storeWith(20);

    // Act
    const page = await list(
      { tab: 'pending', order: BY_EXPIRY_ASC, limit: 10 },
      undefined,
      bounded,
    );
    const countedReads = reads.counted;
    const exact = await list(
      {
        tab: 'pending',
        order: BY_EXPIRY_ASC,
        limit: 10,
        filters: {
          severity: ['critical'],
          investigationId: [pending[0]?.investigationId as string],
        },
      },
      undefined,
      bounded,
    );
    const history20 = await list(
      { tab: 'history', order: NEWEST_DECISION, limit: 10 },
      undefined,
      bounded,
    );

    // Assess
    expect(page).toMatchObject({ total: 20, totalIsLowerBound: true });
    expect(page.items).toHaveLength(10);
    expect(page.nextCursor).toBeDefined();
    // Counting stops one past the bound.
    expect(countedReads).toBeLessThanOrEqual(21);
    expect(exact).toMatchObject({ total: 1, totalIsLowerBound: false });
    expect(history20).toMatchObject({ total: 20, totalIsLowerBound: true });
  });

  it('is counted with the first page only: the pages after it carry the count, reading O(limit)', async () => {
    // Prepare
    const first = await list({ tab: 'pending', order: BY_EXPIRY_ASC, limit: 50 });
    const countedFirst = reads.counted;
    reads.counted = 0;
    reads.items = 0;

    // Act
    const second = await list(
      { tab: 'pending', order: BY_EXPIRY_ASC, limit: 50 },
      first.nextCursor as string,
    );

    // Assess
    expect(countedFirst).toBe(first.total);
    expect(reads.counted).toBe(0);
    expect(reads.items).toBeLessThanOrEqual(51);
    expect(second).toMatchObject({ total: first.total, totalIsLowerBound: false });
    expect(second.items).toHaveLength(50);
  });
});

describe('filters on an index-ordered list', () => {
  it('lists the matching actions only, in order, across pages', async () => {
    // Act
    const { pages, totals } = await allPages({
      tab: 'pending',
      order: BY_EXPIRY_DESC,
      limit: 30,
      filters: { severity: ['critical', 'low'] },
    });

    // Assess
    const matching = pending.filter((a) => a.severity === 'critical' || a.severity === 'low');
    expect(ids(pages.flat())).toEqual(sorted(matching, BY_EXPIRY_DESC));
    expect(totals[0]).toBe(200);
    expect(pages.every((p) => p.length <= 30)).toBe(true);
  });

  it('stops a page at its read budget when few match, and the cursor goes on from there', async () => {
    // Prepare: 2 of the 500 match
    const wanted = [pending[37], pending[412]] as Action[];
    const request: ListRequest = {
      tab: 'pending',
      order: BY_EXPIRY_ASC,
      limit: 5,
      filters: { investigationId: wanted.map((a) => a.investigationId) },
    };

    // Act
    const first = await list(request);
    const firstScanned = reads.scanned;
    const { pages } = await allPages(request);

    // Assess: a page evaluates at most 5 x 5 items (50 at least), so it stops short with a cursor
    expect(firstScanned).toBeLessThanOrEqual(50);
    expect(first.items.length).toBeLessThan(2);
    expect(first.nextCursor).toBeDefined();
    expect(first.total).toBe(2);
    expect(ids(pages.flat())).toEqual(sorted(wanted, BY_EXPIRY_ASC));
    expect(pages.length).toBeGreaterThan(2);
  });
});
