import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { pendingActionItem } from '../../../../functions/adapters/dynamodb/action-items.js';
import { createStores, type Stores } from '../../../../functions/adapters/dynamodb/index.js';
import {
  ConflictError,
  ExpiredError,
  NotFoundError,
  ValidationError,
} from '../../../../functions/core/errors.js';
import { makeAction, plus, T0 } from '../../../fixtures/actions.js';
import {
  automaticApprovalAudit,
  decisionAudit,
  undoAudit,
} from '../../../support/audit-records.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

let table: LocalTable;
let stores: Stores;

beforeAll(async () => {
  table = await startLocalTable();
  stores = createStores(table.config, table.doc);
});
afterAll(() => table.stop());

describe('storing a pending action', () => {
  it('stores it once: a replayed plan finds the stored action and changes nothing', async () => {
    const action = makeAction();

    const first = await stores.actions.putPending(action);
    await stores.actions.decide(
      action.id,
      { verdict: 'reject', by: 'ana' },
      plus(T0, 60),
      decisionAudit(action.id, { verdict: 'reject', by: 'ana' }, plus(T0, 60)),
    );
    const replayed = await stores.actions.putPending({ ...action, severity: 'low' });

    expect(first).toEqual({ action, created: true });
    expect(replayed.created).toBe(false);
    expect(replayed.action).toMatchObject({ id: action.id, status: 'Rejected', severity: 'high' });
    expect((await stores.actions.callbacksOwed(1000)).map((a) => a.id)).toContain(action.id);
  });
});

