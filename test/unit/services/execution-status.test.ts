// Execution status changes over fakes: an execution that failed, timed out or was stopped ends its
// investigation and closes its open actions with the reason, once, and only for our state machine.
import { SYSTEM_ACTOR } from '../../../functions/core/action-changes.js';
import type { Action, ActionStatus } from '../../../functions/core/model.js';
import {
  type ExecutionStatusPorts,
  endInvestigation,
} from '../../../functions/services/execution-status.js';
import { createAdvanceHandler } from '../../../functions/services/workflow/advance.js';
import { makeAction, makeInvestigation, plus, T0, WEEK_SECONDS } from '../../fixtures/actions.js';
import {
  SAMPLE,
  SAMPLE_INVESTIGATION_ID,
  STATE_MACHINE_ARN,
  statusChange,
} from '../../fixtures/execution-status-events.js';
import { type FakePorts, fakePorts } from './workflow/fakes.js';

const ALERT_ID = 'alert-stopped';
const NOW = plus(T0, 3600);

let ports: FakePorts;
let statusPorts: ExecutionStatusPorts;

/** The sample's investigation, PendingApproval, with one action in each of `statuses`. */
async function investigationWith(...statuses: ActionStatus[]): Promise<Action[]> {
  await ports.fakes.investigations.createOnce({
    investigation: makeInvestigation({ alertId: ALERT_ID, status: 'PendingApproval' }),
    evidence: [],
  });
  return statuses.map((status, i) => {
    const action = makeAction({
      alertId: ALERT_ID,
      targetId: `target-${i}-${status}`,
      status,
      ...(status !== 'Pending' && {
        decision: { by: 'analyst@contoso.example', at: T0.toISOString(), automated: false },
      }),
    });
    ports.fakes.actions.seed(action);
    return action;
  });
}

const stored = async () => ports.fakes.investigations.get(SAMPLE_INVESTIGATION_ID);
const statusOf = async (id: string) => (await ports.fakes.actions.get(id))?.status;

beforeEach(() => {
  ports = fakePorts(NOW);
  statusPorts = { ...ports, stateMachineArn: STATE_MACHINE_ARN };
});

describe('a stopped execution (ABORTED)', () => {
  it('ends the investigation TerminatedByUser and closes each open action with the reason', async () => {
    // Prepare
    const [pending, approved, running, completed] = await investigationWith(
      'Pending',
      'Approved',
      'Running',
      'Completed',
    );

    // Act
    const result = await endInvestigation(SAMPLE, statusPorts);

    // Assess
    expect(result).toEqual({
      outcome: 'ended',
      investigationId: SAMPLE_INVESTIGATION_ID,
      status: 'TerminatedByUser',
      closed: 3,
    });
    const { investigation, actions } = await stored();
    expect(investigation).toMatchObject({ status: 'TerminatedByUser', endedAt: NOW.toISOString() });
    expect(investigation.counts).toMatchObject({ actions: 4, pending: 0, rejected: 1, failed: 2 });
    const byId = new Map(actions.map((a) => [a.id, a]));
    const reason = "The investigation's workflow was stopped (ABORTED)";
    expect(byId.get(pending?.id as string)).toMatchObject({
      status: 'Rejected',
      decision: { by: SYSTEM_ACTOR, at: NOW.toISOString(), automated: false, comment: reason },
    });
    for (const id of [approved?.id, running?.id]) {
      expect(byId.get(id as string)).toMatchObject({
        status: 'Failed',
        result: { outcome: 'Failed', detail: reason, at: NOW.toISOString() },
      });
    }
    expect(byId.get(completed?.id as string)?.status).toBe('Completed');
  });

  it('audits each closed action once, as the System, with the reason', async () => {
    // Prepare
    const [pending, approved, running] = await investigationWith('Pending', 'Approved', 'Running');

    // Act
    await endInvestigation(SAMPLE, statusPorts);

    // Assess
    const reason = "The investigation's workflow was stopped (ABORTED)";
    expect(ports.fakes.audit).toEqual([
      expect.objectContaining({
        actor: SYSTEM_ACTOR,
        event: 'ActionRejected',
        actionId: pending?.id,
        before: 'Pending',
        after: 'Rejected',
        comment: reason,
      }),
      expect.objectContaining({
        actor: SYSTEM_ACTOR,
        event: 'ActionFailed',
        actionId: approved?.id,
        before: 'Approved',
        after: 'Failed',
        comment: reason,
      }),
      expect.objectContaining({
        actor: SYSTEM_ACTOR,
        event: 'ActionFailed',
        actionId: running?.id,
        before: 'Running',
        after: 'Failed',
        comment: reason,
      }),
    ]);
  });

  it('expires a pending action whose time had already run out, rather than rejecting it', async () => {
    // Prepare
    ports = fakePorts(plus(T0, WEEK_SECONDS + 60));
    statusPorts = { ...ports, stateMachineArn: STATE_MACHINE_ARN };
    const [lapsed] = await investigationWith('Pending');

    // Act
    await endInvestigation(SAMPLE, statusPorts);

    // Assess
    expect(await statusOf(lapsed?.id as string)).toBe('Expired');
    expect(ports.fakes.audit.map((e) => e.event)).toEqual(['ActionExpired']);
  });
});

