// Advance's undo step over fakes: a Completed action with `undoRequested` is undone through its
// connector once, a transient failure is retried with the remediation's rules, a refusal is kept on
// the action, and a replayed pass (a crash, a redelivery) never undoes it twice.

import { defaultApprovalPolicies } from '../../../../functions/adapters/cedar/index.js';
import { normalizeAlert, openInvestigation } from '../../../../functions/core/alert.js';
import { investigationIdFor } from '../../../../functions/core/ids.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';
import { undoAction } from '../../../../functions/services/undo.js';
import { createAdvanceHandler } from '../../../../functions/services/workflow/advance.js';
import { createInvestigateHandler } from '../../../../functions/services/workflow/investigate.js';
import { anAlert, file } from '../../../fixtures/alerts.js';
import { decisionAudit } from '../../../support/audit-records.js';
import { type FakePorts, fakePorts } from './fakes.js';

const INV = investigationIdFor('alert-undo');
const T0 = '2026-11-01T12:00:00.000Z';
const OPERATOR = { user: 'analyst@example.com', roles: ['GlobalAdmin' as const] };

let ports: FakePorts;
const starts: { name: string; input: unknown }[] = [];

beforeEach(() => {
  ports = fakePorts(new Date(T0));
  starts.length = 0;
});

const advance = () => createAdvanceHandler(ports)({ investigationId: INV });
const stored = async (id: string) => (await ports.actions.get(id)) as Action;
const undoEvents = () =>
  ports.fakes.audit
    .filter((e) => e.event.startsWith('Undo') || e.event === 'ActionUndone')
    .map((e) => [e.event, e.actor, e.after]);

/** The API's undo over the same fakes, answering at once (no wait). */
const requestUndo = (actionId: string) =>
  undoAction(
    {
      ...ports,
      policies: defaultApprovalPolicies(),
      starter: {
        startInvestigation: async (_arn, name, input) => {
          starts.push({ name, input });
          return { started: true };
        },
      },
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:ac',
      undoWait: { seconds: 0 },
    },
    OPERATOR,
    actionId,
    { comment: 'business app' },
  );

/** A Completed file action; `keepOpen` leaves a second one Pending so the investigation stays open. */
async function completed(keepOpen = true): Promise<Action> {
  const entities = [file('f1', 'malicious'), ...(keepOpen ? [file('f2', 'malicious')] : [])];
  await ports.investigations.createOnce(
    openInvestigation(normalizeAlert(anAlert('alert-undo', entities)), ports.clock()),
  );
  await createInvestigateHandler(ports)({ investigationId: INV });
  const [action] = ports.actions.of(INV) as [Action];
  const verdict = { verdict: 'approve' as const, by: 'analyst' };
  await ports.actions.decide(
    action.id,
    verdict,
    ports.clock(),
    decisionAudit(action.id, verdict, ports.clock()),
  );
  await advance();
  ports.fakes.audit.length = 0;
  ports.fakes.connector.calls.length = 0;
  return stored(action.id);
}

describe('an undo request', () => {
  it('is recorded and audited, and wakes the open investigation', async () => {
    const action = await completed();
    await ports.investigations.registerWait(INV, 'token-1');

    const outcome = await requestUndo(action.id);

    expect(outcome.finished).toBe(false);
    expect(outcome.action.undoRequested).toEqual({
      by: OPERATOR.user,
      at: T0,
      comment: 'business app',
    });
    expect(undoEvents()).toEqual([['UndoRequested', OPERATOR.user, 'Completed']]);
    expect(ports.fakes.workflow.resumed).toEqual([
      { taskToken: 'token-1', output: { investigationId: INV } },
    ]);
    expect(starts).toEqual([]);
  });

  it('reopens a concluded investigation under its next execution name', async () => {
    const action = await completed(false);
    expect((await ports.investigations.get(INV)).investigation.endedAt).toBeDefined();

    await requestUndo(action.id);

    expect(starts).toEqual([{ name: `${INV}-u1`, input: { investigationId: INV } }]);
    expect((await ports.investigations.get(INV)).investigation.endedAt).toBeUndefined();
  });

  it('is refused (409 with the action) while another is under way', async () => {
    const action = await completed();
    await requestUndo(action.id);

    await expect(requestUndo(action.id)).rejects.toMatchObject({
      code: 'Conflict',
      action: { undoRequested: { by: OPERATOR.user } },
    });
  });
});

