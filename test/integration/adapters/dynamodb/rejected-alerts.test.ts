import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createStores, type Stores } from '../../../../functions/adapters/dynamodb/index.js';
import { keys } from '../../../../functions/adapters/dynamodb/keys.js';
import { ValidationError } from '../../../../functions/core/errors.js';
import { plus, T0 } from '../../../fixtures/actions.js';
import { makeRejected } from '../../../fixtures/rejected-alerts.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

let table: LocalTable;
let stores: Stores;

beforeEach(async () => {
  table = await startLocalTable();
  stores = createStores(table.config, table.doc);
});
afterEach(() => table.stop());

const at = (seconds: number) => plus(T0, seconds).toISOString();

describe('rejected alerts', () => {
  it('lists what was recorded newest first, across month buckets', async () => {
    await stores.rejectedAlerts.record(
      makeRejected({ id: 'old', receivedAt: '2026-10-20T08:00:00.000Z' }),
    );
    await stores.rejectedAlerts.record(makeRejected({ id: 'mid', receivedAt: at(10) }));
    await stores.rejectedAlerts.record(makeRejected({ id: 'new', receivedAt: at(20) }));

    const page = await stores.rejectedAlerts.list({ limit: 10 }, plus(T0, 60));

    expect(page.items.map((r) => r.id)).toEqual(['new', 'mid', 'old']);
    expect(page.items[0]).toEqual(makeRejected({ id: 'new', receivedAt: at(20) }));
    expect(page.nextCursor).toBeUndefined();
  });

  it('keeps the first record of an event delivered twice', async () => {
    await stores.rejectedAlerts.record(makeRejected({ id: 'dup', reason: 'first' }));

    await stores.rejectedAlerts.record(makeRejected({ id: 'dup', reason: 'second' }));

    const page = await stores.rejectedAlerts.list({ limit: 10 }, plus(T0, 60));
    expect(page.items).toHaveLength(1);
    expect(page.items[0]?.reason).toBe('first');
  });

  it('sets the TTL to 30 days after the event was received', async () => {
    await stores.rejectedAlerts.record(makeRejected({ id: 'ttl', receivedAt: T0.toISOString() }));

    const out = await table.doc.send(
      new GetCommand({ TableName: table.config.tableName, Key: keys.rejectedAlert('ttl') }),
    );

    expect(out.Item?.expiresAt).toBe(Math.floor(T0.getTime() / 1000) + 30 * 86_400);
  });

  it('leaves out events older than 30 days even before TTL removes them', async () => {
    await stores.rejectedAlerts.record(makeRejected({ id: 'stale', receivedAt: at(0) }));
    await stores.rejectedAlerts.record(makeRejected({ id: 'fresh', receivedAt: at(86_400 * 2) }));

    const page = await stores.rejectedAlerts.list({ limit: 10 }, plus(T0, 86_400 * 31));

    expect(page.items.map((r) => r.id)).toEqual(['fresh']);
  });

  it('pages with signed cursors and refuses a tampered one', async () => {
    for (let i = 0; i < 5; i += 1) {
      await stores.rejectedAlerts.record(makeRejected({ id: `r${i}`, receivedAt: at(i) }));
    }
    const now = plus(T0, 60);

    const first = await stores.rejectedAlerts.list({ limit: 2 }, now);
    const second = await stores.rejectedAlerts.list({ limit: 2, cursor: first.nextCursor }, now);
    const third = await stores.rejectedAlerts.list({ limit: 2, cursor: second.nextCursor }, now);

    expect([...first.items, ...second.items, ...third.items].map((r) => r.id)).toEqual([
      'r4',
      'r3',
      'r2',
      'r1',
      'r0',
    ]);
    expect(third.nextCursor).toBeUndefined();
    const tampered = String(first.nextCursor).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(stores.rejectedAlerts.list({ limit: 2, cursor: tampered }, now)).rejects.toThrow(
      ValidationError,
    );
  });

  it('keeps a body that is not JSON as the text it was', async () => {
    const body = '<script>alert(1)</script>{"unterminated":';
    await stores.rejectedAlerts.record(makeRejected({ id: 'raw', body, truncated: true }));

    const page = await stores.rejectedAlerts.list({ limit: 10 }, plus(T0, 60));

    expect(page.items[0]).toMatchObject({ body, truncated: true });
  });
});