describe.each([
  [
    'FAILED',
    'States.TaskFailed',
    'A step broke',
    'failed (FAILED): States.TaskFailed: A step broke',
  ],
  ['TIMED_OUT', null, null, 'timed out (TIMED_OUT)'],
])('an execution that ended %s', (status, error, cause, said) => {
  it('ends the investigation Failed and closes its open actions with the reason', async () => {
    // Prepare
    const [pending] = await investigationWith('Pending', 'Rejected');

    // Act
    const result = await endInvestigation(statusChange({ status, error, cause }), statusPorts);

    // Assess
    expect(result).toMatchObject({ outcome: 'ended', status: 'Failed', closed: 1 });
    const { investigation } = await stored();
    expect(investigation).toMatchObject({ status: 'Failed', endedAt: NOW.toISOString() });
    expect(await ports.fakes.actions.get(pending?.id as string)).toMatchObject({
      status: 'Rejected',
      decision: { by: SYSTEM_ACTOR, comment: `The investigation's workflow ${said}` },
    });
  });
});

describe('a replayed event (EventBridge delivers at least once)', () => {
  it('changes nothing the second time', async () => {
    // Prepare
    await investigationWith('Pending', 'Approved');
    await endInvestigation(SAMPLE, statusPorts);
    const before = await stored();
    const writes = ports.fakes.investigations.updates;
    ports.fakes.advance(60);

    // Act
    const again = await endInvestigation(SAMPLE, statusPorts);

    // Assess
    expect(again).toEqual({
      outcome: 'unchanged',
      investigationId: SAMPLE_INVESTIGATION_ID,
      status: 'TerminatedByUser',
      closed: 0,
    });
    expect(ports.fakes.investigations.updates).toBe(writes);
    expect(ports.fakes.audit).toHaveLength(2);
    expect(await stored()).toEqual(before);
  });

  it('finishes the investigation when the first delivery closed the actions but stopped before it', async () => {
    // Prepare: the actions are closed, the investigation still says PendingApproval.
    const [pending] = await investigationWith('Pending');
    await ports.actions.transition(pending?.id as string, 'Rejected', NOW);

    // Act
    const result = await endInvestigation(SAMPLE, statusPorts);

    // Assess
    expect(result).toMatchObject({ outcome: 'ended', status: 'TerminatedByUser', closed: 0 });
    expect((await stored()).investigation.counts).toMatchObject({ pending: 0, rejected: 1 });
  });
});

describe('a task of the ended execution that was still running', () => {
  it('does not reopen the ended investigation', async () => {
    // Prepare: Failed, though its actions alone (all rejected) would say TerminatedByUser.
    await investigationWith('Pending', 'Pending');
    await endInvestigation(statusChange({ status: 'FAILED' }), statusPorts);

    // Act: its wait timed out at the expiry as the execution ended; the pass runs later.
    ports.fakes.advance(WEEK_SECONDS);
    await createAdvanceHandler(ports)({ investigationId: SAMPLE_INVESTIGATION_ID });

    // Assess
    expect((await stored()).investigation).toMatchObject({
      status: 'Failed',
      endedAt: NOW.toISOString(),
    });
  });
});

