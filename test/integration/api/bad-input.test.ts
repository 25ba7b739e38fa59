// Every malformed request gets its 4xx with a JSON error, never a 500.
import type { Action } from '../../../functions/core/model.js';
import { plus, T0 } from '../../fixtures/actions.js';
import type { ApiEventOptions } from '../../support/api-events.js';
import { apiEvent } from '../../support/api-events.js';
import { ADMIN, ApiHarness, READER } from '../../support/api-harness.js';

let api: ApiHarness;
let action: Action;

beforeAll(async () => {
  api = await ApiHarness.start();
  action = await api.pending();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
});

interface BadRequest {
  name: string;
  method: 'GET' | 'POST';
  /** The path; `{id}` is replaced with a real pending action's id. */
  path: string;
  options?: ApiEventOptions;
  status: number;
  code: string;
  /** A field the error's details must name. */
  field?: string;
}

const json = (body: unknown): ApiEventOptions => ({ body });
const raw = (body: string, contentType = 'application/json'): ApiEventOptions => ({
  body,
  headers: { 'Content-Type': contentType },
});
const validId = `act-${'1'.repeat(20)}-${'2'.repeat(12)}`;

const CASES: BadRequest[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: raw('{"comment": '),
    status: 400,
    code: 'ValidationFailed',
    field: 'body',
  },
  {
    name: 'a JSON array body',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: raw('[]'),
    status: 400,
    code: 'ValidationFailed',
    field: 'body',
  },
  {
    name: 'a JSON null body',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: raw('null'),
    status: 400,
    code: 'ValidationFailed',
    field: 'body',
  },
  {
    name: 'a comment of the wrong type',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: json({ comment: 42 }),
    status: 400,
    code: 'ValidationFailed',
    field: 'comment',
  },
  {
    name: 'a comment over 2000 characters',
    method: 'POST',
    path: '/actions/{id}/reject',
    options: json({ comment: 'x'.repeat(2001) }),
    status: 400,
    code: 'ValidationFailed',
    field: 'comment',
  },
  {
    name: 'an unknown body field',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: json({ comments: 'typo' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'comments',
  },
  {
    name: 'a __proto__ body field',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: raw('{"__proto__": {"admin": true}}'),
    status: 400,
    code: 'ValidationFailed',
    field: '__proto__',
  },
  {
    name: 'a body over 64 KiB',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: json({ comment: 'x'.repeat(70_000) }),
    status: 413,
    code: 'PayloadTooLarge',
  },
  {
    name: 'a base64 body over 64 KiB',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: {
      ...raw(Buffer.from(JSON.stringify({ comment: 'y'.repeat(66_000) })).toString('base64')),
      isBase64Encoded: true,
    },
    status: 413,
    code: 'PayloadTooLarge',
  },
  {
    name: 'a text/plain body',
    method: 'POST',
    path: '/actions/{id}/approve',
    options: raw('{"comment":"x"}', 'text/plain'),
    status: 415,
    code: 'UnsupportedMediaType',
  },
  {
    name: 'a form body',
    method: 'POST',
    path: '/actions/decisions',
    options: raw('decision=approve', 'application/x-www-form-urlencoded'),
    status: 415,
    code: 'UnsupportedMediaType',
  },
  {
    name: 'unicode in the action id',
    method: 'POST',
    path: '/actions/act-ü€😀/approve',
    status: 400,
    code: 'ValidationFailed',
    field: 'id',
  },
  {
    name: 'an encoded path traversal in the id',
    method: 'POST',
    path: '/actions/..%2F..%2Fetc%2Fpasswd/approve',
    status: 400,
    code: 'ValidationFailed',
    field: 'id',
  },
  {
    name: 'a decoded path traversal in the path parameter',
    method: 'POST',
    path: '/actions/x/approve',
    options: { pathParameters: { id: '../../etc/passwd' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'id',
  },
  {
    name: 'a NUL byte in the id',
    method: 'GET',
    path: `/actions/${validId}%00`,
    options: { pathParameters: { id: `${validId}\u0000` } },
    status: 400,
    code: 'ValidationFailed',
    field: 'id',
  },
  {
    name: 'a huge id',
    method: 'GET',
    path: `/actions/act-${'a'.repeat(5000)}`,
    status: 400,
    code: 'ValidationFailed',
    field: 'id',
  },
  {
    name: 'extra path segments',
    method: 'POST',
    path: '/actions/a/b/approve',
    status: 404,
    code: 'NotFound',
  },
  {
    name: 'an unknown method on a known path',
    method: 'POST',
    path: '/me',
    status: 404,
    code: 'NotFound',
  },
  {
    name: 'a malformed investigation id',
    method: 'GET',
    path: '/investigations/..%2Fadmin',
    status: 400,
    code: 'ValidationFailed',
    field: 'id',
  },
  {
    name: '101 ids in a bulk call',
    method: 'POST',
    path: '/actions/decisions',
    options: json({ actionIds: Array.from({ length: 101 }, () => validId), decision: 'approve' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'actionIds',
  },
  {
    name: 'no ids in a bulk call',
    method: 'POST',
    path: '/actions/decisions',
    options: json({ actionIds: [], decision: 'approve' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'actionIds',
  },
  {
    name: 'ids of the wrong type',
    method: 'POST',
    path: '/actions/decisions',
    options: json({ actionIds: [1, 2], decision: 'approve' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'actionIds.0',
  },
  {
    name: 'ids as one string',
    method: 'POST',
    path: '/actions/decisions',
    options: json({ actionIds: validId, decision: 'approve' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'actionIds',
  },
  {
    name: 'a malformed id among the bulk ids',
    method: 'POST',
    path: '/actions/decisions',
    options: json({ actionIds: [validId, '../x'], decision: 'reject' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'actionIds.1',
  },
  {
    name: 'an unknown bulk decision',
    method: 'POST',
    path: '/actions/decisions',
    options: json({ actionIds: [validId], decision: 'maybe' }),
    status: 400,
    code: 'ValidationFailed',
    field: 'decision',
  },
  {
    name: 'an unknown window',
    method: 'GET',
    path: '/actions',
    options: { query: { tab: 'history', window: '2d' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'window',
  },
  {
    name: 'an unknown tab',
    method: 'GET',
    path: '/actions',
    options: { query: { tab: 'all' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'tab',
  },
  {
    name: 'limit 0',
    method: 'GET',
    path: '/actions',
    options: { query: { limit: '0' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'limit',
  },
  {
    name: 'limit 201',
    method: 'GET',
    path: '/actions',
    options: { query: { limit: '201' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'limit',
  },
  {
    name: 'a negative limit',
    method: 'GET',
    path: '/investigations',
    options: { query: { limit: '-1' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'limit',
  },
  {
    name: 'a limit that is not a number',
    method: 'GET',
    path: '/audit',
    options: { query: { limit: 'ten' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'limit',
  },
  {
    name: 'an unknown status',
    method: 'GET',
    path: '/actions',
    options: { query: { status: 'Bogus' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'status',
  },
  {
    name: 'an unknown query parameter',
    method: 'GET',
    path: '/actions',
    options: { query: { sort: 'asc' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'sort',
  },
  {
    name: 'a query parameter on a route that takes none',
    method: 'GET',
    path: '/audit/verify',
    options: { query: { force: '1' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'force',
  },
  {
    name: 'a search text over 256 characters',
    method: 'GET',
    path: '/actions',
    options: { query: { q: 'q'.repeat(300) } },
    status: 400,
    code: 'ValidationFailed',
    field: 'q',
  },
  {
    name: 'a garbage cursor',
    method: 'GET',
    path: '/actions',
    options: { query: { cursor: 'not-a-cursor' } },
    status: 400,
    code: 'ValidationFailed',
    field: 'cursor',
  },
  {
    name: 'a huge cursor',
    method: 'GET',
    path: '/audit',
    options: { query: { cursor: 'c'.repeat(5000) } },
    status: 400,
    code: 'ValidationFailed',
    field: 'cursor',
  },
  {
    name: 'a malformed investigation filter',
    method: 'GET',
    path: '/actions/export.csv',
    options: { query: { investigationId: "inv-' OR 1=1" } },
    status: 400,
    code: 'ValidationFailed',
    field: 'investigationId',
  },
];

describe('bad input', () => {
  it.each(CASES)('answers $status to $name', async (c) => {
    const path = c.path.replace('{id}', action.id);

    const res = await api.send(apiEvent(c.method, path, { claims: ADMIN, ...c.options }));

    expect(res.status).toBe(c.status);
    expect(res.body.error.code).toBe(c.code);
    expect(typeof res.body.error.message).toBe('string');
    if (c.field) expect(Object.keys(res.body.error.details.fields)).toContain(c.field);
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('leaves the action pending after all of them', async () => {
    expect((await api.stores.actions.get(action.id))?.status).toBe('Pending');
  });

  it('accepts unicode in a comment, and an empty body', async () => {
    const other = await api.pending();
    const emoji = await api.post(`/actions/${action.id}/reject`, {
      claims: ADMIN,
      body: { comment: 'Faux positif — vérifié 👍 日本語' },
    });
    const empty = await api.post(`/actions/${other.id}/approve`, { claims: ADMIN });

    expect(emoji.status).toBe(200);
    expect(emoji.body.decision.comment).toBe('Faux positif — vérifié 👍 日本語');
    expect(empty.status).toBe(200);
  });

  it('never answers a 500 to random query strings', async () => {
    const { default: fc } = await import('fast-check');
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom(
            'tab',
            'window',
            'limit',
            'cursor',
            'status',
            'category',
            'q',
            'type',
            'x',
          ),
          fc.string({ maxLength: 40 }),
        ),
        async (query) => {
          const res = await api.get('/actions', { claims: READER, query });
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 60 },
    );
  });
});
