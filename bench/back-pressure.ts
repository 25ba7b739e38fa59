// Back-pressure: alerts offered at twice the sustainable rate. The sustainable rate is measured
// first (alerts sent as fast as the runtime admits them, throttled ones retried); then alerts are
// offered at twice it for BENCH_BP_SECONDS, each throttled entry (or 429) retried after its
// Retry-After. Latency is the PutEvents that accepted an alert -> its action listed as Pending.
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

const seconds = envNumber('BENCH_BP_SECONDS', 30);
const calibration = envNumber('BENCH_BP_CALIBRATION_ALERTS', 400);
const BATCH = 10;
const DRAIN_MS = 60_000;

const runtime = await startRuntimeProcess({
  env: { TTL_SWEEP_SECONDS: '60', RECONCILE_SECONDS: '60', LOG_LEVEL: 'ERROR' },
});
const reader = await tokenFor('bench@example.com', ['SecurityReader']);
const producer = await tokenFor('bench@example.com', ['SecurityAdmin']);
const runId = Date.now().toString(36);
const acceptedAt = new Map<string, number>();
const seenAt = new Map<string, number>();
let throttledEntries = 0;
let refusedRequests = 0;

async function poll(): Promise<void> {
  let cursor: string | undefined;
  for (;;) {
    const url = `${runtime.url}/api/actions?tab=pending&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${reader}` } });
    const now = performance.now();
    if (response.status !== 200) return;
    const page = (await response.json()) as {
      items: { alertId: string }[];
      nextCursor: string | null;
    };
    let known = false;
    for (const item of page.items) {
      if (seenAt.has(item.alertId)) known = true;
      else if (acceptedAt.has(item.alertId)) seenAt.set(item.alertId, now);
    }
    if (known || !page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
let polling = true;
const poller = (async () => {
  while (polling) {
    await poll().catch(() => undefined);
    await sleep(50);
  }
})();

/** Puts the alerts, retrying the throttled ones after Retry-After, until all are accepted. */
async function send(alerts: { alertId: string }[]): Promise<void> {
  let left = alerts;
  while (left.length > 0) {
    const at = performance.now();
    const response = await fetch(`${runtime.url}/api/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${producer}` },
      body: JSON.stringify(putEvents(left)),
    }).catch(() => undefined);
    const wait = Number(response?.headers.get('retry-after') ?? 1) * 1000;
    if (response?.status !== 200) {
      refusedRequests += 1;
      await response?.body?.cancel();
      await sleep(wait);
      continue;
    }
    const body = (await response.json()) as { Entries: { EventId?: string; ErrorCode?: string }[] };
    const retry: { alertId: string }[] = [];
    body.Entries.forEach((entry, i) => {
      const alert = left[i] as { alertId: string };
      if (entry.EventId) acceptedAt.set(alert.alertId, at);
      else if (entry.ErrorCode === 'ThrottlingException') retry.push(alert);
      else throw new Error(`${alert.alertId} refused: ${entry.ErrorCode}`);
    });
    throttledEntries += retry.length;
    left = retry;
    if (left.length > 0) await sleep(wait);
  }
}

async function drain(ids: string[]): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (ids.some((id) => !seenAt.has(id)) && performance.now() < deadline) await sleep(100);
}

// 1. The sustainable rate: 8 clients sending back to back, as fast as they are admitted.
const calibrationAlerts = Array.from({ length: calibration }, (_, i) =>
  benchAlert(`c-${runId}-${i}`),
);
const calibrationStart = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (next < calibrationAlerts.length) {
      const batch = calibrationAlerts.slice(next, next + BATCH);
      next += BATCH;
      await send(batch);
    }
  }),
);
await drain(calibrationAlerts.map((a) => a.alertId));
const calibrationSeen = calibrationAlerts.filter((a) => seenAt.has(a.alertId)).length;
const lastCalibration = Math.max(...calibrationAlerts.map((a) => seenAt.get(a.alertId) ?? 0));
const sustainable = calibrationSeen / ((lastCalibration - calibrationStart) / 1000);
const calibrationThrottled = throttledEntries;
throttledEntries = 0;

// 2. Twice that, offered on a fixed schedule whatever the answers (each batch its own sender).
const offered = envNumber('BENCH_BP_RATE', Math.round(2 * sustainable));
const batchesPerSecond = offered / BATCH;
const total = Math.round(seconds * batchesPerSecond);
const loadAlerts: string[] = [];
const senders: Promise<void>[] = [];
const start = performance.now();
for (let b = 0; b < total; b += 1) {
  const wait = start + (b / batchesPerSecond) * 1000 - performance.now();
  if (wait > 0) await sleep(wait);
  const alerts = Array.from({ length: BATCH }, (_, i) => benchAlert(`p-${runId}-${b}-${i}`));
  for (const a of alerts) loadAlerts.push(a.alertId);
  senders.push(send(alerts));
}
await Promise.all(senders);
const sendSeconds = (performance.now() - start) / 1000;
await drain(loadAlerts);
polling = false;
await poller;
await runtime.stop();
removeDataDir(runtime.dataDir);

const latencies = loadAlerts
  .filter((id) => seenAt.has(id))
  .map((id) => (seenAt.get(id) as number) - (acceptedAt.get(id) as number));
report({
  name: 'backPressure',
  machine: machine(),
  settings: { seconds, batch: BATCH, calibrationAlerts: calibration, storage: 'disk' },
  sustainablePerSecond: round(sustainable, 1),
  calibrationThrottledEntries: calibrationThrottled,
  offeredPerSecond: offered,
  sent: loadAlerts.length,
  sendSeconds: round(sendSeconds, 1),
  acceptedPerSecond: round(loadAlerts.length / sendSeconds, 1),
  throttledEntries,
  refusedRequests,
  lost: loadAlerts.filter((id) => !seenAt.has(id)).length,
  toPendingP50Ms: round(percentile(latencies, 50)),
  toPendingP99Ms: round(percentile(latencies, 99)),
  toPendingMaxMs: round(Math.max(...latencies)),
});
process.exit(0);