describe('Advance: undo', () => {
  it('undoes the action through its connector and records Undone, audited for the operator', async () => {
    const action = await completed();
    await requestUndo(action.id);

    const state = await advance();

    expect(await stored(action.id)).toMatchObject({
      status: 'Undone',
      result: { outcome: 'Restored', at: T0 },
    });
    expect(ports.fakes.connector.calls).toEqual([{ verb: 'undo', actionId: action.id }]);
    expect(undoEvents()).toEqual([
      ['UndoRequested', OPERATOR.user, 'Completed'],
      ['ActionUndone', OPERATOR.user, 'Undone'],
    ]);
    expect(state.done).toBe(false);
  });

  it('keeps the loop going while an undo waits, and is done once it is settled', async () => {
    const action = await completed(false);
    await requestUndo(action.id);

    const state = await advance();

    expect(await stored(action.id)).toMatchObject({ status: 'Undone' });
    expect(state.done).toBe(true);
    expect((await ports.investigations.get(INV)).investigation.endedAt).toBeDefined();
  });

  it('retries a transient failure with the remediation retries, then keeps the failure on the action', async () => {
    // Prepare: connectorRetry allows 2 retries; the target stays unreachable.
    const action = await completed();
    await requestUndo(action.id);
    for (let i = 0; i < 3; i += 1) {
      ports.fakes.connector.undoScript.push(new ConnectorTransientError('unreachable'));
    }

    // Act
    const first = await advance();
    ports.fakes.advance(2);
    await advance();
    ports.fakes.advance(4);
    await advance();

    // Assess
    expect(first).toMatchObject({ done: false, waitSeconds: 2 });
    expect(ports.fakes.connector.calls.filter((c) => c.verb === 'undo')).toHaveLength(3);
    const after = await stored(action.id);
    expect(after.status).toBe('Completed');
    expect(after.undoRequested).toBeUndefined();
    expect(after.undoFailure).toMatchObject({
      requestedAt: T0,
      retryable: true,
      reason: 'ConnectorTransientError: unreachable',
    });
    expect(undoEvents().at(-1)).toEqual(['UndoFailed', 'System', 'Completed']);
  });

  it('keeps a refusal at once, and takes a new request afterwards', async () => {
    const action = await completed();
    await requestUndo(action.id);
    ports.fakes.connector.undoScript.push(new ConnectorPermanentError('locked by policy'));

    await advance();
    // A minute later: one change of an action is one audit record (its action, event, time,
    // status and actor); two identical in all of those would be taken for one.
    ports.fakes.advance(60);
    const again = await requestUndo(action.id);

    expect(again.action.undoFailure).toBeUndefined();
    expect(again.action.undoRequested).toBeDefined();
    expect(undoEvents().map(([event]) => event)).toEqual([
      'UndoRequested',
      'UndoFailed',
      'UndoRequested',
    ]);
  });

  it('never undoes twice when a pass is replayed after the action was recorded Undone', async () => {
    const action = await completed();
    await requestUndo(action.id);
    await advance();

    await advance();

    expect(ports.fakes.connector.calls.filter((c) => c.verb === 'undo')).toHaveLength(1);
    expect(undoEvents().filter(([event]) => event === 'ActionUndone')).toHaveLength(1);
  });

  it('asks the connector again with the same action after a crash before Undone was recorded, and records it once', async () => {
    // Prepare: the first pass dies between the connector's undo and the write of Undone.
    const action = await completed();
    await requestUndo(action.id);
    const transition = ports.actions.transition.bind(ports.actions);
    ports.actions.transition = async () => {
      throw new Error('Lambda timed out');
    };
    await expect(advance()).rejects.toThrow('Lambda timed out');
    ports.actions.transition = transition;

    // Act: the retried pass.
    await advance();

    // Assess: the connector got the same action id both times (its undo is idempotent per
    // action: `<id>:undo` for the webhook, the journal for builtin); Undone is recorded once.
    const undos = ports.fakes.connector.calls.filter((c) => c.verb === 'undo');
    expect(undos).toEqual([
      { verb: 'undo', actionId: action.id },
      { verb: 'undo', actionId: action.id },
    ]);
    expect(await stored(action.id)).toMatchObject({ status: 'Undone' });
    expect(undoEvents().filter(([event]) => event === 'ActionUndone')).toHaveLength(1);
  });
});
