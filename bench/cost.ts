// Cost per investigation, counted: the real ASL on the local engine with the real task handlers
// over dynalite, ingest in front, and the actions approved through the real decide API handler,
// two ways: all of an investigation's actions in ONE bulk call (POST /actions/decisions), and one
// by one (POST /actions/{id}/approve, each after the one before was carried out). State
// transitions are counted from the engine's execution history; DynamoDB capacity with
// ReturnConsumedCapacity TOTAL (dynalite computes it per DynamoDB's rounding rules) through an
// SDK middleware on the document client the product uses, plus GSI writes (see below); the
// bench's own polling goes through another client and is not counted. The audit appender runs
// as the embedded runtime runs it: the first write that owes a record holds its run back for a
// batching window (BENCH_COST_APPENDER_WINDOW_MS, 200 ms as the runtime's; the table's stream
// mapping waits up to 1 s in AWS), so the writes of a burst share one run; 0 runs it after every
// such write, the worst case.
// The handlers read their settings at import time: set them first.
import { defaultApprovalPolicies } from '../functions/adapters/cedar/index.js';
import '../test/support/env.js';
import { createDocumentClient } from '../functions/adapters/dynamodb/client.js';
import { createStores } from '../functions/adapters/dynamodb/index.js';
import { DynamoRemediationReports } from '../functions/adapters/dynamodb/remediation-reports.js';
import { createDecideHandler } from '../functions/api/decide-routes.js';
import { investigationIdFor } from '../functions/core/ids.js';
import type { Action, AlertDetail } from '../functions/core/model.js';
import type { Workflow } from '../functions/core/ports.js';
import { TASK_FUNCTIONS } from '../functions/entries.js';
import { engineWorkflow } from '../infra/local/engine/index.js';
import { apiEvent, claimsFor, lambdaContext } from '../test/support/api-events.js';
import { startLocalTable } from '../test/support/dynalite.js';
import { eventually } from '../test/support/eventually.js';
import { startInvestigationHarness } from '../test/support/investigation-harness.js';
import { benchAlert, envNumber, machine, pool, report, round } from './lib.js';

const investigations = envNumber('BENCH_COST_INVESTIGATIONS', 20);
const entitiesPerAlert = envNumber('BENCH_COST_ENTITIES', 2);
const appenderWindowMs = envNumber('BENCH_COST_APPENDER_WINDOW_MS', 200);

const PRICES = {
  transition: 0.025 / 1000,
  wru: 1.25 / 1e6,
  rru: 0.25 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaGbSecond: 0.0000133334,
  apiRequest: 3.5 / 1e6,
  eventBridgeEvent: 1.0 / 1e6,
};
const LAMBDA_MEMORY_GB = 0.5; // infra/aws/constructs/action-center-function.ts: 512 MB, arm64
const LAMBDA_BILLED_MS = 100; // assumed mean billed duration per invocation (not measured on AWS)

const table = await startLocalTable();
const counts = { requests: 0, rcu: 0, wcu: 0, gsiWcu: 0, conditionalFailures: 0 };
const byOperation: Record<string, number> = {};
const INDEX_KEYS = ['queuePk', 'timelinePk', 'outboxPk'];
table.doc.middlewareStack.add(
  (next, context) => async (args) => {
    const input = args.input as Record<string, unknown>;
    input.ReturnConsumedCapacity = 'TOTAL';
    const name = String(context.commandName).replace(/Command$/, '');
    counts.requests += 1;
    byOperation[name] = (byOperation[name] ?? 0) + 1;
    // A write that sets or removes an index key writes that GSI too (1 WCU: items are < 1 KB).
    const text = JSON.stringify(input.Item ?? input.UpdateExpression ?? input.RequestItems ?? '');
    const gsi = INDEX_KEYS.filter((k) => text.includes(k)).length;
    const isWrite = /Put|Update|Delete|BatchWrite/.test(name);
    try {
      const out = await next(args);
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      const list = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as {
        CapacityUnits?: number;
      }[];
      const units = list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      if (isWrite) {
        counts.wcu += units;
        counts.gsiWcu += gsi;
      } else counts.rcu += units;
      return out;
    } catch (error) {
      // A failed conditional write still consumes write capacity (at least 1 WCU).
      if (isWrite && (error as Error).name === 'ConditionalCheckFailedException') {
        counts.wcu += 1;
        counts.conditionalFailures += 1;
      }
      throw error;
    }
  },
  { step: 'initialize', name: 'countConsumedCapacity' },
);