describe('deciding an action', () => {
  it('lets exactly one of 50 concurrent decisions win; the rest conflict with the current status', async () => {
    const action = makeAction();
    await stores.actions.putPending(action);

    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        stores.actions.decide(
          action.id,
          { verdict: i % 2 ? 'approve' : 'reject', by: `operator-${i}` },
          plus(T0, 60),
          decisionAudit(
            action.id,
            { verdict: i % 2 ? 'approve' : 'reject', by: `operator-${i}` },
            plus(T0, 60),
          ),
        ),
      ),
    );

    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    const winner = (
      won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof stores.actions.decide>>>
    ).value;
    for (const loss of lost) {
      expect(loss.reason).toBeInstanceOf(ConflictError);
      expect((loss.reason as ConflictError).action?.status).toBe(winner.status);
    }
    const stored = await stores.actions.get(action.id);
    expect(stored?.decision?.by).toBe(winner.decision?.by);
  });

  it('refuses a decision after the action expired, and records none', async () => {
    const action = makeAction();
    await stores.actions.putPending(action);

    const late = stores.actions.decide(
      action.id,
      { verdict: 'approve', by: 'ana' },
      plus(T0, 604_801),
      decisionAudit(action.id, { verdict: 'approve', by: 'ana' }, plus(T0, 604_801)),
    );

    await expect(late).rejects.toBeInstanceOf(ExpiredError);
    await expect(late).rejects.toMatchObject({ action: { status: 'Expired' } });
    const stored = await stores.actions.get(action.id);
    expect(stored?.status).toBe('Pending');
    expect(stored?.decision).toBeUndefined();
  });

  it('answers not found for an unknown action', async () => {
    const ghost = makeAction();

    await expect(
      stores.actions.decide(
        ghost.id,
        { verdict: 'approve', by: 'ana' },
        T0,
        decisionAudit(ghost.id, { verdict: 'approve', by: 'ana' }, T0),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('returns the decided action and keeps its wake owed until delivered', async () => {
    const action = makeAction();
    await stores.actions.putPending(action);

    const decided = await stores.actions.decide(
      action.id,
      { verdict: 'approve', by: 'ana', comment: 'confirmed' },
      plus(T0, 30),
      decisionAudit(
        action.id,
        { verdict: 'approve', by: 'ana', comment: 'confirmed' },
        plus(T0, 30),
      ),
    );
    const owedBefore = await stores.actions.callbacksOwed(1000);
    await stores.actions.callbackDelivered(action.id);
    await stores.actions.callbackDelivered(action.id);
    const owedAfter = await stores.actions.callbacksOwed(1000);

    expect(decided).toMatchObject({ id: action.id, status: 'Approved' });
    expect(decided.decision).toMatchObject({ by: 'ana', comment: 'confirmed', automated: false });
    expect(owedBefore.find((a) => a.id === action.id)).toMatchObject({
      status: 'Approved',
      decision: { by: 'ana' },
    });
    expect(owedAfter.map((a) => a.id)).not.toContain(action.id);
  });

  it("settles an approval's owed wake when the workflow moves it on, in the same write", async () => {
    const action = makeAction();
    await stores.actions.putPending(action);
    const approve = { verdict: 'approve', by: 'ana' } as const;
    await stores.actions.decide(
      action.id,
      approve,
      plus(T0, 30),
      decisionAudit(action.id, approve, plus(T0, 30)),
    );
    const owedBefore = (await stores.actions.callbacksOwed(1000)).map((a) => a.id);

    await stores.actions.transition(action.id, 'Running', plus(T0, 31));

    expect(owedBefore).toContain(action.id);
    expect((await stores.actions.callbacksOwed(1000)).map((a) => a.id)).not.toContain(action.id);
  });

  it('lists owed wakes oldest decision first, up to the limit', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const actions = [makeAction(), makeAction(), makeAction()];
    for (const a of actions) await s.actions.putPending(a);
    for (const [i, a] of [...actions].reverse().entries()) {
      await s.actions.decide(
        a.id,
        { verdict: 'approve', by: 'ana' },
        plus(T0, 60 + i),
        decisionAudit(a.id, { verdict: 'approve', by: 'ana' }, plus(T0, 60 + i)),
      );
    }

    try {
      const two = await s.actions.callbacksOwed(2);

      expect(two.map((a) => a.id)).toEqual([actions[2]?.id, actions[1]?.id]);
    } finally {
      await isolated.stop();
    }
  });
});

describe('reading many actions at once', () => {
  it('answers each stored one as read answers it, past the 100 keys of one BatchGetItem, and leaves absent ids out', async () => {
    const actions = Array.from({ length: 120 }, (_, i) =>
      makeAction({ createdAt: plus(T0, i === 0 ? -604_800 : 0).toISOString() }),
    );
    for (const a of actions) await stores.actions.putPending(a);
    const missing = makeAction().id;
    const now = plus(T0, 10);

    const read = await stores.actions.readMany([...actions.map((a) => a.id), missing], now);

    expect(read.size).toBe(120);
    expect(read.has(missing)).toBe(false);
    // The first one lapsed: read as Expired, as `read` answers it.
    expect(read.get(actions[0]?.id as string)?.status).toBe('Expired');
    expect(read.get(actions[119]?.id as string)).toEqual(
      await stores.actions.read(actions[119]?.id as string, now),
    );
  });
});

describe('reminders of pending actions', () => {
  it('lists pending actions soonest expiry first with the level each was sent, and records a level once', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const older = makeAction({ createdAt: plus(T0, -3600).toISOString() });
    const newer = makeAction({ createdAt: T0.toISOString() });
    const decided = makeAction({ createdAt: plus(T0, -7200).toISOString() });
    for (const a of [newer, older, decided]) await s.actions.putPending(a);
    const approve = { verdict: 'approve', by: 'ana' } as const;
    await s.actions.decide(decided.id, approve, T0, decisionAudit(decided.id, approve, T0));

    const first = await s.actions.markNotified(older.id, 1);
    const again = await s.actions.markNotified(older.id, 1);
    const higher = await s.actions.markNotified(older.id, 2);
    const notPending = await s.actions.markNotified(decided.id, 1);
    const listed = await s.actions.pendingOldestFirst(T0, 10);

    expect([first, again, higher, notPending]).toEqual([true, false, true, false]);
    expect(listed.map((l) => [l.action.id, l.notifiedLevel])).toEqual([
      [older.id, 2],
      [newer.id, 0],
    ]);
    await isolated.stop();
  });
});

