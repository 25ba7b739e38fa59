// Property-based fuzzing (fast-check) of every API route and of the EventBridge stand-in, over
// HTTP against the runtime in a child process: random methods, paths, query strings, headers and
// bodies never produce a 500, never crash the process, and never show a task token.
import { jest } from '@jest/globals';
import fc from 'fast-check';
import { signToken } from '../../infra/local/auth.js';
import { oneFileAlert } from '../fixtures/alerts.js';
import {
  apiClient,
  eventHeaders,
  eventually,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  TEST_JWT_SECRET,
  tokenFor,
} from '../support/runtime-process.js';

jest.setTimeout(150_000);

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
/** Every local task token starts with its execution ARN in base64url: `arn:aws:states:`. */
const TOKEN_MARK = Buffer.from('arn:aws:states:').toString('base64url');
const ROLES = [
  'GlobalAdmin',
  'SecurityAdmin',
  'SecurityOperator',
  'SecurityReader',
  'ActiveRemediationActions',
  'SearchAndPurge',
];
const ROUTES = [
  ['GET', '/me'],
  ['GET', '/actions'],
  ['GET', '/actions/export.csv'],
  ['GET', '/actions/{id}'],
  ['POST', '/actions/{id}/approve'],
  ['POST', '/actions/{id}/reject'],
  ['POST', '/actions/{id}/undo'],
  ['POST', '/actions/decisions'],
  ['GET', '/investigations'],
  ['GET', '/investigations/{id}'],
  ['GET', '/audit'],
  ['GET', '/audit/verify'],
] as const;
const QUERY_KEYS = [
  'tab',
  'window',
  'limit',
  'cursor',
  'category',
  'type',
  'status',
  'severity',
  'source',
  'investigationId',
  'q',
  'decision',
];

interface Seen {
  status: number;
  text: string;
}

function assertSafe(what: string, seen: Seen): void {
  if (seen.status >= 500 || seen.text.includes(TOKEN_MARK) || /taskToken/i.test(seen.text)) {
    throw new Error(`${what} answered ${seen.status}: ${seen.text.slice(0, 300)}`);
  }
}

