// Decision: approve latency through the API (HTTP -> API Gateway stand-in -> decide handler ->
// read, conditional UpdateItem owing the audit record (the appender chains it), the investigation's wake (UpdateItem) and
// SendTaskSuccess to its wait) against the floor measured in the same run:
// ActionStore.decide (one conditional UpdateItem), InvestigationStore.wake (one UpdateItem that
// answers the wait's token) and one SendTaskSuccess through the functions' own Step Functions
// client (to the engine in this process, as the decide function's), nothing else.
// The runtime runs in this process (startRuntime), on disk as `npm start` runs it.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { defaultApprovalPolicies } from '../functions/adapters/cedar/index.js';
import { createStores } from '../functions/adapters/dynamodb/index.js';
import { StepFunctionsWorkflow } from '../functions/adapters/stepfunctions/workflow-gateway.js';
import type { ConnectorRegistry } from '../functions/core/ports.js';
import { approveAction } from '../functions/services/decide.js';
import { startRuntime } from '../infra/local/runtime.js';
import { decisionAudit } from '../test/support/audit-records.js';
import { putAllEvents } from '../test/support/runtime-process.js';
import {
  benchAlert,
  clientThread,
  envNumber,
  machine,
  percentile,
  putEvents,
  report,
  round,
  sleep,
} from './lib.js';

const single = envNumber('BENCH_DECISIONS', 300);
/** Approved in ONE bulk call after the single ones (issue #20: within 20 times one approve's p50). */
const BULK = 100;
/**
 * Then 100 single approves sent at once (issue #19: no conflict retries on shared items): 10
 * investigations of 10 actions each, so the concurrent decisions share investigation items.
 */
const CONCURRENT_ALERTS = 10;
const CONCURRENT_ENTITIES = 10;
const count = single + BULK;
const dataDir = mkdtempSync(join(tmpdir(), 'action-center-bench-'));
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
const stores = createStores(config, doc);
// The functions' own clients: DynamoDB straight to dynalite's process, Step Functions to the engine
// in this process (the signed HTTP endpoints are for other processes).
const sfn = runtime.stepFunctionsClient();
const token = await runtime.token('bench@example.com', ['GlobalAdmin']);

