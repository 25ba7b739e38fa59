import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../../functions/adapters/dynamodb/keys.js';
import { plus, T0 } from '../../fixtures/actions.js';
import { makeRejected } from '../../fixtures/rejected-alerts.js';
import { ApiHarness, as, READER } from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
  const record = (id: string, seconds: number, body?: string) =>
    api.stores.rejectedAlerts.record(
      makeRejected({ id, receivedAt: plus(T0, seconds).toISOString(), ...(body && { body }) }),
    );
  await record('r-oldest', 10);
  await record('r-middle', 20, '<img src=x onerror=alert(1)>{"not":"json"');
  await record('r-newest', 30);
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
});

describe('GET /alerts/rejected', () => {
  it('lists rejected events newest first to a reader', async () => {
    const res = await api.get('/alerts/rejected', { claims: READER });

    expect(res.status).toBe(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([
      'r-newest',
      'r-middle',
      'r-oldest',
    ]);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[0]).toEqual(
      makeRejected({ id: 'r-newest', receivedAt: plus(T0, 30).toISOString() }),
    );
  });

  it('returns the body as the text it was kept as, never interpreted', async () => {
    const res = await api.get('/alerts/rejected', { claims: READER });

    expect(res.body.items[1].body).toBe('<img src=x onerror=alert(1)>{"not":"json"');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('pages with the cursor it answers', async () => {
    const first = await api.get('/alerts/rejected', { claims: READER, query: { limit: '2' } });
    const second = await api.get('/alerts/rejected', {
      claims: READER,
      query: { limit: '2', cursor: first.body.nextCursor },
    });

    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(second.body.items.map((r: { id: string }) => r.id)).toEqual(['r-oldest']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('refuses a limit over 100, a tampered cursor and an unknown parameter', async () => {
    const over = await api.get('/alerts/rejected', { claims: READER, query: { limit: '101' } });
    const cursor = await api.get('/alerts/rejected', {
      claims: READER,
      query: { cursor: 'eyJ4IjoxfQ.AAAA' },
    });
    const unknown = await api.get('/alerts/rejected', { claims: READER, query: { window: '7d' } });

    expect(over.status).toBe(400);
    expect(over.body.error.details.fields).toEqual({ limit: 'an integer from 1 to 100' });
    expect(cursor.status).toBe(400);
    expect(unknown.status).toBe(400);
  });

  it('lists only what storage still keeps for 30 days: each item carries its TTL', async () => {
    const out = await api.table.doc.send(
      new GetCommand({
        TableName: api.table.config.tableName,
        Key: keys.rejectedAlert('r-newest'),
      }),
    );

    expect(out.Item?.expiresAt).toBe(Math.floor(plus(T0, 30).getTime() / 1000) + 30 * 86_400);
  });

  it('answers 403 without an Action Center role and 401 without a token', async () => {
    expect((await api.get('/alerts/rejected', { claims: as('x@example.com') })).status).toBe(403);
    expect((await api.get('/alerts/rejected', { claims: null })).status).toBe(401);
  });
});
