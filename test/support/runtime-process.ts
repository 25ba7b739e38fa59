// Starts the embedded runtime as `npm start` does, in a child process (random port, temp data
// dir), so end-to-end tests can talk HTTP to it, kill -9 it and start it again.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken } from '../../infra/local/auth.js';
import { CREDENTIALS_FILE, type LocalAwsCredentials } from '../../infra/local/aws-credentials.js';

/** At least 32 bytes: the runtime refuses a shorter secret. */
export const TEST_JWT_SECRET = 'e2e-secret-for-tests-only-0123456789abcdef';

export interface RuntimeProcess {
  url: string;
  dataDir: string;
  /** The child's process id. */
  pid: number;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL: no shutdown hook runs. */
  kill(): Promise<void>;
  /** SIGTERM: the graceful shutdown. */
  stop(): Promise<number | null>;
  /** Settles when the process has exited, with its signal if one ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string>;
  /** Milliseconds to wait for the "running at" line. */
  timeoutMs?: number;
  /**
   * The process kills itself (SIGKILL) just before sending a request whose body holds every one
   * of these strings (./kill-on-request.ts).
   */
  killOnRequest?: string[];
}

export function newDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'action-center-e2e-'));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export async function startRuntimeProcess(options: StartOptions = {}): Promise<RuntimeProcess> {
  const dataDir = options.dataDir ?? newDataDir();
  const preload = options.killOnRequest ? ['--import', './test/support/kill-on-request.ts'] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', ...preload, 'infra/local/main.ts'],
    {
      cwd: process.cwd(),
      env: {
        ...process.env,
        ...(options.killOnRequest && { KILL_ON_REQUEST: JSON.stringify(options.killOnRequest) }),
        PORT: '0',
        DATA_DIR: dataDir,
        LOCAL_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'WARN',
        TTL_SWEEP_SECONDS: '1',
        RECONCILE_SECONDS: '2',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const exited = ended.then(({ code }) => code);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The runtime did not start in time. Output:\n${output}`)),
      options.timeoutMs ?? 60_000,
    );
    const check = () => {
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The runtime exited with ${code}. Output:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    pid: child.pid as number,
    output: () => output,
    exited: ended,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The AWS credentials the runtime generated into its data directory. */
export function awsCredentialsOf(runtime: { dataDir: string }): LocalAwsCredentials {
  return JSON.parse(readFileSync(join(runtime.dataDir, CREDENTIALS_FILE), 'utf8'));
}

/** A bearer token the runtime accepts. */
export function tokenFor(user: string, roles: string[]): Promise<string> {
  return signToken(TEST_JWT_SECRET, user, roles);
}

/** Headers of a PutEvents request the runtime accepts: JSON, and a SecurityAdmin's bearer token. */
export async function eventHeaders(): Promise<Record<string, string>> {
  const token = await tokenFor('producer@example.com', ['SecurityAdmin']);
  return { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` };
}

/** A small HTTP client for the runtime's API. */
export function apiClient(baseUrl: string, token?: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: {
        ...(token && { Authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered.
    return { status: response.status, json: json as any, text, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown) => call('POST', path, body),
  };
}

/**
 * PutEvents until every entry is accepted, as a well-behaved client does: entries the runtime
 * throttles (back-pressure: per-entry ThrottlingException) are sent again after its Retry-After.
 * Any other failed entry is an error.
 */
export async function putAllEvents(
  baseUrl: string,
  entries: unknown[],
  /** The request's headers (a producer's token signed with the test secret by default). */
  headers: () => Promise<Record<string, string>> = eventHeaders,
): Promise<void> {
  let pending = entries;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > 60) throw new Error(`${pending.length} entries still throttled after 60 tries`);
    const response = await fetch(`${baseUrl}/api/events`, {
      method: 'POST',
      headers: await headers(),
      body: JSON.stringify({ Entries: pending }),
    });
    const body = (await response.json()) as { Entries?: { ErrorCode?: string }[] };
    if (response.status === 429 || !body.Entries) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    const refused = body.Entries.filter(
      (e) => e.ErrorCode && e.ErrorCode !== 'ThrottlingException',
    );
    if (refused.length > 0)
      throw new Error(`PutEvents refused entries: ${JSON.stringify(refused)}`);
    pending = pending.filter((_, i) => body.Entries?.[i]?.ErrorCode === 'ThrottlingException');
    if (pending.length > 0) {
      await new Promise((r) =>
        setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000),
      );
    }
  }
}

/** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** The PutEvents body for one alert. */
export function putEventsBody(detail: unknown, source = 'actioncenter.alerts') {
  return {
    Entries: [{ Source: source, DetailType: 'Security Alert', Detail: JSON.stringify(detail) }],
  };
}