describe('an action that moves while the investigation is being closed', () => {
  it('is closed from where it moved to', async () => {
    // Prepare: the investigation was read with the action Pending; an approval lands first.
    const [pending] = await investigationWith('Pending');
    const snapshot = await stored();
    await ports.fakes.actions.transition(pending?.id as string, 'Approved', NOW);
    let reads = 0;
    const stale: ExecutionStatusPorts = {
      ...statusPorts,
      investigations: {
        get: async (id) => {
          reads += 1;
          return reads === 1 ? snapshot : ports.fakes.investigations.get(id);
        },
        update: (id, patch) => ports.investigations.update(id, patch),
      },
    };

    // Act
    await endInvestigation(SAMPLE, stale);

    // Assess
    expect(await statusOf(pending?.id as string)).toBe('Failed');
    expect(ports.fakes.audit.map((e) => [e.event, e.before])).toEqual([
      ['ActionFailed', 'Approved'],
    ]);
  });
});

describe('an investigation the workflow had already concluded', () => {
  it('keeps its status and still closes the actions left open', async () => {
    // Prepare: FinalizeAfterError marked it Failed; another branch's action still waits.
    const [pending] = await investigationWith('Pending');
    await ports.fakes.investigations.update(SAMPLE_INVESTIGATION_ID, {
      status: 'Failed',
      endedAt: T0.toISOString(),
    });

    // Act
    const result = await endInvestigation(SAMPLE, statusPorts);

    // Assess
    expect(result).toMatchObject({ outcome: 'ended', status: 'Failed', closed: 1 });
    expect((await stored()).investigation).toMatchObject({
      status: 'Failed',
      endedAt: T0.toISOString(),
    });
    expect(await statusOf(pending?.id as string)).toBe('Rejected');
  });
});

describe('events that end no investigation', () => {
  it.each(['SUCCEEDED', 'RUNNING'])('ignores an execution %s', async (status) => {
    // Prepare
    const [pending] = await investigationWith('Pending');

    // Act
    const result = await endInvestigation(statusChange({ status }), statusPorts);

    // Assess
    expect(result.outcome).toBe('ignored');
    expect(await statusOf(pending?.id as string)).toBe('Pending');
    expect(ports.fakes.investigations.updates).toBe(0);
  });

  it('ignores an execution of another state machine', async () => {
    // Prepare
    const [pending] = await investigationWith('Pending');
    const other = STATE_MACHINE_ARN.replace('ActionCenter-investigation', 'SomeoneElse');

    // Act
    const result = await endInvestigation(statusChange({ stateMachineArn: other }), statusPorts);

    // Assess
    expect(result).toEqual({ outcome: 'ignored', reason: 'An execution of another state machine' });
    expect(await statusOf(pending?.id as string)).toBe('Pending');
    expect(ports.fakes.audit).toEqual([]);
  });

  it('ignores an event that is not an execution status change', async () => {
    // Act
    const result = await endInvestigation(
      { ...SAMPLE, source: 'actioncenter.alerts', 'detail-type': 'Security Alert' },
      statusPorts,
    );

    // Assess
    expect(result.outcome).toBe('ignored');
  });

  it('ignores an execution whose input names another investigation than its alert', async () => {
    // Prepare: Normalize refuses such an input, so that execution never worked on either.
    const [pending] = await investigationWith('Pending');
    const input = JSON.parse(SAMPLE.detail.input) as Record<string, unknown>;
    const mismatched = JSON.stringify({ ...input, investigationId: 'inv-00000000000000000000' });

    // Act
    const result = await endInvestigation(statusChange({ input: mismatched }), statusPorts);

    // Assess
    expect(result).toEqual({ outcome: 'ignored', reason: 'The execution names no investigation' });
    expect(await statusOf(pending?.id as string)).toBe('Pending');
  });

  it('ignores an execution of an investigation that was never recorded', async () => {
    // Act
    const result = await endInvestigation(SAMPLE, statusPorts);

    // Assess
    expect(result).toEqual({
      outcome: 'ignored',
      reason: `Investigation ${SAMPLE_INVESTIGATION_ID} does not exist`,
    });
  });
});

describe('the investigation of an execution', () => {
  it('is read from the execution name when the event leaves the input out (too large)', async () => {
    // Prepare
    const [pending] = await investigationWith('Pending');

    // Act
    const result = await endInvestigation(
      statusChange({ input: null, inputDetails: { included: false } }),
      statusPorts,
    );

    // Assess
    expect(result).toMatchObject({ outcome: 'ended', investigationId: SAMPLE_INVESTIGATION_ID });
    expect(await statusOf(pending?.id as string)).toBe('Rejected');
  });
});