describe('tracking a running action', () => {
  const tracking = (checkAt: Date) => ({
    submitted: true,
    ref: 'machine-action-1',
    checks: 1,
    failures: 0,
    checkAt: checkAt.toISOString(),
    deadline: plus(checkAt, 3600).toISOString(),
  });

  async function running(overrides: Parameters<typeof makeAction>[0] = {}) {
    const action = makeAction(overrides);
    await stores.actions.putPending(action);
    await stores.actions.decide(
      action.id,
      { verdict: 'approve', by: 'ana' },
      plus(T0, 10),
      decisionAudit(action.id, { verdict: 'approve', by: 'ana' }, plus(T0, 10)),
    );
    await stores.actions.transition(action.id, 'Running', plus(T0, 11), {
      tracking: tracking(plus(T0, 11)),
    });
    return action;
  }

  it("keeps the latest tracking and answers the investigation's Running actions only", async () => {
    const first = await running();
    const second = await running({ alertId: first.alertId, targetId: 'second-file' });
    const elsewhere = await running();
    const waiting = makeAction({ alertId: first.alertId, targetId: 'waiting-file' });
    await stores.actions.putPending(waiting);

    await stores.actions.track(first.id, tracking(plus(T0, 40)));
    const tracked = await stores.actions.trackingOf(first.investigationId);

    expect([...tracked.keys()].sort()).toEqual([first.id, second.id].sort());
    expect(tracked.get(first.id)).toEqual(tracking(plus(T0, 40)));
    expect(tracked.get(second.id)).toEqual(tracking(plus(T0, 11)));
    expect(tracked.has(elsewhere.id)).toBe(false);
  });

  it('drops the tracking when the action leaves Running', async () => {
    const action = await running();

    await stores.actions.transition(action.id, 'Completed', plus(T0, 20), {
      result: { outcome: 'quarantined', at: plus(T0, 20).toISOString() },
    });

    expect((await stores.actions.trackingOf(action.investigationId)).size).toBe(0);
    expect(await stores.actions.get(action.id)).not.toHaveProperty('tracking');
  });

  it('refuses to track an action that is no longer Running, with the current action', async () => {
    const action = await running();
    await stores.actions.transition(action.id, 'Failed', plus(T0, 20), {
      result: { outcome: 'Failed', at: plus(T0, 20).toISOString() },
    });

    await expect(stores.actions.track(action.id, tracking(plus(T0, 30)))).rejects.toMatchObject({
      name: 'ConflictError',
      action: { id: action.id, status: 'Failed' },
    });
    expect((await stores.actions.trackingOf(action.investigationId)).size).toBe(0);
  });

  it('answers not found when tracking an action that does not exist', async () => {
    await expect(
      stores.actions.track(makeAction().id, tracking(plus(T0, 30))),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('status transitions', () => {
  it('follows the legal path and is idempotent when a task is replayed', async () => {
    const action = makeAction();
    await stores.actions.putPending(action);
    await stores.actions.decide(
      action.id,
      { verdict: 'approve', by: 'ana' },
      plus(T0, 10),
      decisionAudit(action.id, { verdict: 'approve', by: 'ana' }, plus(T0, 10)),
    );

    await stores.actions.transition(action.id, 'Running', plus(T0, 11));
    const replayed = await stores.actions.transition(action.id, 'Running', plus(T0, 12));
    const done = await stores.actions.transition(action.id, 'Completed', plus(T0, 13), {
      result: { outcome: 'quarantined', at: plus(T0, 13).toISOString() },
    });

    expect(replayed.status).toBe('Running');
    expect(done.status).toBe('Completed');
    expect(done.result?.outcome).toBe('quarantined');
  });

  it('refuses an illegal transition with the current action', async () => {
    const action = makeAction();
    await stores.actions.putPending(action);
    await stores.actions.decide(
      action.id,
      { verdict: 'reject', by: 'ana' },
      plus(T0, 10),
      decisionAudit(action.id, { verdict: 'reject', by: 'ana' }, plus(T0, 10)),
    );

    await expect(
      stores.actions.transition(action.id, 'Running', plus(T0, 11)),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      action: { status: 'Rejected' },
    });
  });
});

describe("the System's rejection of a pending action (its workflow is gone)", () => {
  it('takes it out of the pending queue and into history, kept for the retention', async () => {
    // Prepare
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const action = makeAction();
    await s.actions.putPending(action);
    const at = plus(T0, 60);
    const decision = { by: 'System', at: at.toISOString(), automated: false, comment: 'stopped' };

    try {
      // Act
      const rejected = await s.actions.transition(action.id, 'Rejected', at, { decision });

      // Assess
      const now = plus(T0, 120);
      expect(rejected).toMatchObject({ status: 'Rejected', decision });
      expect((await s.actions.listPending({ limit: 50 }, now)).items).toEqual([]);
      expect((await s.actions.pendingStats(now))[action.severity].count).toBe(0);
      const history = await s.actions.listHistory({ window: '1d', limit: 50 }, now);
      expect(history.items.map((a) => [a.id, a.status])).toEqual([[action.id, 'Rejected']]);
    } finally {
      await isolated.stop();
    }
  });
});

describe('what waits for a decision, by severity', () => {
  it("counts the pending actions of each severity and the oldest one's age, leaving out expired and decided ones", async () => {
    // Prepare: critical ones 3 h and 1 h old, a low one 2 h old, one decided, one lapsed.
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const lapsed = makeAction({ severity: 'critical', createdAt: T0.toISOString() });
    const now = plus(T0, 604_800 + 1);
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
    const decided = makeAction({ severity: 'medium', createdAt: hoursAgo(4) });
    for (const a of [
      lapsed,
      decided,
      makeAction({ severity: 'critical', createdAt: hoursAgo(3) }),
      makeAction({ severity: 'critical', createdAt: hoursAgo(1) }),
      makeAction({ severity: 'low', createdAt: hoursAgo(2) }),
    ]) {
      await s.actions.putPending(a);
    }
    await s.actions.decide(
      decided.id,
      { verdict: 'reject', by: 'ana' },
      now,
      decisionAudit(decided.id, { verdict: 'reject', by: 'ana' }, now),
    );

    // Act
    const stats = await s.actions.pendingStats(now);

    // Assess
    expect(stats).toEqual({
      critical: { count: 2, oldestAgeSeconds: 3 * 3600 },
      high: { count: 0, oldestAgeSeconds: 0 },
      medium: { count: 0, oldestAgeSeconds: 0 },
      low: { count: 1, oldestAgeSeconds: 2 * 3600 },
      informational: { count: 0, oldestAgeSeconds: 0 },
    });
    await isolated.stop();
  });
});

describe('listing pending actions', () => {
  it('lists the oldest first within a severity, hides expired ones and pages with a cursor', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const actions = [0, 1, 2, 3, 4].map((i) =>
      makeAction({ createdAt: plus(T0, i * 3600).toISOString() }),
    );
    for (const a of actions) await s.actions.putPending(a);
    // Just after the oldest one lapsed:
    const now = plus(T0, 604_800 + 1);

    const first = await s.actions.listPending({ limit: 2 }, now);
    const second = await s.actions.listPending({ limit: 2, cursor: first.nextCursor }, now);
    const third = second.nextCursor
      ? await s.actions.listPending({ limit: 2, cursor: second.nextCursor }, now)
      : { items: [] };

    const ids = [...first.items, ...second.items, ...third.items].map((a) => a.id);
    expect(ids).toEqual([actions[1], actions[2], actions[3], actions[4]].map((a) => a?.id));
    await isolated.stop();
  });

  it('filters by category, severity and text in the target name', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const mail = makeAction({
      type: 'softDeleteEmail',
      category: 'email',
      severity: 'critical',
      target: {
        kind: 'emailCluster',
        id: 'c-1',
        clusterId: 'c-1',
        displayName: 'Invoice Phish',
        messageCount: 40,
      },
    });
    await s.actions.putPending(mail);
    await s.actions.putPending(makeAction());

    const byCategory = await s.actions.listPending(
      { limit: 50, filters: { category: ['email'] } },
      T0,
    );
    const byText = await s.actions.listPending({ limit: 50, filters: { q: 'phish' } }, T0);
    const none = await s.actions.listPending({ limit: 50, filters: { severity: ['low'] } }, T0);

    expect(byCategory.items.map((a) => a.id)).toEqual([mail.id]);
    expect(byText.items.map((a) => a.id)).toEqual([mail.id]);
    expect(none.items).toEqual([]);
    await isolated.stop();
  });

  it('reads each stored pending action once a request and counts all 10,000 of them', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const scanned: number[] = [];
    isolated.doc.middlewareStack.add(
      (next) => async (args) => {
        const out = await next(args);
        const count = (out.output as { ScannedCount?: number }).ScannedCount;
        if (count !== undefined) scanned.push(count);
        return out;
      },
      { step: 'initialize', name: 'countScanned' },
    );
    const items = Array.from({ length: 10_000 }, (_, i) => {
      return pendingActionItem(makeAction({ createdAt: plus(T0, i).toISOString() }), 180 * 86_400);
    });
    for (let i = 0; i < items.length; i += 25) {
      await isolated.doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [isolated.config.tableName]: items
              .slice(i, i + 25)
              .map((Item) => ({ PutRequest: { Item } })),
          },
        }),
      );
    }
    scanned.length = 0;

    const page = await s.actions.listPending({ limit: 50 }, plus(T0, 20_000));
    const next = await s.actions.listPending(
      { limit: 50, cursor: page.nextCursor },
      plus(T0, 20_000),
    );

    expect(page.items).toHaveLength(50);
    expect(next.items).toHaveLength(50);
    expect(page.items[0]?.createdAt).toBe(T0.toISOString());
    expect(next.items[0]?.createdAt).toBe(plus(T0, 50).toISOString());
    expect(page).toMatchObject({ total: 10_000, totalIsLowerBound: false });
    expect(scanned.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(2 * 10_000);
    await isolated.stop();
  }, 120_000);

  it('rejects a tampered cursor as a validation error', async () => {
    await stores.actions.putPending(makeAction());
    await stores.actions.putPending(makeAction());
    const page = await stores.actions.listPending({ limit: 1 }, T0);
    const cursor = page.nextCursor as string;
    const [payload, tag] = cursor.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
    decoded.after[0] = '9';
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${tag}`;

    // The same tag spelled another way: its last character with a spare (ignored) bit set.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${cursor.slice(0, -1)}${alphabet[alphabet.indexOf(cursor.at(-1) as string) ^ 1]}`;
    expect(Buffer.from(respelled.split('.')[1] as string, 'base64url')).toEqual(
      Buffer.from(tag, 'base64url'),
    );

    for (const bad of [
      forged,
      respelled,
      `${cursor}x`,
      'not-a-cursor',
      '',
      `${payload}.${tag}.x`,
    ]) {
      await expect(
        stores.actions.listPending({ limit: 1, cursor: bad }, T0),
      ).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(
      stores.actions.listHistory({ limit: 1, cursor, window: '7d' }, T0),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('history', () => {
  it('lists decided actions in the window, newest decision first, and moves them to history retention', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const old = makeAction();
    const recent = makeAction();
    await s.actions.putPending(old);
    await s.actions.putPending(recent);
    await s.actions.decide(
      old.id,
      { verdict: 'approve', by: 'ana' },
      plus(T0, 60),
      decisionAudit(old.id, { verdict: 'approve', by: 'ana' }, plus(T0, 60)),
    );
    await s.actions.decide(
      recent.id,
      { verdict: 'reject', by: 'bo' },
      plus(T0, 3 * 86_400),
      decisionAudit(recent.id, { verdict: 'reject', by: 'bo' }, plus(T0, 3 * 86_400)),
    );
    const now = plus(T0, 3 * 86_400 + 60);

    const day = await s.actions.listHistory({ window: '1d', limit: 50 }, now);
    const week = await s.actions.listHistory({ window: '7d', limit: 50 }, now);
    const rejected = await s.actions.listHistory(
      { window: '7d', limit: 50, filters: { status: ['Rejected'] } },
      now,
    );
    const pending = await s.actions.listPending({ limit: 50 }, now);

    expect(day.items.map((a) => a.id)).toEqual([recent.id]);
    expect(week.items.map((a) => a.id)).toEqual([recent.id, old.id]);
    expect(rejected.items.map((a) => a.id)).toEqual([recent.id]);
    expect(pending.items).toEqual([]);
    await isolated.stop();
  });

  it('finds history across month boundaries in the six-month window', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const decidedAt = [0, 40, 80, 120].map((d) => plus(T0, d * 86_400));
    const actions = decidedAt.map((at) =>
      makeAction({ createdAt: new Date(at.getTime() - 1000).toISOString() }),
    );
    for (const [i, a] of actions.entries()) {
      await s.actions.putPending(a);
      await s.actions.decide(
        a.id,
        { verdict: 'approve', by: 'ana' },
        decidedAt[i] as Date,
        decisionAudit(a.id, { verdict: 'approve', by: 'ana' }, decidedAt[i] as Date),
      );
    }
    const now = plus(T0, 121 * 86_400);

    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await s.actions.listHistory({ window: '180d', limit: 1, cursor }, now);
      ids.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);

    expect(ids).toEqual(actions.map((a) => a.id).reverse());
    await isolated.stop();
  });
});

describe('automated approvals', () => {
  it('stores an automatically approved action once', async () => {
    const action = makeAction({
      status: 'Approved',
      decision: { by: 'Automation', at: T0.toISOString(), automated: true },
    });

    const first = await stores.actions.putDecided(action, automaticApprovalAudit(action));
    const again = await stores.actions.putDecided(
      { ...action, severity: 'low' },
      automaticApprovalAudit({ ...action, severity: 'low' }),
    );

    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.action.severity).toBe('high');
  });
});

