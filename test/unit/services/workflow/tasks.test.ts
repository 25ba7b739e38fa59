// The task handlers over fakes: what each does to the action, the audit log and the
// investigation, and that running one again (a retried or replayed task) does no harm.
import { dedupKeyOf } from '../../../../functions/core/catalog.js';
import { investigationIdFor } from '../../../../functions/core/ids.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';
import { createAnalyzeHandler } from '../../../../functions/services/workflow/analyze.js';
import { createAwaitDecisionHandler } from '../../../../functions/services/workflow/await-decision.js';
import { createFinalizeHandler } from '../../../../functions/services/workflow/finalize.js';
import { createMarkExpiredHandler } from '../../../../functions/services/workflow/mark-expired.js';
import { createMarkRejectedHandler } from '../../../../functions/services/workflow/mark-rejected.js';
import { createNormalizeHandler } from '../../../../functions/services/workflow/normalize.js';
import { createPlanHandler } from '../../../../functions/services/workflow/plan.js';
import { createRecordAutomatedApprovalHandler } from '../../../../functions/services/workflow/record-automated-approval.js';
import { createRecordRemediationFailureHandler } from '../../../../functions/services/workflow/record-remediation-failure.js';
import { createRemediateHandler } from '../../../../functions/services/workflow/remediate.js';
import { anAlert, file, message, url } from '../../../fixtures/alerts.js';
import { type FakePorts, fakePorts } from './fakes.js';

const ALERT = anAlert('alert-h', [file('f1', 'malicious'), url('u1', 'suspicious')]);
const INV = investigationIdFor('alert-h');

let ports: FakePorts;

/** The investigation recorded and planned; answers the proposed actions. */
async function planned(p: FakePorts, alert = ALERT): Promise<Action[]> {
  const normalized = await createNormalizeHandler(p)({ alert });
  const analysis = await createAnalyzeHandler(p)(normalized);
  const plan = await createPlanHandler(p)({
    investigationId: normalized.investigationId,
    alertId: alert.alertId,
    severity: alert.severity,
    evidence: analysis.evidence,
    threatsFound: analysis.threatsFound,
  });
  return plan.actions.map((proposal) => proposal.action);
}

const investigation = async () => (await ports.fakes.investigations.get(INV)).investigation;

beforeEach(() => {
  ports = fakePorts();
});

describe('Normalize', () => {
  it('throws InvalidAlert for input that is not an alert', async () => {
    await expect(createNormalizeHandler(ports)({ alert: { alertId: 42 } })).rejects.toMatchObject({
      name: 'InvalidAlert',
    });
    expect(ports.fakes.investigations.items.size).toBe(0);
  });

  it('throws InvalidAlert when the investigation id is not the alert’s', async () => {
    await expect(
      createNormalizeHandler(ports)({ investigationId: 'inv-00000000000000000000', alert: ALERT }),
    ).rejects.toMatchObject({ name: 'InvalidAlert' });
  });

  it('records the investigation once, however often it runs', async () => {
    const normalize = createNormalizeHandler(ports);

    const first = await normalize({ investigationId: INV, alert: ALERT });
    await normalize({ investigationId: INV, alert: ALERT });

    expect(first.investigationId).toBe(INV);
    expect([...ports.fakes.investigations.items.keys()]).toEqual([INV]);
  });
});

describe('Analyze', () => {
  it('keeps the analyzed evidence on the investigation', async () => {
    const alert = anAlert('alert-h', [
      message('m1', 'malicious', 'c1'),
      message('m2', 'clean', 'c1'),
    ]);
    await createNormalizeHandler(ports)({ alert });

    const analysis = await createAnalyzeHandler(ports)({ investigationId: INV, alert });

    const { evidence } = await ports.fakes.investigations.get(INV);
    expect(evidence).toEqual(analysis.evidence);
    expect(evidence.map((e) => e.kind)).toEqual(['emailMessage', 'emailCluster', 'emailMessage']);
  });
});

