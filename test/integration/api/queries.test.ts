import { createHash } from 'node:crypto';
import { jest } from '@jest/globals';
import { investigationIdFor } from '../../../functions/core/ids.js';
import { plus, T0, WEEK_SECONDS } from '../../fixtures/actions.js';
import { apiEvent } from '../../support/api-events.js';
import { ADMIN, ApiHarness, as, PURGER, READER } from '../../support/api-harness.js';

// Several tests seed hundreds of actions over dynalite: slow on a busy 2-core machine, not wrong.
jest.setTimeout(30_000);

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

/** Lines of a CSV document (no cell in these tests holds a line break). */
const csvLines = (text: string) => text.split('\r\n').filter((l) => l !== '');

describe('GET /me', () => {
  it('names the caller, their roles and what they may decide', async () => {
    const purger = await api.get('/me', { claims: PURGER });
    const reader = await api.get('/me', { claims: READER });

    expect(purger.status).toBe(200);
    expect(purger.body).toEqual({
      user: 'purger@example.com',
      roles: ['SecurityAdmin', 'SearchAndPurge'],
      can: { decideEndpoint: true, decideEmail: true },
    });
    expect(reader.body.can).toEqual({ decideEndpoint: false, decideEmail: false });
  });

  it('reads cognito:groups given as an array too', async () => {
    const claims = {
      sub: 's1',
      email: 'eve@example.com',
      'cognito:groups': ['ActiveRemediationActions'],
    };

    const res = await api.get('/me', { claims: claims as unknown as Record<string, string> });

    expect(res.body.can).toEqual({ decideEndpoint: true, decideEmail: false });
  });

  it('answers 401 without claims', async () => {
    const res = await api.get('/me', { claims: null });

    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: { code: 'Unauthorized', message: expect.any(String) },
    });
  });
});

