// Execution status changes on the real ASL and the local engine: an execution that is stopped, or
// fails, ends its investigation through the executionStatus function, as the EventBridge rule
// makes it in AWS, and the API then refuses a decision on its actions with 409.

import { defaultApprovalPolicies } from '../../../functions/adapters/cedar/index.js';
import { DynamoRemediationReports } from '../../../functions/adapters/dynamodb/remediation-reports.js';
import { createDecideHandler } from '../../../functions/api/decide-routes.js';
import { SYSTEM_ACTOR } from '../../../functions/core/action-changes.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { Action } from '../../../functions/core/model.js';
import { engineWorkflow } from '../../../infra/local/engine/index.js';
import { anAlert, file } from '../../fixtures/alerts.js';
import { apiEvent, claimsFor, lambdaContext } from '../../support/api-events.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { eventually } from '../../support/eventually.js';
import {
  type InvestigationHarness,
  startInvestigationHarness,
} from '../../support/investigation-harness.js';

let table: LocalTable;
let harness: InvestigationHarness | undefined;

beforeAll(async () => {
  table = await startLocalTable();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});
afterAll(() => table.stop());

const ADMIN = claimsFor('admin@example.com', ['GlobalAdmin']);

/** Approves as the API does, over the harness's table and engine. */
async function approveThroughApi(h: InvestigationHarness, actionId: string) {
  const workflow = engineWorkflow(h.engine);
  const decide = createDecideHandler({
    actions: h.stores.actions,
    investigations: h.stores.investigations,
    workflow,
    starter: workflow,
    stateMachineArn: h.stateMachineArn,
    policies: defaultApprovalPolicies(),
    clock: () => new Date(),
    callbackRetry: { attempts: 2, baseDelayMs: 1 },
    webhookCallbacks: {
      actions: h.stores.actions,
      investigations: h.stores.investigations,
      workflow,
      reports: new DynamoRemediationReports(table.doc, table.config),
      webhookSecret: async () => undefined,
      clock: () => new Date(),
    },
  });
  const response = await decide(
    apiEvent('POST', `/actions/${actionId}/approve`, { claims: ADMIN }),
    lambdaContext(),
  );
  return { status: response.statusCode, body: JSON.parse(response.body) };
}

const executionArnOf = (h: InvestigationHarness, alertId: string) =>
  `${h.stateMachineArn.replace(':stateMachine:', ':execution:')}:${investigationIdFor(alertId)}`;

async function auditOf(h: InvestigationHarness, actionIds: string[]) {
  const { items } = await h.stores.audit.list({ window: '1d', limit: 100 }, new Date());
  return items.filter((e) => actionIds.includes(e.actionId));
}

it('a stopped execution ends its investigation TerminatedByUser and the API refuses to approve its actions', async () => {
  // Prepare: two actions wait for a decision.
  harness = await startInvestigationHarness(table, { executionStatusEvents: true });
  const alert = anAlert('alert-stopped-by-operator', [
    file('stopped-a', 'malicious'),
    file('stopped-b', 'malicious'),
  ]);
  await harness.ingest(alert);
  const pending: Action[] = [];
  for (const target of ['stopped-a', 'stopped-b']) {
    pending.push(
      await harness.waitForAction(alert.alertId, target, (a) => a.status === 'Pending', 'Pending'),
    );
  }

  // Act
  await harness.engine.stopExecution({ executionArn: executionArnOf(harness, alert.alertId) });
  const h = harness;
  const { investigation, actions } = await eventually(
    async () => {
      const record = await h.stores.investigations.get(investigationIdFor(alert.alertId));
      return record.investigation.endedAt ? record : undefined;
    },
    { what: 'the investigation to end' },
  );

  // Assess: the actions are closed with the reason, audited by the System.
  expect(investigation.status).toBe('TerminatedByUser');
  expect(investigation.counts).toMatchObject({ actions: 2, pending: 0, rejected: 2 });
  const reason = "The investigation's workflow was stopped (ABORTED)";
  for (const action of actions) {
    expect(action).toMatchObject({
      status: 'Rejected',
      decision: { by: SYSTEM_ACTOR, automated: false, comment: reason },
    });
  }
  const audit = await auditOf(
    harness,
    pending.map((a) => a.id),
  );
  expect(audit.map((e) => [e.actor, e.event, e.before, e.after, e.comment])).toEqual([
    [SYSTEM_ACTOR, 'ActionRejected', 'Pending', 'Rejected', reason],
    [SYSTEM_ACTOR, 'ActionRejected', 'Pending', 'Rejected', reason],
  ]);
  expect((await harness.stores.actions.listPending({ limit: 50 }, new Date())).items).toEqual([]);

  // Assess: approving one now is a conflict that carries the action, never 200 queued.
  const answer = await approveThroughApi(harness, pending[0]?.id as string);
  expect(answer.status).toBe(409);
  expect(answer.body.remediation).toBeUndefined();
  expect(answer.body.action).toMatchObject({ id: pending[0]?.id, status: 'Rejected' });
});

it('a failed step ends its investigation Failed and closes the actions still waiting', async () => {
  // Prepare: Advance breaks, so the pass after rejecting one action fails the whole execution.
  harness = await startInvestigationHarness(table, {
    executionStatusEvents: true,
    brokenTasks: { Advance: 'The table is unreachable' },
  });
  const alert = anAlert('alert-failed-step', [
    file('failed-step-a', 'malicious'),
    file('failed-step-b', 'malicious'),
  ]);
  await harness.ingest(alert);
  const waiting = await harness.waitForAction(
    alert.alertId,
    'failed-step-b',
    (a) => a.status === 'Pending',
    'Pending',
  );

  // Act
  await harness.decide(alert.alertId, 'failed-step-a', 'reject');
  const ended = await harness.finished(alert.alertId);
  const h = harness;
  const closed = await h.waitForAction(
    alert.alertId,
    'failed-step-b',
    (a) => a.status !== 'Pending',
    'closed',
  );

  // Assess
  // No Catch: the step's own error fails the execution, as the Lambda reported it.
  expect(ended).toMatchObject({ status: 'FAILED', error: 'Error' });
  expect(closed).toMatchObject({
    status: 'Rejected',
    decision: {
      by: SYSTEM_ACTOR,
      comment: expect.stringMatching(/^The investigation's workflow failed \(FAILED\): Error\b/),
    },
  });
  const { investigation } = await eventually(
    async () => {
      const record = await h.stores.investigations.get(investigationIdFor(alert.alertId));
      return record.investigation.counts.pending === 0 ? record : undefined;
    },
    { what: 'the investigation to count no pending action' },
  );
  expect(investigation).toMatchObject({ status: 'Failed', counts: { rejected: 2 } });
  const answer = await approveThroughApi(harness, waiting.id);
  expect(answer.status).toBe(409);
  expect(answer.body.action).toMatchObject({ id: waiting.id, status: 'Rejected' });
});