const harness = await startInvestigationHarness(table, { appenderWindowMs });
/** The bench's own reads (waiting for Pending or Completed), on a client the counter does not see. */
const observer = createStores(table.config, createDocumentClient(table.config));
let resumes = 0;
const engine = engineWorkflow(harness.engine);
const workflow: Workflow = {
  resume: (token, output) => {
    resumes += 1;
    return engine.resume(token, output);
  },
};
const clock = () => new Date();
const decide = createDecideHandler({
  actions: harness.stores.actions,
  investigations: harness.stores.investigations,
  workflow,
  starter: engine,
  stateMachineArn: harness.stateMachineArn,
  policies: defaultApprovalPolicies(),
  clock,
  webhookCallbacks: {
    actions: harness.stores.actions,
    investigations: harness.stores.investigations,
    workflow,
    reports: new DynamoRemediationReports(table.doc, table.config),
    webhookSecret: async () => undefined,
    clock,
  },
});
const CLAIMS = claimsFor('bench@example.com', ['GlobalAdmin']);

async function post(path: string, body: object): Promise<void> {
  const out = await decide(apiEvent('POST', path, { body, claims: CLAIMS }), lambdaContext());
  if (out.statusCode !== 200) throw new Error(`${path} answered ${out.statusCode}: ${out.body}`);
}

async function actionsOf(alertId: string, until: (actions: Action[]) => boolean, what: string) {
  return eventually(
    async () => {
      const { actions } = await observer.investigations.get(investigationIdFor(alertId));
      return actions.length === entitiesPerAlert && until(actions) ? actions : undefined;
    },
    { what: `${alertId}: ${what}`, timeoutMs: 30_000 },
  );
}

type Mode = 'bulk' | 'oneByOne';
const taskStates = new Set<string>(TASK_FUNCTIONS.map((f) => f.id));
const prefix = harness.stateMachineArn.replace(':stateMachine:', ':execution:');
const runId = Date.now().toString(36);