describe('GET /actions', () => {
  it('lists pending actions oldest first within a severity, with their total, and never an expired one', async () => {
    const investigationId = investigationIdFor(`alert-list-${Math.random()}`);
    const older = await api.pending({
      investigationId,
      createdAt: plus(api.now, -300).toISOString(),
    });
    const newer = await api.pending({
      investigationId,
      createdAt: plus(api.now, -100).toISOString(),
    });
    await api.pending({
      investigationId,
      createdAt: plus(api.now, -WEEK_SECONDS - 5).toISOString(),
    });

    const res = await api.get('/actions', {
      claims: READER,
      query: { tab: 'pending', investigationId },
    });

    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([older.id, newer.id]);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body).toMatchObject({ total: 2, totalIsLowerBound: false });
  });

  it('pages with an opaque cursor and refuses a tampered one', async () => {
    const investigationId = investigationIdFor(`alert-page-${Math.random()}`);
    for (let i = 0; i < 5; i += 1) {
      await api.pending({ investigationId, createdAt: plus(api.now, -10 * (i + 1)).toISOString() });
    }
    const query = { investigationId, limit: '2' };

    const first = await api.get('/actions', { claims: READER, query });
    const second = await api.get('/actions', {
      claims: READER,
      query: { ...query, cursor: first.body.nextCursor },
    });
    const [payload, tag] = String(first.body.nextCursor).split('.');
    const position = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    position.after[0] = '0'; // start elsewhere in the list than the server said
    const forged = Buffer.from(JSON.stringify(position)).toString('base64url');
    const tampered = await api.get('/actions', {
      claims: READER,
      query: { ...query, cursor: `${forged}.${tag}` },
    });
    const foreign = await api.get('/actions', {
      claims: READER,
      query: { ...query, category: 'email', cursor: first.body.nextCursor },
    });

    expect(first.body.items).toHaveLength(2);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    expect(tampered.status).toBe(400);
    expect(tampered.body.error.details.fields).toHaveProperty('cursor');
    expect(foreign.status).toBe(400);
  });

  it('answers 400, not 500, to a cursor forged with a recomputed checksum', async () => {
    const investigationId = investigationIdFor(`alert-forge-${Math.random()}`);
    for (let i = 0; i < 3; i += 1) {
      await api.pending({ investigationId, createdAt: plus(api.now, -10 * (i + 1)).toISOString() });
    }
    const query = { investigationId, limit: '1' };
    const first = await api.get('/actions', { claims: READER, query });
    const [payload] = String(first.body.nextCursor).split('.');
    const position = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    // A start key DynamoDB refuses (not the index's key shape), signed as anyone could sign it before.
    position.key = { pk: 'INV#x', sk: 'ACTION#y', queuePk: 'CALLBACK' };
    const forgedPayload = Buffer.from(JSON.stringify(position)).toString('base64url');
    const publicTag = createHash('sha256')
      .update(`action-center-cursor|${forgedPayload}`)
      .digest('base64url')
      .slice(0, 22);

    const forged = await api.get('/actions', {
      claims: READER,
      query: { ...query, cursor: `${forgedPayload}.${publicTag}` },
    });

    expect(forged.status).toBe(400);
    expect(forged.body.error.details.fields).toHaveProperty('cursor');
  });

  it('filters by category, severity and text in the target name', async () => {
    const investigationId = investigationIdFor(`alert-filter-${Math.random()}`);
    const email = await api.pendingEmail({ investigationId, severity: 'critical' });
    await api.pending({ investigationId, severity: 'low' });

    const byCategory = await api.get('/actions', {
      claims: READER,
      query: { investigationId, category: 'email' },
    });
    const byText = await api.get('/actions', {
      claims: READER,
      query: { investigationId, q: 'INVOICE OVER' },
    });
    const bySeverity = await api.get('/actions', {
      claims: READER,
      query: { investigationId, severity: 'low' },
    });

    expect(byCategory.body.items.map((a: { id: string }) => a.id)).toEqual([email.id]);
    expect(byText.body.items.map((a: { id: string }) => a.id)).toEqual([email.id]);
    expect(bySeverity.body.items).toHaveLength(1);
    expect(bySeverity.body.items[0].severity).toBe('low');
  });

  it('lists decided actions in the history window', async () => {
    const investigationId = investigationIdFor(`alert-history-${Math.random()}`);
    const approved = await api.pending({ investigationId });
    const rejected = await api.pending({ investigationId });
    await api.pending({ investigationId });
    await api.post(`/actions/${approved.id}/approve`, { claims: ADMIN });
    api.now = plus(api.now, 60);
    await api.post(`/actions/${rejected.id}/reject`, { claims: ADMIN });

    const week = await api.get('/actions', {
      claims: READER,
      query: { tab: 'history', investigationId },
    });
    const rejectedOnly = await api.get('/actions', {
      claims: READER,
      query: { tab: 'history', window: '1d', investigationId, status: 'Rejected' },
    });
    api.now = plus(api.now, 2 * 86_400);
    const dayLater = await api.get('/actions', {
      claims: READER,
      query: { tab: 'history', window: '1d', investigationId },
    });

    expect(week.body.items.map((a: { id: string }) => a.id)).toEqual([rejected.id, approved.id]);
    expect(rejectedOnly.body.items.map((a: { id: string }) => a.id)).toEqual([rejected.id]);
    expect(dayLater.body.items).toEqual([]);
  });

  it('answers 403 to a signed-in caller without an Action Center role', async () => {
    const res = await api.get('/actions', { claims: as('nobody@example.com') });

    expect(res.status).toBe(403);
  });
});

