import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createStores, type Stores } from '../../../../functions/adapters/dynamodb/index.js';
import { keys } from '../../../../functions/adapters/dynamodb/keys.js';
import { NotFoundError } from '../../../../functions/core/errors.js';
import type { AuditRecord } from '../../../../functions/core/model.js';
import { makeAction, makeInvestigation, plus, T0 } from '../../../fixtures/actions.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

let table: LocalTable;
let stores: Stores;

beforeAll(async () => {
  table = await startLocalTable({ DEDUP_WINDOW_SECONDS: '3600' });
  stores = createStores(table.config, table.doc);
});
afterAll(() => table.stop());

describe('deduplication claims', () => {
  it('lets one of two claims on a cluster within the window win', async () => {
    const approvedAt = T0.toISOString();

    const [a, b] = await Promise.all([
      stores.dedup.claim(
        { dedupKey: 'softDeleteEmail|cluster|c1', actionId: 'act-a', approvedAt },
        T0,
      ),
      stores.dedup.claim(
        { dedupKey: 'softDeleteEmail|cluster|c1', actionId: 'act-b', approvedAt },
        T0,
      ),
    ]);

    expect([a.won, b.won].sort()).toEqual([false, true]);
    const loser = a.won ? b : a;
    expect(loser).toMatchObject({ won: false, duplicateOf: a.won ? 'act-a' : 'act-b', approvedAt });
  });

  it('lets a second claim win once the window has passed', async () => {
    const first = await stores.dedup.claim(
      { dedupKey: 'softDeleteEmail|cluster|c2', actionId: 'act-1', approvedAt: T0.toISOString() },
      T0,
    );
    const later = plus(T0, 3601);

    const second = await stores.dedup.claim(
      {
        dedupKey: 'softDeleteEmail|cluster|c2',
        actionId: 'act-2',
        approvedAt: later.toISOString(),
      },
      later,
    );

    expect(first.won).toBe(true);
    expect(second.won).toBe(true);
  });

  it('lets the same action claim again (a retried task)', async () => {
    const claim = {
      dedupKey: 'quarantineFile|file|d1|f1',
      actionId: 'act-x',
      approvedAt: T0.toISOString(),
    };

    await stores.dedup.claim(claim, T0);
    const retry = await stores.dedup.claim(claim, plus(T0, 5));

    expect(retry.won).toBe(true);
  });
});

describe('audit log', () => {
  const record = (i: number): AuditRecord => ({
    at: plus(T0, i).toISOString(),
    actor: `operator-${i}`,
    event: 'ActionApproved',
    actionId: `act-${i}`,
    investigationId: 'inv-1',
    before: 'Pending',
    after: 'Approved',
    comment: `entry ${i}`,
  });

  it('keeps one gap-free chain under concurrent appends, and it verifies', async () => {
    const isolated = await startLocalTable();
    const audit = createStores(isolated.config, isolated.doc).audit;

    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) => audit.append(record(i))),
    );
    const verdict = await audit.verify();

    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(verdict).toEqual({ ok: true, checked: 50 });
    await isolated.stop();
  }, 60_000);

  it('names the first altered entry when one stored entry is changed', async () => {
    const isolated = await startLocalTable();
    const audit = createStores(isolated.config, isolated.doc).audit;
    for (let i = 0; i < 5; i += 1) await audit.append(record(i));

    await isolated.doc.send(
      new UpdateCommand({
        TableName: isolated.config.tableName,
        Key: keys.audit(3),
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'someone-else' },
      }),
    );
    const verdict = await audit.verify();

    expect(verdict).toEqual({ ok: false, checked: 3, firstBrokenSeq: 3 });
    await isolated.stop();
  });

  it('lists entries newest first within the window, page by page', async () => {
    const isolated = await startLocalTable();
    const audit = createStores(isolated.config, isolated.doc).audit;
    for (let i = 0; i < 5; i += 1) await audit.append(record(i));

    const first = await audit.list({ window: '1d', limit: 3 }, plus(T0, 60));
    const second = await audit.list(
      { window: '1d', limit: 3, cursor: first.nextCursor },
      plus(T0, 60),
    );

    expect(first.items.map((e) => e.seq)).toEqual([5, 4, 3]);
    expect(second.items.map((e) => e.seq)).toEqual([2, 1]);
    expect(second.nextCursor).toBeUndefined();
    await isolated.stop();
  });
});

