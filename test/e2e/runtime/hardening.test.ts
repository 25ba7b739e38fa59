// The runtime as `npm start` runs it lets no one in without credentials: a private data
// directory, loopback only, no cross-site or rebound writes, PutEvents for admins, no public secret.
import { readdirSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { SignJWT } from 'jose';
import { oneFileAlert } from '../../fixtures/alerts.js';
import {
  apiClient,
  eventHeaders,
  eventually,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../../support/runtime-process.js';

jest.setTimeout(120_000);

/** A raw HTTP request, so the test can send any Host header (fetch sets its own). */
function send(
  url: string,
  options: { method?: string; path: string; headers: Record<string, string>; body?: string },
): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        hostname,
        port,
        method: options.method ?? 'POST',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function modesUnder(root: string): Map<string, number> {
  const modes = new Map<string, number>();
  const visit = (path: string) => {
    const stat = statSync(path);
    modes.set(path, stat.mode & 0o777);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  return modes;
}

describe('a runtime on disk', () => {
  let runtime: RuntimeProcess;
  beforeAll(async () => {
    runtime = await startRuntimeProcess();
  });
  afterAll(async () => {
    await runtime?.stop();
    removeDataDir(runtime.dataDir);
  });

  it('takes PutEvents only with the bearer token of a GlobalAdmin or SecurityAdmin', async () => {
    const body = JSON.stringify(putEventsBody(oneFileAlert('auth-1')));
    const reader = await tokenFor('reader@example.com', ['SecurityReader']);

    const none = await fetch(`${runtime.url}/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    const wrongRole = await fetch(`${runtime.url}/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${reader}` },
      body,
    });
    const admin = await fetch(`${runtime.url}/api/events`, {
      method: 'POST',
      headers: await eventHeaders(),
      body,
    });

    expect(none.status).toBe(401);
    expect(wrongRole.status).toBe(403);
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
  });

  it('refuses a cross-site text/plain PutEvents from a web page, token or not', async () => {
    const producer = await eventHeaders();
    const fromPage = await send(runtime.url, {
      path: '/api/events',
      headers: {
        Host: new URL(runtime.url).host,
        Origin: 'https://evil.example',
        'Sec-Fetch-Site': 'cross-site',
        'Content-Type': 'text/plain',
        Authorization: producer.Authorization ?? '',
      },
      body: JSON.stringify(putEventsBody(oneFileAlert('csrf-1'))),
    });
    const admin = apiClient(runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));
    await eventually(async () => {
      const list = await admin.get('/actions?tab=pending');
      return (
        list.json?.items?.some((a: { alertId: string }) => a.alertId === 'auth-1') || undefined
      );
    }, 'the authorized alert to be ingested');

    expect(fromPage.status).toBe(403);
    const list = await admin.get('/actions?tab=pending');
    expect(list.json.items.map((a: { alertId: string }) => a.alertId)).not.toContain('csrf-1');
  });

  it('refuses a rebound Host on PutEvents, the API and the Step Functions endpoint', async () => {
    const headers = {
      ...(await eventHeaders()),
      Host: `rebind.evil.example:${new URL(runtime.url).port}`,
    };

    const events = await send(runtime.url, {
      path: '/api/events',
      headers,
      body: JSON.stringify(putEventsBody(oneFileAlert('rebind-1'))),
    });
    const approve = await send(runtime.url, {
      path: '/api/actions/act-x/approve',
      headers,
      body: '{}',
    });
    const stepFunctions = await send(runtime.url, {
      path: '/',
      headers: {
        ...headers,
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'AWSStepFunctions.ListExecutions',
      },
      body: '{}',
    });

    expect([events.status, approve.status, stepFunctions.status]).toEqual([403, 403, 403]);
  });

  it('keeps its data directory 0700 and every file in it 0600', async () => {
    const modes = modesUnder(runtime.dataDir);

    expect([...modes.keys()].some((p) => p.endsWith('executions.jsonl'))).toBe(true);
    expect([...modes.keys()].some((p) => p.includes('dynamodb'))).toBe(true);
    expect([...modes.keys()].some((p) => p.endsWith('task-token-key'))).toBe(true);
    for (const [path, mode] of modes) {
      expect({ path, mode: mode.toString(8) }).toEqual({
        path,
        mode: statSync(path).isDirectory() ? '700' : '600',
      });
    }
  });
});

describe('a runtime in memory without LOCAL_JWT_SECRET', () => {
  it('makes a secret of its own, prints an admin token, and refuses the old public secret', async () => {
    const runtime = await startRuntimeProcess({ env: { STORAGE: 'memory', LOCAL_JWT_SECRET: '' } });
    try {
      const printed = /admin token \(12 h\):\s+(\S+)/.exec(runtime.output())?.[1];
      const publicSecret = await new SignJWT({ 'cognito:groups': ['GlobalAdmin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('action-center-local')
        .setSubject('mallory@example.com')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('action-center-local-test-secret'));

      const withPrinted = await apiClient(runtime.url, printed).get('/me');
      const withPublic = await apiClient(runtime.url, publicSecret).get('/me');

      expect(printed).toBeDefined();
      expect(withPrinted.status).toBe(200);
      expect(withPrinted.json.roles).toContain('GlobalAdmin');
      expect(withPublic.status).toBe(401);
    } finally {
      await runtime.stop();
      removeDataDir(runtime.dataDir);
    }
  });
});

describe('refused at start', () => {
  it('a LOCAL_JWT_SECRET shorter than 32 bytes', async () => {
    await expect(
      startRuntimeProcess({ env: { STORAGE: 'memory', LOCAL_JWT_SECRET: 'too-short' } }),
    ).rejects.toThrow(/exited with 1[\s\S]*LOCAL_JWT_SECRET is 9 bytes; it must be at least 32/);
  });

  it('a non-loopback HOST without ALLOW_REMOTE=true', async () => {
    await expect(
      startRuntimeProcess({ env: { STORAGE: 'memory', HOST: '0.0.0.0' } }),
    ).rejects.toThrow(/exited with 1[\s\S]*HOST=0\.0\.0\.0 is not a loopback address/);
  });

  it('but with ALLOW_REMOTE=true it starts, warning what is exposed', async () => {
    const runtime = await startRuntimeProcess({
      env: { STORAGE: 'memory', HOST: '0.0.0.0', ALLOW_REMOTE: 'true' },
    });
    try {
      expect(runtime.output()).toMatch(
        /the HTTP API, the Step Functions and EventBridge stand-ins \(POST \/api\/events\) and the page are reachable from the network/,
      );
    } finally {
      await runtime.stop();
      removeDataDir(runtime.dataDir);
    }
  });
});
