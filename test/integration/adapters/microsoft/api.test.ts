// The Microsoft client against the local stand-in of sign-in and Graph: the token request, its
// caching and renewal, and Microsoft's throttling and error answers.
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  MicrosoftApi,
  MicrosoftApiError,
  TokenSource,
} from '../../../../functions/adapters/microsoft/index.js';
import {
  type MicrosoftStandIn,
  startMicrosoftStandIn,
} from '../../../../infra/local/microsoft/standin.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';
const SECRET = 'stand-in-client-secret';

let standIn: MicrosoftStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: { permissions?: string[]; secret?: string } = {}) {
  standIn = await startMicrosoftStandIn({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    permissions: options.permissions,
    routes: [
      {
        service: 'graph',
        method: 'GET',
        path: /^\/v1\.0\/security\/alerts_v2$/,
        permission: 'SecurityAlert.Read.All',
        handle: () => ({
          status: 200,
          body: { value: [{ id: 'da637551227677560813_-961444813' }] },
        }),
      },
    ],
  });
  const waits: number[] = [];
  const api = new MicrosoftApi({
    tokens: new TokenSource({
      loginUrl: standIn.url,
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: async () => options.secret ?? SECRET,
    }),
    baseUrls: { graph: standIn.url, defenderEndpoint: standIn.url },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const listAlerts = () =>
    api.call<{ value: { id: string }[] }>({
      service: 'graph',
      method: 'GET',
      url: '/v1.0/security/alerts_v2',
      permission: 'SecurityAlert.Read.All',
    });
  return { standIn, api, waits, listAlerts };
}

const calls = (s: MicrosoftStandIn, path: string) => s.requests.filter((r) => r.path === path);
const TOKEN_PATH = `/${TENANT}/oauth2/v2.0/token`;

describe('Microsoft client', () => {
  it('asks Entra ID for a client-credentials token for the Graph scope and sends it as a bearer token', async () => {
    // Prepare
    const { standIn, listAlerts } = await start();

    // Act
    const answer = await listAlerts();

    // Assess
    expect(answer.body.value[0]?.id).toBe('da637551227677560813_-961444813');
    const [login] = calls(standIn, TOKEN_PATH);
    expect(login?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(login?.body).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT,
      client_secret: SECRET,
      scope: 'https://graph.microsoft.com/.default',
    });
    const [call] = calls(standIn, '/v1.0/security/alerts_v2');
    expect(call?.headers.authorization).toMatch(/^Bearer standin\.graph\./);
  });

  it('keeps the token for later calls', async () => {
    const { standIn, listAlerts } = await start();

    await listAlerts();
    await listAlerts();
    await listAlerts();

    expect(calls(standIn, TOKEN_PATH)).toHaveLength(1);
    expect(calls(standIn, '/v1.0/security/alerts_v2')).toHaveLength(3);
  });

  it('gets a new token when Microsoft says the one it holds has expired, and the call succeeds', async () => {
    const { standIn, listAlerts } = await start();
    await listAlerts();

    standIn.expireTokens();
    const answer = await listAlerts();

    expect(answer.status).toBe(200);
    expect(calls(standIn, TOKEN_PATH)).toHaveLength(2);
    const statuses = calls(standIn, '/v1.0/security/alerts_v2').map((r) => r.headers.authorization);
    expect(statuses[1]).toBe(statuses[0]); // the expired token was tried once
    expect(statuses[2]).not.toBe(statuses[0]);
  });

  it('waits as long as a 429 Retry-After says, then succeeds', async () => {
    const { standIn, listAlerts, waits } = await start();
    standIn.fail({
      path: /alerts_v2/,
      status: 429,
      headers: { 'retry-after': '7' },
      body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
    });

    const answer = await listAlerts();

    expect(answer.status).toBe(200);
    expect(waits).toEqual([7000]);
  });

  it('does not wait out a Retry-After longer than the caller allows: a transient error says when to come back', async () => {
    const { standIn, listAlerts } = await start();
    standIn.fail({ path: /alerts_v2/, status: 429, headers: { 'retry-after': '120' } });

    const error = await listAlerts().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MicrosoftApiError);
    expect(error).toMatchObject({ kind: 'transient', status: 429, retryAfterMs: 120_000 });
    expect((error as Error).message).toContain('try again in 120 s');
  });

  it('backs off on 5xx and gives up after four attempts with a transient error', async () => {
    const { standIn, listAlerts, waits } = await start();
    standIn.fail({ path: /alerts_v2/, status: 503, times: 4 });

    const error = await listAlerts().catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'transient' });
    expect((error as Error).message).toContain(
      'Microsoft Graph unavailable after 4 attempts: HTTP 503',
    );
    expect(waits).toHaveLength(3);
    expect(waits[1]).toBeGreaterThan(waits[0] ?? 0);
  });

  it('names the missing application permission when Microsoft answers 403', async () => {
    const { listAlerts } = await start({ permissions: [] });

    const error = await listAlerts().catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'permanent', status: 403 });
    expect((error as Error).message).toContain(
      'needs the application permission SecurityAlert.Read.All',
    );
  });

  it('says what Entra ID said when the client secret is wrong, and calls no API', async () => {
    const { standIn, listAlerts } = await start({ secret: 'wrong' });

    const error = await listAlerts().catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'permanent', service: 'login', status: 401 });
    expect((error as Error).message).toContain('AADSTS7000215: Invalid client secret provided');
    expect(calls(standIn, '/v1.0/security/alerts_v2')).toHaveLength(0);
  });

  it('refuses to follow a next page on another host, so the token never leaves Microsoft', async () => {
    const { api } = await start();

    const error = await api
      .call({
        service: 'graph',
        method: 'GET',
        url: 'https://attacker.example/v1.0/security/alerts_v2',
        permission: 'SecurityAlert.Read.All',
      })
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ kind: 'permanent' });
    expect((error as Error).message).toContain('another host (attacker.example)');
  });
});