describe('AwaitDecision', () => {
  it('registers the pending action with its token, expiring one TTL from now', async () => {
    const [action] = await planned(ports);
    ports.fakes.advance(30);

    const result = await createAwaitDecisionHandler(ports)({
      taskToken: 'token-1',
      investigationId: INV,
      action: action as Action,
    });

    expect(result).toEqual({ actionId: action?.id, status: 'Pending' });
    const stored = ports.fakes.actions.items.get(action?.id as string);
    expect(stored?.taskToken).toBe('token-1');
    expect(stored?.action).toMatchObject({
      status: 'Pending',
      createdAt: '2026-11-01T12:00:30.000Z',
      expiresAt: '2026-11-08T12:00:30.000Z',
    });
    expect((await investigation()).status).toBe('PendingApproval');
    expect(ports.fakes.workflow.calls).toEqual([]);
  });

  it('closes an action it registers after its investigation ended (execution stopped meanwhile)', async () => {
    // Prepare: executionStatus ended the investigation while this AwaitDecision was still running.
    const [action] = (await planned(ports)) as [Action];
    await ports.fakes.investigations.update(INV, {
      status: 'TerminatedByUser',
      endedAt: '2026-11-01T12:00:05.000Z',
    });

    // Act
    const result = await createAwaitDecisionHandler(ports)({
      taskToken: 'token-late',
      investigationId: INV,
      action,
    });

    // Assess
    expect(result).toEqual({ actionId: action.id, status: 'Rejected' });
    expect(ports.fakes.actions.items.get(action.id)?.action.decision).toMatchObject({
      by: 'System',
      comment: expect.stringContaining('TerminatedByUser'),
    });
    expect(ports.fakes.audit.map((e) => [e.event, e.actor, e.before, e.after])).toEqual([
      ['ActionRejected', 'System', 'Pending', 'Rejected'],
    ]);
    expect((await investigation()).status).toBe('TerminatedByUser');
  });

  it('re-associates a new token when the wait is replayed while still pending', async () => {
    const [action] = await planned(ports);
    const awaitDecision = createAwaitDecisionHandler(ports);
    await awaitDecision({ taskToken: 'token-1', investigationId: INV, action: action as Action });

    const again = await awaitDecision({
      taskToken: 'token-2',
      investigationId: INV,
      action: action as Action,
    });

    expect(again.status).toBe('Pending');
    expect(ports.fakes.actions.items.get(action?.id as string)?.taskToken).toBe('token-2');
  });

  it('delivers an approval made before the wait was replayed to the new token', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({
      ...action,
      status: 'Approved',
      decision: { by: 'analyst', at: '2026-11-01T12:00:10.000Z', automated: false },
    });

    const result = await createAwaitDecisionHandler(ports)({
      taskToken: 'token-new',
      investigationId: INV,
      action,
    });

    expect(result).toMatchObject({ status: 'Approved', redelivered: 'approved' });
    expect(ports.fakes.workflow.calls).toEqual([
      {
        verb: 'approve',
        taskToken: 'token-new',
        detail: expect.objectContaining({ actionId: action.id }),
      },
    ]);
    expect(ports.fakes.actions.items.get(action.id)?.owed).toBe(false);
  });

  it('delivers a rejection made before the wait was replayed', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({
      ...action,
      status: 'Rejected',
      decision: { by: 'analyst', at: '2026-11-01T12:00:10.000Z', automated: false },
    });

    const result = await createAwaitDecisionHandler(ports)({
      taskToken: 't',
      investigationId: INV,
      action,
    });

    expect(result.redelivered).toBe('rejected');
    expect(ports.fakes.workflow.calls).toEqual([
      { verb: 'reject', taskToken: 't', detail: 'Rejected by analyst' },
    ]);
  });

  it('lets an action already remediated go on (Remediate does nothing twice)', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Completed' });

    const result = await createAwaitDecisionHandler(ports)({
      taskToken: 't',
      investigationId: INV,
      action,
    });

    expect(result).toMatchObject({ status: 'Completed', redelivered: 'approved' });
  });

  it('throws ActionExpired for an action whose pending time already ran out', async () => {
    const [action] = (await planned(ports)) as [Action];
    const awaitDecision = createAwaitDecisionHandler(ports);
    await awaitDecision({ taskToken: 't1', investigationId: INV, action });
    ports.fakes.advance(604_800);

    await expect(
      awaitDecision({ taskToken: 't2', investigationId: INV, action }),
    ).rejects.toMatchObject({ name: 'ActionExpired' });
  });
});