describe('investigations', () => {
  it('creates an investigation once per alert, even when delivered concurrently', async () => {
    const investigation = makeInvestigation({ alertId: 'alert-dup' });

    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        stores.investigations.createOnce({ investigation, evidence: [] }),
      ),
    );

    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('reads an investigation with its evidence and all its actions in one partition', async () => {
    const investigation = makeInvestigation({ alertId: 'alert-with-actions' });
    const evidence = [{ kind: 'file' as const, id: 'f1', verdict: 'malicious' as const }];
    await stores.investigations.createOnce({ investigation, evidence });
    const a1 = makeAction({ alertId: 'alert-with-actions' });
    const a2 = makeAction({ alertId: 'alert-with-actions' });
    await stores.actions.putPending(a1);
    await stores.actions.putPending(a2);

    const read = await stores.investigations.get(investigation.id);

    expect(read.investigation.id).toBe(investigation.id);
    expect(read.evidence).toEqual(evidence);
    expect(read.actions.map((a) => a.id).sort()).toEqual([a1.id, a2.id].sort());
  });

  it('lists investigations newest first in the window, filtered by status', async () => {
    const isolated = await startLocalTable();
    const s = createStores(isolated.config, isolated.doc);
    const older = makeInvestigation({ createdAt: T0.toISOString(), status: 'Remediated' });
    const newer = makeInvestigation({
      createdAt: plus(T0, 3600).toISOString(),
      status: 'PendingApproval',
    });
    await s.investigations.createOnce({ investigation: older, evidence: [] });
    await s.investigations.createOnce({ investigation: newer, evidence: [] });

    const all = await s.investigations.list({ window: '7d', limit: 10 }, plus(T0, 7200));
    const pending = await s.investigations.list(
      { window: '7d', limit: 10, status: 'PendingApproval' },
      plus(T0, 7200),
    );
    const updated = await s.investigations.update(older.id, { status: 'Failed' });

    expect(all.items.map((i) => i.id)).toEqual([newer.id, older.id]);
    expect(pending.items.map((i) => i.id)).toEqual([newer.id]);
    expect(updated.status).toBe('Failed');
    await isolated.stop();
  });

  it('keeps whether the analyzed evidence holds threats, and reads it back with the investigation', async () => {
    const investigation = makeInvestigation();
    await stores.investigations.createOnce({ investigation, evidence: [] });
    const before = await stores.investigations.get(investigation.id);
    const analyzed = [{ kind: 'file' as const, id: 'f9', verdict: 'malicious' as const }];

    await stores.investigations.update(investigation.id, {
      evidence: analyzed,
      threatsFound: true,
    });
    const after = await stores.investigations.get(investigation.id);

    expect(before).not.toHaveProperty('threatsFound');
    expect(after).toMatchObject({ evidence: analyzed, threatsFound: true });
  });

  it('removes a field with a patch that only removes (an updated alert that proposes something now)', async () => {
    const investigation = makeInvestigation({ noActionReason: 'Nothing remediable.' });
    await stores.investigations.createOnce({ investigation, evidence: [] });

    const updated = await stores.investigations.update(investigation.id, { noActionReason: null });

    expect(updated).not.toHaveProperty('noActionReason');
    expect(await stores.investigations.get(investigation.id)).not.toHaveProperty('noActionReason');
  });
});

describe("an investigation's one wait and its wakes", () => {
  async function created() {
    const investigation = makeInvestigation();
    await stores.investigations.createOnce({ investigation, evidence: [] });
    return investigation.id;
  }

  it('counts each wake and answers the token of the wait registered last', async () => {
    const id = await created();
    await stores.investigations.registerWait(id, 'token-1');
    await stores.investigations.registerWait(id, 'token-2');

    const first = await stores.investigations.wake(id);
    const second = await stores.investigations.wake(id);

    expect(first).toEqual({ waitToken: 'token-2' });
    expect(second).toEqual({ waitToken: 'token-2' });
    expect(await stores.investigations.wakesOf(id)).toBe(2);
  });

  it('answers a wake with no token while no wait was ever registered, and still counts it', async () => {
    const id = await created();

    const receipt = await stores.investigations.wake(id);

    expect(receipt).toEqual({});
    expect(await stores.investigations.wakesOf(id)).toBe(1);
  });

  it('answers a registered wait with the wakes counted so far, so one missed meanwhile ends it at once', async () => {
    const id = await created();
    const fresh = await stores.investigations.registerWait(id, 'token-1');
    await Promise.all([1, 2, 3].map(() => stores.investigations.wake(id)));

    const next = await stores.investigations.registerWait(id, 'token-2');

    expect(fresh).toEqual({ wakes: 0 });
    expect(next).toEqual({ wakes: 3 });
    expect(await stores.investigations.wakesOf(id)).toBe(3);
  });

  it('counts every one of 20 concurrent wakes', async () => {
    const id = await created();

    await Promise.all(Array.from({ length: 20 }, () => stores.investigations.wake(id)));

    expect(await stores.investigations.wakesOf(id)).toBe(20);
  });

  it('answers not found for an investigation that does not exist, and creates nothing', async () => {
    const ghost = makeInvestigation().id;

    await expect(stores.investigations.wake(ghost)).rejects.toBeInstanceOf(NotFoundError);
    await expect(stores.investigations.registerWait(ghost, 't')).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(await stores.investigations.wakesOf(ghost)).toBe(0);
    await expect(stores.investigations.get(ghost)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps the wait token out of the investigation it reads', async () => {
    const id = await created();
    await stores.investigations.registerWait(id, 'TASKTOKEN-secret');

    const read = await stores.investigations.get(id);
    const listed = await stores.investigations.list({ window: '180d', limit: 100 }, plus(T0, 60));

    expect(JSON.stringify(read)).not.toContain('TASKTOKEN-secret');
    expect(JSON.stringify(listed)).not.toContain('TASKTOKEN-secret');
  });
});
