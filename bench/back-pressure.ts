// Back-pressure: alerts offered at twice the sustainable rate. The sustainable rate is measured
// first (alerts sent as fast as the runtime admits them, throttled ones retried); then alerts are
// offered at twice it for BENCH_BP_SECONDS, each throttled entry (or 429) retried after its
// Retry-After. Latency is the PutEvents that accepted an alert -> its action listed as Pending.
import {
  awsCredentialsOf,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../test/support/runtime-process.js';
import { alertLoad, toPending } from './alert-load.js';
import { benchAlert, envNumber, machine, percentile, report, round } from './lib.js';

const seconds = envNumber('BENCH_BP_SECONDS', 30);
const calibration = envNumber('BENCH_BP_CALIBRATION_ALERTS', 400);
const BATCH = 10;
const DRAIN_MS = 60_000;

const runtime = await startRuntimeProcess({
  env: { TTL_SWEEP_SECONDS: '60', RECONCILE_SECONDS: '60', LOG_LEVEL: 'ERROR' },
});
const load = alertLoad({
  url: runtime.url,
  producer: await tokenFor('bench@example.com', ['SecurityAdmin']),
  credentials: awsCredentialsOf(runtime),
  tableName: 'ActionCenter',
});
const { seenAt, counts } = load;
const runId = Date.now().toString(36);

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
      await load.send(batch);
    }
  }),
);
await load.drain(
  calibrationAlerts.map((a) => a.alertId),
  DRAIN_MS,
);
const calibrationSeen = calibrationAlerts.filter((a) => seenAt.has(a.alertId)).length;
const lastCalibration = Math.max(...calibrationAlerts.map((a) => seenAt.get(a.alertId) ?? 0));
const sustainable = calibrationSeen / ((lastCalibration - calibrationStart) / 1000);
const calibrationThrottled = counts.throttledEntries;
counts.throttledEntries = 0;

// 2. Twice that, offered on a fixed schedule whatever the answers (each batch its own sender).
const offered = envNumber('BENCH_BP_RATE', Math.round(2 * sustainable));
const { ids: loadAlerts, seconds: sendSeconds } = await load.offer(offered, seconds, `p-${runId}`);
await load.drain(loadAlerts, DRAIN_MS);
await load.stop();
await runtime.stop();
removeDataDir(runtime.dataDir);

const latencies = toPending(load, loadAlerts);
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
  throttledEntries: counts.throttledEntries,
  refusedRequests: counts.refusedRequests,
  lost: loadAlerts.filter((id) => !seenAt.has(id)).length,
  toPendingP50Ms: round(percentile(latencies, 50)),
  toPendingP99Ms: round(percentile(latencies, 99)),
  toPendingMaxMs: round(Math.max(...latencies)),
});
process.exit(0);