describe('GET /actions/{id}', () => {
  it('answers the action, a lapsed pending one as Expired', async () => {
    const action = await api.pending();
    const lapsed = await api.pending({ createdAt: plus(api.now, -WEEK_SECONDS - 1).toISOString() });

    const res = await api.get(`/actions/${action.id}`, { claims: READER });
    const expired = await api.get(`/actions/${lapsed.id}`, { claims: READER });

    expect(res.status).toBe(200);
    expect(res.body).toEqual(action);
    expect(expired.body.status).toBe('Expired');
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await api.get(`/actions/act-${'9'.repeat(20)}-${'8'.repeat(12)}`, {
      claims: READER,
    });
    const malformed = await api.get('/actions/not-an-id', { claims: READER });

    expect(missing.status).toBe(404);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details).toEqual({ fields: { id: 'malformed action id' } });
  });

  it('accepts the resource-style path API Gateway may pass with its path parameters', async () => {
    const action = await api.pending();

    const res = await api.send(
      apiEvent('GET', '/actions/{id}', { claims: READER, pathParameters: { id: action.id } }),
    );

    expect(res.status).toBe(200);
    expect(res.body.id).toBe(action.id);
  });
});

describe('GET /actions/export.csv', () => {
  it('exports every page of the list as CSV, not shadowed by /actions/{id}', async () => {
    const investigationId = investigationIdFor(`alert-export-${Math.random()}`);
    const created = await Promise.all(
      Array.from({ length: 205 }, (_, i) =>
        api.pending({ investigationId, createdAt: plus(api.now, -i - 1).toISOString() }),
      ),
    );

    const res = await api.get('/actions/export.csv', {
      claims: READER,
      query: { investigationId },
    });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csvLines(res.text.replace(/^\uFEFF/, ''));
    expect(lines[0]).toMatch(/^"id","investigationId","alertId","type","category",/);
    expect(lines).toHaveLength(1 + created.length);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]?.slice(1, -1)))).toEqual(
      new Set(created.map((a) => a.id)),
    );
  });

  it('neutralises formulas in target names and quotes per RFC 4180', async () => {
    const investigationId = investigationIdFor(`alert-formula-${Math.random()}`);
    const names = ['=HYPERLINK("http://evil")', '+cmd', '-2+3', '@SUM(A1)', 'plain, "quoted"'];
    for (const [i, displayName] of names.entries()) {
      await api.pending({
        investigationId,
        createdAt: plus(api.now, -i - 1).toISOString(),
        target: { kind: 'file', id: `f-${i}`, displayName },
      });
    }

    const res = await api.get('/actions/export.csv', {
      claims: READER,
      query: { investigationId },
    });

    expect(res.text).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(res.text).toContain(`,"'+cmd",`);
    expect(res.text).toContain(`,"'-2+3",`);
    expect(res.text).toContain(`,"'@SUM(A1)",`);
    expect(res.text).toContain(',"plain, ""quoted""",');
  });

  it('answers 403 and 401 like the list', async () => {
    expect((await api.get('/actions/export.csv', { claims: as('x@example.com') })).status).toBe(
      403,
    );
    expect((await api.get('/actions/export.csv', { claims: null })).status).toBe(401);
  });
});