it('ignores nothing silently: an unexpected DynamoDB error propagates', async () => {
  const broken = createStores({ ...table.config, tableName: 'NoSuchTable' }, table.doc);

  await expect(broken.actions.putPending(makeAction())).rejects.toMatchObject({
    name: 'ResourceNotFoundException',
  });
  await expect(
    table.doc.send(new PutCommand({ TableName: 'NoSuchTable', Item: { pk: 'x', sk: 'y' } })),
  ).rejects.toThrow();
});

describe('undo requests', () => {
  async function completed(overrides: Parameters<typeof makeAction>[0] = {}) {
    const action = makeAction(overrides);
    await stores.actions.putPending(action);
    const verdict = { verdict: 'approve' as const, by: 'ana' };
    await stores.actions.decide(
      action.id,
      verdict,
      plus(T0, 10),
      decisionAudit(action.id, verdict, plus(T0, 10)),
    );
    await stores.actions.transition(action.id, 'Running', plus(T0, 11));
    return stores.actions.transition(action.id, 'Completed', plus(T0, 12), {
      result: { outcome: 'quarantined', at: plus(T0, 12).toISOString() },
    });
  }
  const request = (seconds: number) => ({
    by: 'ana@example.com',
    at: plus(T0, seconds).toISOString(),
    comment: 'business app',
  });

  it('records one request per Completed, undoable action until it lapses', async () => {
    const action = await completed();

    const first = await stores.actions.requestUndo(
      action.id,
      request(20),
      plus(T0, -900),
      undoAudit(action.id, 'UndoRequested', request(20).at),
    );
    const second = await stores.actions
      .requestUndo(
        action.id,
        request(21),
        plus(T0, -879),
        undoAudit(action.id, 'UndoRequested', request(21).at),
      )
      .catch((error: unknown) => error);
    const lapsed = await stores.actions.requestUndo(
      action.id,
      request(930),
      plus(T0, 30),
      undoAudit(action.id, 'UndoRequested', request(930).at),
    );

    expect(first).toMatchObject({ status: 'Completed', undoRequested: request(20) });
    expect(second).toBeInstanceOf(ConflictError);
    expect(second).toMatchObject({
      message: expect.stringContaining('is being undone'),
      action: { undoRequested: request(20) },
    });
    expect(lapsed.undoRequested).toEqual(request(930));
  });

  it('refuses an action that is not Completed, or not undoable, with the action', async () => {
    const pending = makeAction();
    await stores.actions.putPending(pending);
    const notUndoable = await completed({ type: 'killProcess', undoable: false });

    await expect(
      stores.actions.requestUndo(
        pending.id,
        request(20),
        T0,
        undoAudit(pending.id, 'UndoRequested', request(20).at),
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      stores.actions.requestUndo(
        notUndoable.id,
        request(20),
        T0,
        undoAudit(notUndoable.id, 'UndoRequested', request(20).at),
      ),
    ).rejects.toMatchObject({ message: expect.stringContaining('cannot be undone') });
  });

  it('keeps a failure of the request it answers once, and keeps tracking only while it is retried', async () => {
    const action = await completed();
    await stores.actions.requestUndo(
      action.id,
      request(20),
      T0,
      undoAudit(action.id, 'UndoRequested', request(20).at),
    );
    const tracking = {
      submitted: false,
      checks: 0,
      failures: 1,
      checkAt: plus(T0, 22).toISOString(),
      deadline: plus(T0, 3620).toISOString(),
    };
    await stores.actions.track(action.id, tracking);
    const retried = await stores.actions.trackingOf(action.investigationId);
    const failure = {
      at: plus(T0, 30).toISOString(),
      requestedAt: request(20).at,
      reason: 'ConnectorPermanentError: locked',
      retryable: false,
    };

    const failed = await stores.actions.failUndo(
      action.id,
      failure,
      undoAudit(action.id, 'UndoFailed', failure.at),
    );
    const replayed = await stores.actions.failUndo(
      action.id,
      failure,
      undoAudit(action.id, 'UndoFailed', failure.at),
    );

    expect(retried.get(action.id)).toEqual(tracking);
    expect(failed).toMatchObject({ status: 'Completed', undoFailure: failure });
    expect(failed.undoRequested).toBeUndefined();
    expect(replayed).toEqual(failed);
    expect((await stores.actions.trackingOf(action.investigationId)).has(action.id)).toBe(false);
  });
});
