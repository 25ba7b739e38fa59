// Cost per investigation, counted: the real ASL on the local engine with the real task handlers
// over dynalite, ingest in front, and each action approved through the real decide API handler.
// State transitions are counted from the engine's execution history; DynamoDB capacity with
// ReturnConsumedCapacity TOTAL (dynalite computes it per DynamoDB's rounding rules) through an
// SDK middleware on the one document client every store uses, plus GSI writes (see below).
// The handlers read their settings at import time: set them first.
import '../test/support/env.js';
import { createDecideHandler } from '../functions/api/decide-routes.js';
import { investigationIdFor } from '../functions/core/ids.js';
import type { AlertDetail } from '../functions/core/model.js';
import { TASK_FUNCTIONS } from '../functions/entries.js';
import { engineWorkflow } from '../infra/local/engine/index.js';
import { apiEvent, claimsFor, lambdaContext } from '../test/support/api-events.js';
import { startLocalTable } from '../test/support/dynalite.js';
import { startInvestigationHarness } from '../test/support/investigation-harness.js';
import { benchAlert, envNumber, machine, pool, report, round } from './lib.js';

const investigations = envNumber('BENCH_COST_INVESTIGATIONS', 20);
const entitiesPerAlert = envNumber('BENCH_COST_ENTITIES', 2);

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
const INDEX_KEYS = ['queuePk', 'timelinePk'];
/** Off while the bench itself polls for a pending action: only the product's own calls count. */
let counting = true;
table.doc.middlewareStack.add(
  (next, context) => async (args) => {
    if (!counting) return next(args);
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

const harness = await startInvestigationHarness(table);
let callbacks = 0;
const workflow = engineWorkflow(harness.engine);
const decide = createDecideHandler({
  actions: harness.stores.actions,
  audit: harness.stores.audit,
  workflow: {
    approve: (token, output) => {
      callbacks += 1;
      return workflow.approve(token, output);
    },
    reject: (token, reason) => {
      callbacks += 1;
      return workflow.reject(token, reason);
    },
  },
  connectors: { connectorFor: () => harness.connector },
  clock: () => new Date(),
});

const runId = Date.now().toString(36);
const alerts = Array.from({ length: investigations }, (_, i) =>
  benchAlert(`cost-${runId}-${i}`, entitiesPerAlert),
);
let apiRequests = 0;
let actions = 0;
// One investigation at a time, so the bench's own polling can be left out of the counts.
await pool(alerts, 1, async (alert) => {
  await harness.ingest(alert as AlertDetail);
  for (const entity of alert.entities) {
    counting = false;
    const pending = await harness.waitForAction(
      alert.alertId,
      entity.id,
      (a) => a.status === 'Pending',
      'Pending',
    );
    counting = true;
    const out = await decide(
      apiEvent('POST', `/actions/${pending.id}/approve`, {
        body: {},
        claims: claimsFor('bench@example.com', ['GlobalAdmin']),
      }),
      lambdaContext(),
    );
    apiRequests += 1;
    actions += 1;
    if (out.statusCode !== 200) throw new Error(`approve answered ${out.statusCode}`);
  }
  await harness.finished(alert.alertId);
  if (!process.env.BENCH_COST_TRACE) return;
  const arn = `${harness.stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alert.alertId)}`;
  process.stderr.write(
    `${harness.engine
      .executionHistory(arn)
      .map((e) => `${e.type}:${e.stateName ?? ''}${e.index === undefined ? '' : `[${e.index}]`}`)
      .join(' ')}\n`,
  );
});

const taskStates = new Set<string>(TASK_FUNCTIONS.map((f) => f.id));
let transitions = 0;
let invocations = 0;
const prefix = harness.stateMachineArn.replace(':stateMachine:', ':execution:');
for (const alert of alerts) {
  const history = harness.engine.executionHistory(`${prefix}:${investigationIdFor(alert.alertId)}`);
  for (const event of history) {
    if (event.type === 'StateEntered' || event.type === 'StateRetried') transitions += 1;
    if (
      (event.type === 'StateEntered' || event.type === 'StateRetried') &&
      event.stateName &&
      taskStates.has(event.stateName)
    )
      invocations += 1;
  }
}
await harness.close();
await table.stop();

const per = (n: number) => round(n / investigations, 2);
// Lambda: every task invocation, plus ingest (one per alert) and the decide API (one per approval).
const lambdaInvocations = invocations + investigations + apiRequests;
const perInvestigation = {
  stateTransitions: per(transitions),
  dynamodbRequests: per(counts.requests),
  readUnits: per(counts.rcu),
  writeUnits: per(counts.wcu + counts.gsiWcu),
  tableWriteUnits: per(counts.wcu),
  gsiWriteUnits: per(counts.gsiWcu),
  lambdaInvocations: per(lambdaInvocations),
  apiRequests: per(apiRequests),
  callbacks: per(callbacks),
  actions: per(actions),
};
const dollars = {
  stepFunctions: (transitions / investigations) * PRICES.transition,
  dynamodb:
    ((counts.wcu + counts.gsiWcu) / investigations) * PRICES.wru +
    (counts.rcu / investigations) * PRICES.rru,
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
report({
  name: 'cost',
  machine: machine(),
  investigations,
  entitiesPerAlert,
  perInvestigation,
  dynamodbRequestsByOperation: Object.fromEntries(
    Object.entries(byOperation).map(([k, v]) => [k, per(v)]),
  ),
  conditionalFailuresPerInvestigation: per(counts.conditionalFailures),
  dollarsPer1000Alerts: { ...per1000, total },
  assumptions: {
    lambdaMemoryGB: LAMBDA_MEMORY_GB,
    lambdaBilledMs: LAMBDA_BILLED_MS,
    prices: PRICES,
  },
});
process.exit(0);
