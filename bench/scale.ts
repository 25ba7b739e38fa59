// Scale: a page of Pending and of History through the API with 1,000 and with 100,000 stored
// actions: Pending by expiry and History by decision time (its default) are read a page at a time
// from their index; Pending's default order (severity first) sorts every pending action. Actions are bulk-loaded into the runtime's dynalite with BatchWrite, shaped exactly as
// ActionStore writes them (registerPending for pending ones, decide + transition for decided
// ones). The runtime runs in this process with STORAGE=memory (BENCH_SCALE_STORAGE=disk for disk).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  decidedActionItem,
  pendingActionItem,
} from '../functions/adapters/dynamodb/action-items.js';
import type { Action } from '../functions/core/model.js';
import { startRuntime } from '../infra/local/runtime.js';
import { makeAction } from '../test/fixtures/actions.js';
import { envNumber, machine, percentile, pool, report, round } from './lib.js';

const sizes = (process.env.BENCH_SCALE_SIZES ?? '1000,100000').split(',').map(Number);
const samples = envNumber('BENCH_SCALE_SAMPLES', 40);
/** The severity-sorted page reads every pending action (up to 10,000): fewer samples. */
const sortedSamples = envNumber('BENCH_SCALE_SORTED_SAMPLES', 10);
const disk = process.env.BENCH_SCALE_STORAGE === 'disk';
const dataDir = disk ? mkdtempSync(join(tmpdir(), 'action-center-bench-')) : undefined;
const runtime = await startRuntime({
  port: 0,
  host: '127.0.0.1',
  remote: false,
  dataDir,
  ttlSweepSeconds: 600,
  reconcileSeconds: 600,
  env: { ...process.env },
});
const config = runtime.config;
const doc = runtime.documentClient();
const token = await runtime.token('bench@example.com', ['SecurityReader']);
const HISTORY_RETENTION = 180 * 86_400;
const now = Date.now();

/** What putPending stores. */
const pendingItem = (a: Action) => pendingActionItem(a, HISTORY_RETENTION);

/** What decide + callbackDelivered + transition(Completed) leave: history keys, retention TTL. */
const historyItem = (a: Action) => decidedActionItem(a, a.updatedAt, HISTORY_RETENTION);

let stored = 0;
async function load(upTo: number): Promise<number> {
  const t = performance.now();
  const items: Record<string, unknown>[] = [];
  for (let i = stored; i < upTo; i += 1) {
    // Spread over the last 6 days, half pending and half decided (Completed).
    const createdAt = new Date(now - 6 * 86_400_000 + ((i * 5_000) % (6 * 86_400_000)));
    const base = makeAction({
      alertId: `scale-${i}`,
      targetId: `file-${i}`,
      createdAt: createdAt.toISOString(),
    });
    if (i % 2 === 0) items.push(pendingItem(base));
    else {
      const decidedAt = new Date(createdAt.getTime() + 60_000).toISOString();
      items.push(
        historyItem({
          ...base,
          status: 'Completed',
          decision: { by: 'bench@example.com', at: decidedAt, automated: false },
          result: { outcome: 'FileQuarantined', at: decidedAt },
          updatedAt: decidedAt,
        }),
      );
    }
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await pool(batches, 4, async (batch) => {
    let request = batch.map((Item) => ({ PutRequest: { Item } }));
    while (request.length > 0) {
      const out = await doc.send(
        new BatchWriteCommand({ RequestItems: { [config.tableName]: request } }),
      );
      request = (out.UnprocessedItems?.[config.tableName] ?? []) as typeof request;
    }
  });
  stored = upTo;
  return (performance.now() - t) / 1000;
}

async function timeList(path: string, runs = samples) {
  const first: number[] = [];
  const second: number[] = [];
  let items = 0;
  for (let i = 0; i < runs; i += 1) {
    let t = performance.now();
    const response = await fetch(`${runtime.url}/api${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const page = (await response.json()) as { items: unknown[]; nextCursor: string | null };
    first.push(performance.now() - t);
    items = page.items.length;
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    if (page.nextCursor) {
      t = performance.now();
      const next = await fetch(
        `${runtime.url}/api${path}&cursor=${encodeURIComponent(page.nextCursor)}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      await next.text();
      second.push(performance.now() - t);
    }
  }
  return {
    samples: runs,
    items,
    p50Ms: round(percentile(first, 50), 2),
    p99Ms: round(percentile(first, 99), 2),
    nextPageP50Ms: round(percentile(second, 50), 2),
  };
}

const results = [];
for (const size of sizes) {
  const loadSeconds = await load(size);
  results.push({
    stored: size,
    loadSeconds: round(loadSeconds, 1),
    pending: await timeList('/actions?tab=pending&limit=50&sort=expiry&order=asc'),
    history: await timeList('/actions?tab=history&window=7d&limit=50'),
    pendingBySeverity: await timeList('/actions?tab=pending&limit=50', sortedSamples),
  });
  process.stderr.write(`scale: ${JSON.stringify(results.at(-1))}\n`);
}
doc.destroy();
await runtime.close();
if (dataDir) rmSync(dataDir, { recursive: true, force: true });
const [small, large] = [results[0], results.at(-1)];
report({
  name: 'scale',
  machine: machine(),
  storage: disk ? 'disk' : 'memory',
  samples,
  results,
  pendingRatio: small && large ? round(large.pending.p50Ms / small.pending.p50Ms, 2) : undefined,
  historyRatio: small && large ? round(large.history.p50Ms / small.history.p50Ms, 2) : undefined,
  pendingBySeverityRatio:
    small && large
      ? round(large.pendingBySeverity.p50Ms / small.pendingBySeverity.p50Ms, 2)
      : undefined,
});
process.exit(0);