describe('RecordAutomatedApproval', () => {
  it('stores the action approved by Automation and audits it once', async () => {
    ports.settings.automation = { endpoint: 'full', email: 'semi' };
    const [action] = (await planned(ports)) as [Action];
    const record = createRecordAutomatedApprovalHandler(ports);

    await record({ investigationId: INV, action });
    const again = await record({ investigationId: INV, action });

    expect(again).toEqual({ actionId: action.id, status: 'Approved' });
    expect(ports.fakes.audit).toEqual([
      expect.objectContaining({
        actor: 'Automation',
        event: 'ActionApproved',
        before: null,
        after: 'Approved',
      }),
    ]);
    expect((await investigation()).status).toBe('Running');
  });
});

describe('Remediate', () => {
  async function approved(): Promise<Action> {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({
      ...action,
      status: 'Approved',
      decision: { by: 'analyst', at: '2026-11-01T12:00:05.000Z', automated: false },
    });
    return action;
  }

  it('runs the connector and completes the action with its outcome', async () => {
    const action = await approved();
    ports.fakes.connector.script.push({ outcome: 'FileQuarantined', detail: 'moved to vault' });

    const result = await createRemediateHandler(ports)({
      investigationId: INV,
      actionId: action.id,
    });

    expect(result).toMatchObject({
      status: 'Completed',
      result: { outcome: 'FileQuarantined', detail: 'moved to vault' },
    });
    expect(ports.fakes.audit).toEqual([
      expect.objectContaining({
        actor: 'System',
        event: 'ActionCompleted',
        before: 'Running',
        after: 'Completed',
      }),
    ]);
    expect((await investigation()).counts.completed).toBe(1);
  });

  it('lets a transient connector error through by name and completes on the retry', async () => {
    const action = await approved();
    ports.fakes.connector.script.push(new ConnectorTransientError('EDR busy'));
    const remediate = createRemediateHandler(ports);

    await expect(remediate({ investigationId: INV, actionId: action.id })).rejects.toMatchObject({
      name: 'ConnectorTransientError',
    });
    expect((await ports.actions.get(action.id))?.status).toBe('Running');
    const retried = await remediate({ investigationId: INV, actionId: action.id });

    expect(retried.status).toBe('Completed');
    expect(ports.fakes.connector.executed).toEqual([action.id, action.id]);
  });

  it('lets a permanent connector error through by name', async () => {
    const action = await approved();
    ports.fakes.connector.script.push(new ConnectorPermanentError('refused'));

    await expect(
      createRemediateHandler(ports)({ investigationId: INV, actionId: action.id }),
    ).rejects.toMatchObject({ name: 'ConnectorPermanentError', message: 'refused' });
  });

  it('skips a duplicate of an action approved within the window, without the connector', async () => {
    const action = await approved();
    ports.fakes.dedup.claims.set(dedupKeyOf(action.type, action.target), {
      actionId: 'act-other',
      approvedAt: '2026-11-01T11:59:00.000Z',
    });

    const result = await createRemediateHandler(ports)({
      investigationId: INV,
      actionId: action.id,
    });

    expect(result).toMatchObject({
      status: 'Skipped',
      skippedBecause: { duplicateOf: 'act-other', approvedAt: '2026-11-01T11:59:00.000Z' },
    });
    expect(ports.fakes.connector.executed).toEqual([]);
    expect(ports.fakes.audit.map((e) => [e.event, e.actor])).toEqual([['ActionSkipped', 'System']]);
  });

  it('does nothing more for an action already completed (a replayed task)', async () => {
    const action = await approved();
    const remediate = createRemediateHandler(ports);
    await remediate({ investigationId: INV, actionId: action.id });

    const replay = await remediate({ investigationId: INV, actionId: action.id });

    expect(replay.status).toBe('Completed');
    expect(ports.fakes.connector.executed).toHaveLength(1);
    expect(ports.fakes.audit).toHaveLength(1);
  });
});

