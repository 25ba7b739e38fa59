// Ingest: alerts offered at a fixed rate for BENCH_INGEST_SECONDS (default 60) in PutEvents
// batches of 10 from several concurrent clients, against the runtime in a child process (as
// `npm start` runs it, on disk). Latency is PutEvents sent -> the action listed as Pending,
// observed by polling the Pending tab (newest first) through the API.
import { removeDataDir, startRuntimeProcess, tokenFor } from '../test/support/runtime-process.js';
import {
  benchAlert,
  envNumber,
  machine,
  percentile,
  putEvents,
  report,
  round,
  sleep,
} from './lib.js';

const seconds = envNumber('BENCH_INGEST_SECONDS', 60);
const rate = envNumber('BENCH_INGEST_RATE', 200);
const clients = envNumber('BENCH_INGEST_CLIENTS', 8);
const BATCH = 10;
const DRAIN_MS = envNumber('BENCH_INGEST_DRAIN_SECONDS', 60) * 1000;

const runtime = await startRuntimeProcess({
  env: {
    TTL_SWEEP_SECONDS: '60',
    RECONCILE_SECONDS: '60',
    LOG_LEVEL: 'ERROR',
    // BENCH_PROFILE=<dir>: a V8 CPU profile of the runtime, to find the bottleneck.
    ...(process.env.BENCH_PROFILE && {
      NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE}`,
    }),
  },
});
const token = await tokenFor('bench@example.com', ['SecurityReader']);
const producer = await tokenFor('bench@example.com', ['SecurityAdmin']);
const runId = Date.now().toString(36);
const sentAt = new Map<string, number>();
const seenAt = new Map<string, number>();
let failedEntries = 0;
let throttledEntries = 0;
let failedBatches = 0;
const putLatencies: number[] = [];

async function poll(): Promise<number> {
  let cursor: string | undefined;
  let reads = 0;
  for (;;) {
    const url = `${runtime.url}/api/actions?tab=pending&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const now = performance.now();
    reads += 1;
    if (response.status !== 200) return reads;
    const page = (await response.json()) as {
      items: { alertId: string }[];
      nextCursor: string | null;
    };
    let known = false;
    for (const item of page.items) {
      if (seenAt.has(item.alertId)) known = true;
      else if (sentAt.has(item.alertId)) seenAt.set(item.alertId, now);
    }
    // Newest first: once a page holds an action seen before, the older pages were read already.
    if (known || !page.nextCursor) return reads;
    cursor = page.nextCursor;
  }
}

let polling = true;
let pollReads = 0;
const poller = (async () => {
  while (polling) {
    pollReads += await poll().catch(() => 0);
    await sleep(50);
  }
})();

const batchesPerSecond = rate / BATCH;
const totalBatches = Math.round(seconds * batchesPerSecond);
const start = performance.now();
let nextBatch = 0;
let late = 0;
async function client() {
  for (;;) {
    const b = nextBatch++;
    if (b >= totalBatches) return;
    const due = start + (b / batchesPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    else if (wait < -100) late += 1;
    const alerts = Array.from({ length: BATCH }, (_, i) => benchAlert(`b-${runId}-${b}-${i}`));
    const at = performance.now();
    for (const a of alerts) sentAt.set(a.alertId, at);
    try {
      const response = await fetch(`${runtime.url}/api/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${producer}` },
        body: JSON.stringify(putEvents(alerts)),
      });
      const body = (await response.json()) as {
        FailedEntryCount?: number;
        Entries?: { ErrorCode?: string }[];
      };
      putLatencies.push(performance.now() - at);
      if (response.status !== 200) failedBatches += 1;
      // An entry the runtime's back-pressure throttled was not accepted: a client sends it again
      // later (not timed here). It is counted, and not expected on the Pending tab.
      body.Entries?.forEach((entry, i) => {
        const alert = alerts[i];
        if (entry.ErrorCode === 'ThrottlingException' && alert) {
          throttledEntries += 1;
          sentAt.delete(alert.alertId);
        } else if (entry.ErrorCode) failedEntries += 1;
      });
    } catch {
      failedBatches += 1;
    }
  }
}
await Promise.all(Array.from({ length: clients }, client));
const sendSeconds = (performance.now() - start) / 1000;
const drainDeadline = performance.now() + DRAIN_MS;
while (seenAt.size < sentAt.size && performance.now() < drainDeadline) await sleep(200);
polling = false;
await poller;
const lastSeen = Math.max(...seenAt.values());
const latencies = [...seenAt.entries()].map(([id, t]) => t - (sentAt.get(id) as number));
await runtime.stop();
removeDataDir(runtime.dataDir);

/** Accepted: sent and not throttled. */
const sent = sentAt.size;
report({
  name: 'ingest',
  date: new Date().toISOString(),
  machine: machine(),
  settings: { seconds, offeredRate: rate, clients, batch: BATCH, storage: 'disk' },
  sent,
  sendSeconds: round(sendSeconds, 1),
  acceptedPerSecond: round((sent - failedEntries) / sendSeconds, 1),
  throttledEntries,
  pendingPerSecond: round(seenAt.size / ((lastSeen - start) / 1000), 1),
  batchesLate: late,
  failedEntries,
  failedBatches,
  lost: sent - seenAt.size,
  putEventsP50Ms: round(percentile(putLatencies, 50)),
  putEventsP99Ms: round(percentile(putLatencies, 99)),
  toPendingP50Ms: round(percentile(latencies, 50)),
  toPendingP99Ms: round(percentile(latencies, 99)),
  toPendingMaxMs: round(Math.max(...latencies)),
  pollReads,
});
process.exit(0);