describe('GET /investigations', () => {
  it('lists investigations newest first, by status', async () => {
    const a = await api.investigation(`alert-inv-a-${Math.random()}`, {
      status: 'PendingApproval',
      createdAt: plus(api.now, -500).toISOString(),
    });
    const b = await api.investigation(`alert-inv-b-${Math.random()}`, {
      status: 'PendingApproval',
      createdAt: plus(api.now, -400).toISOString(),
    });
    await api.investigation(`alert-inv-c-${Math.random()}`, { status: 'Remediated' });

    const res = await api.get('/investigations', {
      claims: READER,
      query: { status: 'PendingApproval', window: '1d' },
    });

    const ids = res.body.items.map((i: { id: string }) => i.id);
    expect(res.status).toBe(200);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(res.body.items.every((i: { status: string }) => i.status === 'PendingApproval')).toBe(
      true,
    );
  });

  it('counts the time pending up to now while actions still wait, as the investigation page does', async () => {
    // Prepare: the workflow last refreshed the summary 10 minutes ago, with 60 s pending then.
    const refreshedAt = plus(api.now, -600).toISOString();
    const waiting = await api.investigation(`alert-waiting-${Math.random()}`, {
      status: 'PendingApproval',
      updatedAt: refreshedAt,
      pendingSeconds: 60,
      pendingUntil: plus(api.now, 86_400).toISOString(),
    });
    const lapsed = await api.investigation(`alert-lapsed-${Math.random()}`, {
      status: 'PendingApproval',
      updatedAt: refreshedAt,
      pendingSeconds: 60,
      pendingUntil: plus(api.now, -300).toISOString(),
    });

    // Act
    const res = await api.get('/investigations', { claims: READER, query: { window: '1d' } });

    // Assess: 60 + 600 s for the one still waiting; 60 + 300 s for the one whose wait lapsed.
    const byId = new Map(
      res.body.items.map((i: { id: string; pendingSeconds: number }) => [i.id, i.pendingSeconds]),
    );
    expect(byId.get(waiting.id)).toBe(660);
    expect(byId.get(lapsed.id)).toBe(360);
  });

  it('answers one investigation with its actions, evidence and timeline', async () => {
    const alertId = `alert-detail-${Math.random()}`;
    const investigation = await api.investigation(alertId);
    const approved = await api.pending({ alertId });
    const waiting = await api.pending({ alertId, targetId: 'other-file' });
    await api.post(`/actions/${approved.id}/approve`, { claims: ADMIN });

    const res = await api.get(`/investigations/${investigation.id}`, { claims: READER });

    expect(res.status).toBe(200);
    expect(res.body.investigation).toMatchObject({
      id: investigation.id,
      counts: { actions: 2, pending: 1 },
    });
    expect(res.body.investigation.pendingSeconds).toBeGreaterThan(0);
    expect(res.body.actions.map((a: { id: string }) => a.id).sort()).toEqual(
      [approved.id, waiting.id].sort(),
    );
    expect(res.body.evidence).toEqual([
      { kind: 'file', id: 'f-1', verdict: 'malicious', displayName: 'invoice.exe' },
    ]);
    expect(res.body.timeline.map((e: { event: string }) => e.event)).toEqual([
      'InvestigationStarted',
      'ActionProposed',
      'ActionProposed',
      'ActionApproved',
    ]);
  });

  it('answers 404 for an unknown investigation and 400 for a malformed id', async () => {
    const missing = await api.get(`/investigations/inv-${'f'.repeat(20)}`, { claims: READER });
    const malformed = await api.get('/investigations/inv-XYZ', { claims: READER });

    expect(missing.status).toBe(404);
    expect(malformed.status).toBe(400);
  });
});

describe('GET /audit', () => {
  it('lists entries newest first and verifies the chain', async () => {
    const first = await api.pending();
    const second = await api.pending();
    await api.post(`/actions/${first.id}/approve`, { claims: ADMIN });
    await api.post(`/actions/${second.id}/reject`, { claims: ADMIN });

    const list = await api.get('/audit', { claims: READER, query: { limit: '2' } });
    const verify = await api.get('/audit/verify', { claims: READER });

    expect(list.status).toBe(200);
    expect(list.body.items.map((e: { actionId: string }) => e.actionId)).toEqual([
      second.id,
      first.id,
    ]);
    expect(list.body.items[0].seq).toBeGreaterThan(list.body.items[1].seq);
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.checked).toBeGreaterThanOrEqual(2);
  });

  it('answers 403 without a role, and 400 for an unknown window', async () => {
    expect((await api.get('/audit', { claims: as('x@example.com') })).status).toBe(403);
    expect((await api.get('/audit', { claims: READER, query: { window: '2d' } })).status).toBe(400);
  });
});

describe('routing', () => {
  it('answers 404 as JSON for a path no route serves', async () => {
    const res = await api.get('/nothing/here', { claims: READER });

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NotFound');
  });

  it('routes POST /actions/decisions to the bulk decision, not to /actions/{id}', async () => {
    const res = await api.post('/actions/decisions', { claims: ADMIN, body: {} });

    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['actionIds', 'decision']);
  });
});