describe('fuzzing the HTTP surface', () => {
  let runtime: RuntimeProcess;
  let actionId: string;
  let investigationId: string;
  let admin: string;

  beforeAll(async () => {
    runtime = await startRuntimeProcess();
    admin = await tokenFor('ana@example.com', ['GlobalAdmin']);
    const alert = oneFileAlert('fuzz-1');
    await fetch(`${runtime.url}/api/events`, {
      method: 'POST',
      headers: await eventHeaders(),
      body: JSON.stringify(putEventsBody(alert)),
    });
    const pending = await eventually(async () => {
      const list = await apiClient(runtime.url, admin).get('/actions?tab=pending');
      return list.json?.items?.find((a: { alertId: string }) => a.alertId === 'fuzz-1');
    }, 'the fuzz action to be pending');
    actionId = pending.id;
    investigationId = pending.investigationId;
  });
  afterAll(async () => {
    await runtime?.kill();
    removeDataDir(runtime.dataDir);
  });

  const segment = () =>
    fc.oneof(
      fc.constant('{real}'),
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        '..',
        '%2e%2e',
        '%00',
        '%ZZ',
        'act-0',
        'inv-0',
        'x'.repeat(3000),
        '🙂',
        '%F0%9F',
      ),
    );
  const authorization = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 60 }),
    fc.constantFrom('Bearer ', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', 'bearer x'),
    fc
      .record({
        user: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 30 })),
        roles: fc.subarray(ROLES),
        secret: fc.constantFrom(TEST_JWT_SECRET, 'wrong-secret'),
      })
      .map(async (c) => `Bearer ${await signToken(c.secret, c.user, c.roles)}`),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    fc
      .record(
        {
          comment: fc.oneof(fc.string({ maxLength: 100 }), fc.integer(), fc.constant(null)),
          actionIds: fc.array(fc.oneof(fc.constant('{real}'), fc.string({ maxLength: 20 })), {
            maxLength: 120,
          }),
          decision: fc.constantFrom('approve', 'reject', 'APPROVE', '', 42),
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    fc.constant('x'.repeat(70 * 1024)),
  );
  const real = (text: string) =>
    text.replaceAll('{real}', actionId).replaceAll('{inv}', investigationId);

  it('never answers 500 nor shows a task token, whatever the route, query, headers and body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          route: fc.constantFrom(...ROUTES),
          method: fc.oneof(
            fc.constant('ROUTE'),
            fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
          ),
          id: segment(),
          extraPath: fc.option(segment(), { nil: undefined }),
          query: fc.array(
            fc.tuple(
              fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 10 })),
              fc.oneof(
                fc.string({ maxLength: 30 }),
                fc.constantFrom('pending', 'history', '1d', '180d', '0', '-1', '201', '1e9'),
              ),
            ),
            { maxLength: 5 },
          ),
          authorization,
          contentType: fc.constantFrom(
            'application/json',
            'text/plain',
            'application/json; charset=utf-16',
            undefined,
          ),
          body,
        }),
        async (c) => {
          const [routeMethod, template] = c.route as readonly [string, string];
          const method = c.method === 'ROUTE' ? routeMethod : c.method;
          const id = c.id === '{real}' ? actionId : encodeURIComponent(c.id);
          let path = template.replace(
            '{id}',
            template.startsWith('/investigations') && c.id === '{real}' ? investigationId : id,
          );
          if (c.extraPath !== undefined) path += `/${encodeURIComponent(c.extraPath)}`;
          const query = new URLSearchParams(c.query).toString();
          const headers: Record<string, string> = {};
          const auth = await c.authorization;
          if (auth !== undefined) headers.Authorization = auth;
          if (c.contentType) headers['Content-Type'] = c.contentType;
          const sendBody = method !== 'GET' && method !== 'HEAD' && c.body !== undefined;
          const response = await fetch(`${runtime.url}/api${path}${query ? `?${query}` : ''}`, {
            method,
            headers,
            body: sendBody ? real(c.body as string) : undefined,
          });
          assertSafe(`${method} ${path}?${query}`, {
            status: response.status,
            text: await response.text(),
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('never answers 500 to PutEvents bodies, and reports every entry', async () => {
    const goodAlert = oneFileAlert('fuzz-event');
    const detail = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.json({ maxDepth: 3 }),
      fc.constant(JSON.stringify(goodAlert)),
      fc
        .record(
          {
            alertId: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
            title: fc.string({ maxLength: 50 }),
            severity: fc.constantFrom('high', 'low', 'nope', ''),
            detectionSource: fc.string({ maxLength: 10 }),
            detectedAt: fc.oneof(
              fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())),
              fc.string(),
            ),
            entities: fc.array(
              fc.record(
                {
                  kind: fc.constantFrom('file', 'process', 'url', 'emailCluster', 'bogus'),
                  id: fc.string({ maxLength: 20 }),
                  verdict: fc.constantFrom('malicious', 'suspicious', 'clean', 'unknown', 'evil'),
                  displayName: fc.string({ maxLength: 20 }),
                },
                { requiredKeys: [] },
              ),
              { maxLength: 4 },
            ),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
    );
    const entry = fc.record(
      {
        Source: fc.oneof(fc.constant('actioncenter.alerts'), fc.string({ maxLength: 20 })),
        DetailType: fc.oneof(fc.constant('Security Alert'), fc.string({ maxLength: 20 })),
        Detail: fc.oneof(detail, fc.integer(), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    const putBody = fc.oneof(
      fc.record({ Entries: fc.array(entry, { maxLength: 12 }) }).map((b) => JSON.stringify(b)),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 100 }),
    );
    await fc.assert(
      fc.asyncProperty(putBody, async (text) => {
        const response = await fetch(`${runtime.url}/api/events`, {
          method: 'POST',
          headers: await eventHeaders(),
          body: text,
        });
        const answer = await response.text();
        assertSafe('PutEvents', { status: response.status, text: answer });
        if (response.status === 200) {
          const parsed = JSON.parse(answer) as { Entries: unknown[]; FailedEntryCount: number };
          const sent = (JSON.parse(text) as { Entries: unknown[] }).Entries;
          if (parsed.Entries.length !== sent.length) {
            throw new Error(
              `PutEvents answered ${parsed.Entries.length} of ${sent.length} entries`,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('is still up afterwards, with the fuzzed action intact', async () => {
    const api = apiClient(runtime.url, admin);
    const me = await api.get('/me');
    const action = await api.get(`/actions/${actionId}`);
    const verify = await api.get('/audit/verify');

    expect(me.status).toBe(200);
    expect(action.status).toBe(200);
    expect(['Pending', 'Approved', 'Rejected', 'Running', 'Completed', 'Undone']).toContain(
      action.json.status,
    );
    expect(verify.json.ok).toBe(true);
    expect(runtime.output()).not.toMatch(/Local runtime request failed|uncaught|unhandled/i);
  });
});
