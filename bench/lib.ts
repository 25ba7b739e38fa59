// Shared helpers of the benchmarks: statistics, the machine, alerts, and the result hand-off
// (each benchmark runs in its own process and prints one `BENCH_RESULT <json>` line).
import { cpus, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';

export const RESULT_PREFIX = 'BENCH_RESULT ';

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export const median = (values: number[]) => percentile(values, 50);

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number`);
  return value;
}

export function report(result: object): void {
  const dated = { date: new Date().toISOString(), ...result };
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(dated)}\n`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A one-file ransomware alert: one malicious file, so exactly one action awaiting approval. */
export function benchAlert(alertId: string, entities = 1) {
  return {
    alertId,
    title: `Bench alert ${alertId}`,
    severity: 'high',
    detectionSource: 'EDR',
    detectedAt: new Date().toISOString(),
    entities: Array.from({ length: entities }, (_, i) => ({
      kind: i % 2 === 0 ? 'file' : 'process',
      id: `${alertId}-e${i}`,
      verdict: 'malicious',
      deviceId: `dev-${alertId}`,
      displayName: `${alertId}-e${i}.exe`,
    })),
  };
}

export function putEvents(alerts: unknown[]) {
  return {
    Entries: alerts.map((detail) => ({
      Source: 'actioncenter.alerts',
      DetailType: 'Security Alert',
      Detail: JSON.stringify(detail),
    })),
  };
}

/** Runs `jobs` with at most `concurrency` at a time. */
export async function pool<T>(
  items: T[],
  concurrency: number,
  job: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await job(items[i] as T, i);
      }
    }),
  );
}

export interface ClientAnswer {
  status: number;
  /** The request's time as the client saw it: sent -> the whole body read. */
  ms: number;
  body: string;
  retryAfter: string | null;
}

/** The client thread's code (CommonJS, as an `eval` worker runs it): fetch, timed where it runs. */
const CLIENT_THREAD = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ id, url, init }) => {
  const started = performance.now();
  try {
    const response = await fetch(url, init);
    const body = await response.text();
    const ms = performance.now() - started;
    parentPort.postMessage({ id, status: response.status, ms, body, retryAfter: response.headers.get('retry-after') });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});`;

/**
 * An HTTP client on a thread of its own, as an operator's browser is on another machine: its work
 * does not share the runtime's event loop (a bench that runs the runtime in its own process would
 * otherwise time the runtime's work and the client's on one thread), and it times each request.
 */
export function clientThread() {
  const worker = new Worker(CLIENT_THREAD, { eval: true });
  const waiting = new Map<number, (answer: ClientAnswer | { error: string }) => void>();
  let next = 0;
  worker.on('message', ({ id, ...answer }: { id: number } & (ClientAnswer | { error: string })) => {
    waiting.get(id)?.(answer);
    waiting.delete(id);
  });
  return {
    async request(
      url: string,
      init: { method: string; headers: Record<string, string>; body?: string },
    ): Promise<ClientAnswer> {
      const id = next++;
      const answer = await new Promise<ClientAnswer | { error: string }>((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ id, url, init });
      });
      if ('error' in answer) throw new Error(`${init.method} ${url}: ${answer.error}`);
      return answer;
    },
    close: () => worker.terminate(),
  };
}