const runId = Date.now().toString(36);
const alerts = Array.from({ length: count }, (_, i) => benchAlert(`d-${runId}-${i}`));
const sharedAlerts = Array.from({ length: CONCURRENT_ALERTS }, (_, i) =>
  benchAlert(`c-${runId}-${i}`, CONCURRENT_ENTITIES),
);
// Sent as a well-behaved client does: entries the runtime's back-pressure throttles are sent again
// after its Retry-After (not timed).
const headers = async () => ({
  'Content-Type': 'application/json',
  Authorization: `Bearer ${token}`,
});
const everyAlert = [...alerts, ...sharedAlerts];
for (let i = 0; i < everyAlert.length; i += 10) {
  await putAllEvents(runtime.url, putEvents(everyAlert.slice(i, i + 10)).Entries, headers);
}
// Every action pending, read through the store (not timed).
const ids = new Set(alerts.map((a) => a.alertId));
const sharedIds = new Set(sharedAlerts.map((a) => a.alertId));
const actions = new Map<string, string>();
const shared = new Set<string>();
const sharedCount = CONCURRENT_ALERTS * CONCURRENT_ENTITIES;
const deadline = Date.now() + 300_000;
const allPending = () => actions.size === count && shared.size === sharedCount;
while (!allPending() && Date.now() < deadline) {
  let cursor: string | undefined;
  do {
    const page = await stores.actions.listPending({ limit: 200, cursor }, new Date());
    for (const a of page.items) {
      if (ids.has(a.alertId)) actions.set(a.alertId, a.id);
      if (sharedIds.has(a.alertId)) shared.add(a.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  if (!allPending()) await sleep(200);
}
if (!allPending())
  throw new Error(
    `only ${actions.size} of ${count} and ${shared.size} of ${sharedCount} actions became pending`,
  );
// Let the workflows settle into their waits before timing anything.
await sleep(1000);

// The decision service without HTTP, JWT and middy: where the API's time goes.
const servicePorts = {
  actions: stores.actions,
  investigations: stores.investigations,
  audit: stores.audit,
  workflow: new StepFunctionsWorkflow(sfn),
  connectors: {} as ConnectorRegistry,
  policies: defaultApprovalPolicies(),
  clock: () => new Date(),
};
const caller = { user: 'bench@example.com', roles: ['GlobalAdmin'] } as Parameters<
  typeof approveAction
>[1];
// The operator's client on a thread of its own (bench/lib.ts clientThread), timing each request.
const client = clientThread();
const approve = {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  body: '{}',
};
const api: number[] = [];
const service: number[] = [];
const floor: number[] = [];
const statuses = new Map<number, number>();
const all = [...actions.values()];
const bulkIds = all.slice(single);
let i = 0;
for (const actionId of all.slice(0, single)) {
  // Alternate, so both see the same machine state.
  const turn = i++ % 3;
  if (turn === 2) {
    const t = performance.now();
    await approveAction(servicePorts, caller, actionId, {});
    service.push(performance.now() - t);
  } else if (turn === 0) {
    const answer = await client.request(`${runtime.url}/api/actions/${actionId}/approve`, approve);
    api.push(answer.ms);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  } else {
    const t = performance.now();
    const action = await stores.actions.decide(
      actionId,
      { verdict: 'approve', by: 'bench@example.com' },
      new Date(),
      decisionAudit(actionId, { verdict: 'approve', by: 'bench@example.com' }, new Date()),
    );
    const { waitToken } = await stores.investigations.wake(action.investigationId);
    await sfn.send(
      new SendTaskSuccessCommand({
        taskToken: waitToken as string,
        output: JSON.stringify({ investigationId: action.investigationId }),
      }),
    );
    floor.push(performance.now() - t);
  }
  // Let the remediation the callback started run (it starts once the callbacks' burst is over,
  // infra/local/callback-burst.ts), so it does not land in the next sample.
  await sleep(50);
}

// One bulk call approving 100 distinct actions (100 investigations), once the singles settled.
await sleep(2000);
const bulkAnswer = await client.request(`${runtime.url}/api/actions/decisions`, {
  ...approve,
  body: JSON.stringify({ actionIds: bulkIds, decision: 'approve' }),
});
const bulkBody = JSON.parse(bulkAnswer.body) as { results?: { outcome: string }[] };
const bulkMs = bulkAnswer.ms;
const bulkOutcomes: Record<string, number> = {};
for (const r of bulkBody.results ?? [])
  bulkOutcomes[r.outcome] = (bulkOutcomes[r.outcome] ?? 0) + 1;

// 100 single approves at once, 10 to an investigation; every conditional write the runtime's
// functions saw fail meanwhile is counted (a conflict on a shared item would show here).
await sleep(2000);
const conflicts: Record<string, number> = {};
doc.middlewareStack.add(
  (next, context) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        // The operation and the kind of item (its sort key's prefix: ACTION, INV, AUDIT...); the
        // workflow's guard on concluding an investigation (no wake since its pass) by itself.
        const input = args.input as { Key?: { sk?: string }; ConditionExpression?: string };
        const kind = (input.Key?.sk ?? '').split('#')[0];
        const name = input.ConditionExpression?.includes(':ifWakes')
          ? CONCLUSION_GUARD
          : `${String(context.commandName).replace(/Command$/, '')} ${kind}`;
        if (process.env.BENCH_DEBUG) console.error('conflict', name, JSON.stringify(args.input));
        conflicts[name] = (conflicts[name] ?? 0) + 1;
      }
      throw error;
    }
  },
  { step: 'initialize', name: 'benchConflicts' },
);
const CONCLUSION_GUARD = 'conclusion guard';
const concurrentStatuses: Record<string, number> = {};
const concurrentStarted = performance.now();
await Promise.all(
  [...shared].map(async (actionId) => {
    // As a client does: a 429 (the runtime's in-flight bound) is sent again after its Retry-After.
    for (;;) {
      const answer = await client.request(
        `${runtime.url}/api/actions/${actionId}/approve`,
        approve,
      );
      concurrentStatuses[answer.status] = (concurrentStatuses[answer.status] ?? 0) + 1;
      if (answer.status !== 429) return;
      await sleep(Number(answer.retryAfter ?? 1) * 1000);
    }
  }),
);
const concurrentMs = performance.now() - concurrentStarted;
// The woken workflows' own writes finish too (their conflicts count as well).
await sleep(3000);
doc.middlewareStack.remove('benchConflicts');

await client.close();
await runtime.close();
rmSync(dataDir, { recursive: true, force: true });
const apiP50 = percentile(api, 50);
const apiP99 = percentile(api, 99);
const floorP50 = percentile(floor, 50);
const floorP99 = percentile(floor, 99);
report({
  name: 'decision',
  date: new Date().toISOString(),
  machine: machine(),
  samples: { api: api.length, service: service.length, floor: floor.length },
  serviceP50Ms: round(percentile(service, 50), 2),
  serviceP99Ms: round(percentile(service, 99), 2),
  statuses: Object.fromEntries(statuses),
  approveP50Ms: round(apiP50, 2),
  approveP99Ms: round(apiP99, 2),
  floorP50Ms: round(floorP50, 2),
  floorP99Ms: round(floorP99, 2),
  ratioP50: round(apiP50 / floorP50, 2),
  ratioP99: round(apiP99 / floorP99, 2),
  bulk: {
    actions: bulkIds.length,
    status: bulkAnswer.status,
    outcomes: bulkOutcomes,
    ms: round(bulkMs, 1),
    ratioToApproveP50: round(bulkMs / apiP50, 2),
  },
  concurrent: {
    approves: shared.size,
    investigations: CONCURRENT_ALERTS,
    statuses: concurrentStatuses,
    ms: round(concurrentMs, 1),
    failedConditionalWrites: conflicts,
  },
});
process.exit(0);