/** N investigations, one at a time, approved one way; what the product did for them, per investigation. */
async function measure(mode: Mode) {
  const alerts = Array.from({ length: investigations }, (_, i) =>
    benchAlert(`cost-${mode}-${runId}-${i}`, entitiesPerAlert),
  );
  const before = { ...counts, ops: { ...byOperation }, resumes };
  let apiRequests = 0;
  let actions = 0;
  await pool(alerts, 1, async (alert) => {
    await harness.ingest(alert as AlertDetail);
    const pending = await actionsOf(
      alert.alertId,
      (all) => all.every((a) => a.status === 'Pending'),
      'every action Pending',
    );
    if (mode === 'bulk') {
      await post('/actions/decisions', {
        actionIds: pending.map((a) => a.id),
        decision: 'approve',
      });
      apiRequests += 1;
    } else {
      for (const action of pending) {
        await post(`/actions/${action.id}/approve`, {});
        apiRequests += 1;
        await actionsOf(
          alert.alertId,
          (all) => all.find((a) => a.id === action.id)?.status === 'Completed',
          `${action.id} Completed`,
        );
      }
    }
    actions += pending.length;
    const done = await harness.finished(alert.alertId);
    if (done.status !== 'SUCCEEDED') throw new Error(`${alert.alertId} ended ${done.status}`);
    // The audit records this investigation owes are chained before the next one starts.
    await harness.appenderIdle();
    if (!process.env.BENCH_COST_TRACE) return;
    process.stderr.write(
      `${mode}: ${harness.engine
        .executionHistory(`${prefix}:${investigationIdFor(alert.alertId)}`)
        .map((e) => `${e.type}:${e.stateName ?? ''}`)
        .join(' ')}\n`,
    );
  });

  let transitions = 0;
  let invocations = 0;
  for (const alert of alerts) {
    const history = harness.engine.executionHistory(
      `${prefix}:${investigationIdFor(alert.alertId)}`,
    );
    for (const event of history) {
      if (event.type !== 'StateEntered' && event.type !== 'StateRetried') continue;
      transitions += 1;
      if (event.stateName && taskStates.has(event.stateName)) invocations += 1;
    }
  }
  const per = (n: number) => round(n / investigations, 2);
  const rcu = counts.rcu - before.rcu;
  const wcu = counts.wcu - before.wcu + (counts.gsiWcu - before.gsiWcu);
  // Lambda: every task invocation, plus ingest (one per alert) and the decide API (one per call).
  const lambdaInvocations = invocations + investigations + apiRequests;
  const perInvestigation = {
    stateTransitions: per(transitions),
    dynamodbRequests: per(counts.requests - before.requests),
    readUnits: per(rcu),
    writeUnits: per(wcu),
    tableWriteUnits: per(counts.wcu - before.wcu),
    gsiWriteUnits: per(counts.gsiWcu - before.gsiWcu),
    lambdaInvocations: per(lambdaInvocations),
    apiRequests: per(apiRequests),
    resumes: per(resumes - before.resumes),
    actions: per(actions),
  };
  const dollars = {
    stepFunctions: (transitions / investigations) * PRICES.transition,
    dynamodb: (wcu / investigations) * PRICES.wru + (rcu / investigations) * PRICES.rru,
    lambda:
      (lambdaInvocations / investigations) *
      (PRICES.lambdaRequest + LAMBDA_MEMORY_GB * (LAMBDA_BILLED_MS / 1000) * PRICES.lambdaGbSecond),
    apiGateway: (apiRequests / investigations) * PRICES.apiRequest,
    eventBridge: PRICES.eventBridgeEvent,
  };
  const per1000 = Object.fromEntries(
    Object.entries(dollars).map(([k, v]) => [k, round(v * 1000, 4)]),
  ) as Record<keyof typeof dollars, number>;
  const total = round(Object.values(dollars).reduce((a, b) => a + b, 0) * 1000, 4);
  return {
    perInvestigation,
    dynamodbRequestsByOperation: Object.fromEntries(
      Object.entries(byOperation).map(([k, v]) => [k, per(v - (before.ops[k] ?? 0))]),
    ),
    conditionalFailuresPerInvestigation: per(
      counts.conditionalFailures - before.conditionalFailures,
    ),
    dollarsPer1000Alerts: { ...per1000, total },
  };
}

const bulk = await measure('bulk');
const oneByOne = await measure('oneByOne');
await harness.close();
await table.stop();

report({
  name: 'cost',
  machine: machine(),
  investigations,
  entitiesPerAlert,
  appenderWindowMs,
  bulk,
  oneByOne,
  // The dearer of the two ways is what 1,000 alerts cost at most.
  dollarsPer1000AlertsAtMost: Math.max(
    bulk.dollarsPer1000Alerts.total,
    oneByOne.dollarsPer1000Alerts.total,
  ),
  targets: { bulkTransitions: 7, oneByOneTransitions: 9, dollarsPer1000Alerts: 0.2 },
  assumptions: {
    lambdaMemoryGB: LAMBDA_MEMORY_GB,
    lambdaBilledMs: LAMBDA_BILLED_MS,
    prices: PRICES,
  },
});
process.exit(0);