describe('RecordRemediationFailure', () => {
  it('fails the action with the reason from the Lambda error, audited once', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Running' });
    const record = createRecordRemediationFailureHandler(ports);
    const error = {
      Error: 'ConnectorPermanentError',
      Cause: JSON.stringify({
        errorType: 'ConnectorPermanentError',
        errorMessage: 'device offline',
      }),
    };

    await record({ investigationId: INV, actionId: action.id, error });
    const again = await record({ investigationId: INV, actionId: action.id, error });

    expect(again.status).toBe('Failed');
    expect((await ports.actions.get(action.id))?.result).toMatchObject({
      outcome: 'Failed',
      detail: 'ConnectorPermanentError: device offline',
    });
    expect(ports.fakes.audit.map((e) => [e.event, e.before, e.after])).toEqual([
      ['ActionFailed', 'Running', 'Failed'],
    ]);
  });

  it('fails an action that broke before it started running', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Approved' });

    const result = await createRecordRemediationFailureHandler(ports)({
      investigationId: INV,
      actionId: action.id,
      error: { Error: 'States.Runtime', Cause: 'bad path' },
    });

    expect(result.status).toBe('Failed');
  });
});

describe('MarkExpired', () => {
  it('expires a pending action once, by the System', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed(action);
    const markExpired = createMarkExpiredHandler(ports);

    await markExpired({
      investigationId: INV,
      actionId: action.id,
      error: { Error: 'States.Timeout' },
    });
    await markExpired({ investigationId: INV, actionId: action.id });

    expect((await ports.actions.get(action.id))?.status).toBe('Expired');
    expect(ports.fakes.audit.map((e) => [e.event, e.actor, e.before])).toEqual([
      ['ActionExpired', 'System', 'Pending'],
    ]);
  });

  it('expires an approval that reached the workflow too late', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Approved' });

    const result = await createMarkExpiredHandler(ports)({
      investigationId: INV,
      actionId: action.id,
    });

    expect(result.status).toBe('Expired');
  });
});

describe('MarkRejected', () => {
  it('leaves an action the API rejected as it is, without another audit entry', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed({ ...action, status: 'Rejected' });

    const result = await createMarkRejectedHandler(ports)({
      investigationId: INV,
      actionId: action.id,
    });

    expect(result.status).toBe('Rejected');
    expect(ports.fakes.audit).toEqual([]);
  });

  it('records a rejection that arrived without a decision as the System’s', async () => {
    const [action] = (await planned(ports)) as [Action];
    ports.fakes.actions.seed(action);

    await createMarkRejectedHandler(ports)({
      investigationId: INV,
      actionId: action.id,
      error: { Error: 'ActionRejected', Cause: 'change freeze' },
    });

    expect(await ports.actions.get(action.id)).toMatchObject({
      status: 'Rejected',
      decision: { by: 'System', comment: 'ActionRejected: change freeze' },
    });
    expect(ports.fakes.audit.map((e) => e.event)).toEqual(['ActionRejected']);
  });
});

describe('Finalize', () => {
  it('sets the final status, counts and end time', async () => {
    const [a, b] = (await planned(ports)) as [Action, Action];
    ports.fakes.actions.seed({ ...a, status: 'Completed' });
    ports.fakes.actions.seed({ ...b, status: 'Rejected' });
    ports.fakes.advance(60);

    const result = await createFinalizeHandler(ports)({ investigationId: INV, threatsFound: true });

    expect(result).toMatchObject({
      id: INV,
      status: 'PartiallyRemediated',
      counts: { actions: 2, completed: 1, rejected: 1 },
      endedAt: '2026-11-01T12:01:00.000Z',
    });
  });

  it('finds no threats in an investigation without threats or actions', async () => {
    await createNormalizeHandler(ports)({ alert: anAlert('alert-h', [file('f', 'clean')]) });

    const result = await createFinalizeHandler(ports)({
      investigationId: INV,
      threatsFound: false,
    });

    expect(result.status).toBe('NoThreatsFound');
  });

  it('marks the investigation Failed when the workflow broke, keeping the first end time', async () => {
    await planned(ports);
    const finalize = createFinalizeHandler(ports);
    const failure = { Error: 'States.Runtime', Cause: 'boom' };

    const first = await finalize({ investigationId: INV, failure });
    ports.fakes.advance(5);
    const again = await finalize({ investigationId: INV, failure });

    expect(first.status).toBe('Failed');
    expect(again.endedAt).toBe(first.endedAt);
  });
});
