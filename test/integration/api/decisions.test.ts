import { SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { makeAction, plus, T0, WEEK_SECONDS } from '../../fixtures/actions.js';
import {
  ADMIN,
  ApiHarness,
  ARA,
  as,
  PURGER,
  READER,
  SEC_ADMIN,
  waitTokenFor,
} from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const sfnError = (name: string) => Object.assign(new Error(`${name} from the service`), { name });

const owedIds = async () => (await api.stores.actions.callbacksOwed(200)).map((a) => a.id);

async function auditOf(actionId: string) {
  const { items } = await api.stores.audit.list({ window: '180d', limit: 200 }, api.now);
  return items.filter((e) => e.actionId === actionId);
}

describe('POST /actions/{id}/approve', () => {
  it("approves, wakes the investigation's one wait with SendTaskSuccess and audits once; the wake is owed until the workflow moves the action on", async () => {
    const action = await api.pending();

    const res = await api.post(`/actions/${action.id}/approve`, {
      claims: ADMIN,
      body: { comment: 'confirmed malicious' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: action.id,
      status: 'Approved',
      decision: { by: 'admin@example.com', comment: 'confirmed malicious', automated: false },
    });
    expect(res.body.remediation).toBeUndefined();
    const resumes = api.resumes();
    expect(resumes).toHaveLength(1);
    expect(resumes[0]?.args[0].input.taskToken).toBe(waitTokenFor(action.investigationId));
    expect(JSON.parse(resumes[0]?.args[0].input.output ?? '{}')).toEqual({
      investigationId: action.investigationId,
    });
    expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(1);
    // No write on the operator's path settles it: the workflow's move does, in its own write.
    expect(await owedIds()).toContain(action.id);
    await api.stores.actions.transition(action.id, 'Running', api.now);
    expect(await owedIds()).not.toContain(action.id);
    expect(await auditOf(action.id)).toEqual([
      expect.objectContaining({
        event: 'ActionApproved',
        actor: 'admin@example.com',
        before: 'Pending',
        after: 'Approved',
        comment: 'confirmed malicious',
      }),
    ]);
  });

  it('answers 401 when the request carries no claims', async () => {
    const action = await api.pending();

    const res = await api.post(`/actions/${action.id}/approve`, { claims: null });

    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('Unauthorized');
    expect((await api.stores.actions.get(action.id))?.status).toBe('Pending');
  });

  it('answers 403 to a SecurityReader', async () => {
    const action = await api.pending();

    const res = await api.post(`/actions/${action.id}/approve`, { claims: READER });

    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('Forbidden');
    expect(api.resumes()).toHaveLength(0);
    expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(0);
  });

  it('answers 403 to a SecurityAdmin without SearchAndPurge on an email action', async () => {
    const action = await api.pendingEmail();

    const res = await api.post(`/actions/${action.id}/approve`, { claims: SEC_ADMIN });

    expect(res.status).toBe(403);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Pending');
  });

  it('lets a SecurityAdmin with SearchAndPurge approve an email action', async () => {
    const action = await api.pendingEmail();

    const res = await api.post(`/actions/${action.id}/approve`, { claims: PURGER });

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('Approved');
  });

  it('lets ActiveRemediationActions approve an endpoint action but not an email one', async () => {
    const endpoint = await api.pending();
    const email = await api.pendingEmail();

    const ok = await api.post(`/actions/${endpoint.id}/approve`, { claims: ARA });
    const refused = await api.post(`/actions/${email.id}/approve`, { claims: ARA });

    expect(ok.status).toBe(200);
    expect(refused.status).toBe(403);
  });

  it('answers 404 for an action that does not exist', async () => {
    const res = await api.post(`/actions/act-${'a'.repeat(20)}-${'b'.repeat(12)}/approve`, {
      claims: ADMIN,
    });

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NotFound');
  });

  it('answers 409 with the current action to a second decision, and wakes the investigation once', async () => {
    const action = await api.pending();
    await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    const second = await api.post(`/actions/${action.id}/reject`, { claims: SEC_ADMIN });

    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('Conflict');
    expect(second.body.action).toMatchObject({ id: action.id, status: 'Approved' });
    expect(api.resumes()).toHaveLength(1);
    expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(1);
    expect(await auditOf(action.id)).toHaveLength(1);
  });

  it('answers 410 once the action expired in the store, and records no decision', async () => {
    const action = await api.pending({
      createdAt: plus(api.now, -WEEK_SECONDS - 60).toISOString(),
    });

    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('Expired');
    expect(res.body.action).toMatchObject({ id: action.id, status: 'Expired' });
    expect((await api.stores.actions.get(action.id))?.decision).toBeUndefined();
    expect(api.resumes()).toHaveLength(0);
  });

  it('answers 410 for an action the workflow already marked Expired', async () => {
    const action = await api.pending();
    await api.stores.actions.transition(action.id, 'Expired', api.now);

    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    expect(res.status).toBe(410);
  });

  it.each(['TaskTimedOut', 'TaskDoesNotExist'])(
    // One rule with the reconciler (core/waits.ts): nothing is resent to a gone wait; the wake is
    // counted, so the loop's next wait ends at once and its pass takes the approval (and settles
    // what it was owed).
    'keeps the approval, not queued, and sends nothing more when SendTaskSuccess answers %s (the wait is gone)',
    async (name) => {
      const action = await api.pending();
      api.sfn.on(SendTaskSuccessCommand).rejects(sfnError(name));

      const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: action.id, status: 'Approved' });
      expect(res.body.remediation).toBeUndefined();
      expect(api.resumes()).toHaveLength(1);
      expect((await api.stores.actions.get(action.id))?.status).toBe('Approved');
      expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(1);
      expect(res.text).not.toContain('from the service');
    },
  );

  it('answers 200 and resumes nothing when the investigation has no wait registered yet (its loop is busy)', async () => {
    const investigation = await api.investigation(`alert-nowait-${Math.random()}`);
    const action = makeAction({
      alertId: investigation.alertIds[0],
      createdAt: plus(api.now, -60).toISOString(),
    });
    await api.stores.actions.putPending(action);

    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    expect(res.status).toBe(200);
    expect(res.body.remediation).toBeUndefined();
    expect(api.resumes()).toHaveLength(0);
    expect(await api.stores.investigations.wakesOf(investigation.id)).toBe(1);
  });

  it('retries a wake whose resume fails twice: one SendTaskSuccess lands and one decision is audited', async () => {
    const action = await api.pending();
    api.sfn
      .on(SendTaskSuccessCommand)
      .rejectsOnce(sfnError('ServiceUnavailable'))
      .rejectsOnce(sfnError('ThrottlingException'))
      .resolves({});

    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    // The workflow carries out the remediation once the resume lands.
    await api.stores.actions.transition(action.id, 'Running', api.now);
    await api.stores.actions.transition(action.id, 'Completed', api.now, {
      result: { outcome: 'quarantined', at: api.now.toISOString() },
    });

    expect(res.status).toBe(200);
    expect(res.body.remediation).toBeUndefined();
    expect(api.resumesOf(action.investigationId)).toHaveLength(3);
    expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(1);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Completed');
    expect(await auditOf(action.id)).toHaveLength(1);
    expect(await owedIds()).not.toContain(action.id);
  });

  it('keeps the approval and queues the remediation when the wake fails every retry; the reconciler wakes again', async () => {
    const action = await api.pending();
    api.sfn.on(SendTaskSuccessCommand).rejects(sfnError('ServiceUnavailable'));

    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: action.id, status: 'Approved', remediation: 'queued' });
    expect(api.resumesOf(action.investigationId)).toHaveLength(4);
    expect(await owedIds()).toContain(action.id);

    api.resetWorkflow();
    const reconcile = api.reconciler();
    const early = await reconcile();
    api.now = plus(api.now, 600);
    const later = await reconcile();
    const again = await reconcile();

    expect(early.deferred).toBeGreaterThanOrEqual(1);
    expect(later.delivered).toBeGreaterThanOrEqual(1);
    expect(again.delivered).toBe(0);
    expect(api.resumesOf(action.investigationId)).toHaveLength(1);
    expect(await api.stores.investigations.wakesOf(action.investigationId)).toBe(2);
    expect(await owedIds()).not.toContain(action.id);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Approved');
    expect(await auditOf(action.id)).toHaveLength(1);
  });
});

describe('the reconciler', () => {
  it('settles an owed wake whose wait is gone: the approval stays, nothing is resent', async () => {
    const action = await api.pending();
    api.sfn.on(SendTaskSuccessCommand).rejects(sfnError('InternalFailure'));
    await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    api.resetWorkflow();
    api.sfn.on(SendTaskSuccessCommand).rejects(sfnError('TaskTimedOut'));
    api.now = plus(api.now, 600);

    const summary = await api.reconciler()();
    const again = await api.reconciler()();

    expect(summary).toMatchObject({ delivered: 0, failed: 0 });
    expect(summary.settled).toBeGreaterThanOrEqual(1);
    expect(again.settled + again.delivered + again.failed).toBe(0);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Approved');
    expect(await owedIds()).not.toContain(action.id);
  });

  it('wakes an investigation once for all its owed decisions, and counts them failed while Step Functions is down', async () => {
    const first = await api.pending();
    const second = await api.pending({ alertId: first.alertId, targetId: 'second-file' });
    api.sfn.on(SendTaskSuccessCommand).rejects(sfnError('ServiceUnavailable'));
    await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: [first.id, second.id], decision: 'approve' },
    });
    api.now = plus(api.now, 600);

    const down = await api.reconciler()();
    api.resetWorkflow();
    const up = await api.reconciler()();

    expect(down).toMatchObject({ failed: 2, delivered: 0 });
    expect(up).toMatchObject({ failed: 0, delivered: 2 });
    expect(api.resumesOf(first.investigationId)).toHaveLength(1);
    expect(await owedIds()).not.toContain(first.id);
    expect(await owedIds()).not.toContain(second.id);
  });
});

describe('POST /actions/{id}/reject', () => {
  it("rejects and wakes the investigation's wait (the workflow never touches the target)", async () => {
    const action = await api.pending();

    const res = await api.post(`/actions/${action.id}/reject`, {
      claims: SEC_ADMIN,
      body: { comment: 'false positive' },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'Rejected',
      decision: { by: 'secadmin@example.com' },
    });
    expect(api.resumes().map((c) => c.args[0].input.taskToken)).toEqual([
      waitTokenFor(action.investigationId),
    ]);
    expect(await owedIds()).not.toContain(action.id);
    expect((await auditOf(action.id)).map((e) => [e.event, e.before, e.after])).toEqual([
      ['ActionRejected', 'Pending', 'Rejected'],
    ]);
  });

  it('answers 403, 404, 409 and 410 like approve', async () => {
    const email = await api.pendingEmail();
    const decided = await api.pending();
    await api.post(`/actions/${decided.id}/approve`, { claims: ADMIN });
    const old = await api.pending({ createdAt: plus(api.now, -WEEK_SECONDS - 1).toISOString() });

    const forbidden = await api.post(`/actions/${email.id}/reject`, { claims: ARA });
    const missing = await api.post(`/actions/act-${'0'.repeat(20)}-${'1'.repeat(12)}/reject`, {
      claims: ADMIN,
    });
    const conflict = await api.post(`/actions/${decided.id}/reject`, { claims: ADMIN });
    const expired = await api.post(`/actions/${old.id}/reject`, { claims: ADMIN });

    expect([forbidden.status, missing.status, conflict.status, expired.status]).toEqual([
      403, 404, 409, 410,
    ]);
  });

  it('keeps the rejection when the wait had already ended', async () => {
    const action = await api.pending();
    api.sfn.on(SendTaskSuccessCommand).rejects(sfnError('TaskDoesNotExist'));

    const res = await api.post(`/actions/${action.id}/reject`, { claims: ADMIN });

    expect(res.status).toBe(200);
    expect((await api.stores.actions.get(action.id))?.status).toBe('Rejected');
  });
});

describe('POST /actions/decisions', () => {
  it('decides each id and reports its outcome', async () => {
    const ok = await api.pending();
    const email = await api.pendingEmail();
    const done = await api.pending();
    await api.post(`/actions/${done.id}/approve`, { claims: ADMIN });
    const old = await api.pending({ createdAt: plus(api.now, -WEEK_SECONDS - 1).toISOString() });
    const missing = `act-${'c'.repeat(20)}-${'d'.repeat(12)}`;
    api.resetWorkflow();

    const res = await api.post('/actions/decisions', {
      claims: ARA,
      body: { actionIds: [ok.id, email.id, done.id, old.id, missing, ok.id], decision: 'approve' },
    });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ok.id, outcome: 'approved' },
      { id: email.id, outcome: 'forbidden' },
      { id: done.id, outcome: 'conflict' },
      { id: old.id, outcome: 'expired' },
      { id: missing, outcome: 'notFound' },
    ]);
    expect(api.resumes().map((c) => c.args[0].input.taskToken)).toEqual([
      waitTokenFor(ok.investigationId),
    ]);
  });

  it('wakes an investigation once for all its actions decided in one call', async () => {
    const first = await api.pending();
    const second = await api.pending({ alertId: first.alertId, targetId: 'second-file' });

    const res = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: [first.id, second.id], decision: 'approve' },
    });

    expect(res.body.results).toEqual([
      { id: first.id, outcome: 'approved' },
      { id: second.id, outcome: 'approved' },
    ]);
    expect(api.resumesOf(first.investigationId)).toHaveLength(1);
    expect(await api.stores.investigations.wakesOf(first.investigationId)).toBe(1);
  });

  it('records every approval and queues its remediation while Step Functions is down', async () => {
    const actions = await Promise.all(Array.from({ length: 10 }, () => api.pending()));
    api.sfn.on(SendTaskSuccessCommand).rejects(sfnError('ServiceUnavailable'));

    const res = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: actions.map((a) => a.id), decision: 'approve' },
    });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual(
      actions.map((a) => ({ id: a.id, outcome: 'approved', remediation: 'queued' })),
    );
    expect(await owedIds()).toEqual(expect.arrayContaining(actions.map((a) => a.id)));
  });

  it('rejects many at once', async () => {
    const actions = await Promise.all(Array.from({ length: 12 }, () => api.pending()));

    const res = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: actions.map((a) => a.id), decision: 'reject', comment: 'noise' },
    });

    expect(res.status).toBe(200);
    expect(res.body.results.every((r: { outcome: string }) => r.outcome === 'rejected')).toBe(true);
    expect(api.resumes()).toHaveLength(12);
    const verdict = await api.get('/audit/verify', { claims: READER });
    expect(verdict.body.ok).toBe(true);
  });

  it('answers 403 to a caller who may decide nothing, 400 to 101 ids', async () => {
    const action = await api.pending();
    const ids = Array.from({ length: 101 }, () => action.id);

    const reader = await api.post('/actions/decisions', {
      claims: READER,
      body: { actionIds: [action.id], decision: 'approve' },
    });
    const tooMany = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: ids, decision: 'approve' },
    });

    expect(reader.status).toBe(403);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.fields).toHaveProperty('actionIds');
  });
});

/** An undo test waits up to the harness's 2 s for the workflow, more than once in some. */
const UNDO_TEST_MS = 15_000;

describe('POST /actions/{id}/undo', () => {
  it(
    'records the request, wakes the workflow, which undoes it through its connector; 200 within the wait, audited',
    async () => {
      const action = await api.completed();

      const res = await api.post(`/actions/${action.id}/undo`, {
        claims: ARA,
        body: { comment: 'business app' },
      });

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: action.id,
        status: 'Undone',
        result: { outcome: 'restored' },
      });
      expect(api.undoCalls.map((a) => a.id)).toContain(action.id);
      await api.undosSettled();
      // Newest first: the seeded approval, the request and the undo, each chained by the appender
      // after the write that owed it; nothing left owed.
      expect((await auditOf(action.id)).map((e) => [e.event, e.actor, e.after])).toEqual([
        ['ActionUndone', 'responder@example.com', 'Undone'],
        ['UndoRequested', 'responder@example.com', 'Completed'],
        ['ActionApproved', 'seed', 'Approved'],
      ]);
      expect(await api.stores.actions.auditOwedBy(action.id)).toEqual([]);
      expect((await auditOf(action.id)).at(0)).toMatchObject({
        event: 'ActionUndone',
        actor: 'responder@example.com',
        before: 'Completed',
        after: 'Undone',
        comment: 'business app',
      });
    },
    UNDO_TEST_MS,
  );

  it(
    'answers 409 for an action that is not Completed, or not undoable',
    async () => {
      const pending = await api.pending();
      const notUndoable = await api.completed({ type: 'killProcess', undoable: false });

      const first = await api.post(`/actions/${pending.id}/undo`, { claims: ADMIN });
      const second = await api.post(`/actions/${notUndoable.id}/undo`, { claims: ADMIN });

      expect(first.status).toBe(409);
      expect(first.body.action.status).toBe('Pending');
      expect(second.status).toBe(409);
    },
    UNDO_TEST_MS,
  );

  it.each([
    ['refuses', 'ConnectorPermanentError', 502, 'UndoRefused'],
    ['cannot be reached', 'ConnectorTransientError', 503, 'UndoUnavailable'],
  ])(
    'answers clearly when the target system %s, and the action stays Completed',
    async (_what, name, status, code) => {
      const action = await api.completed();
      const failure = new Error('upstream said: instance i-123 is locked by policy p-9');
      failure.name = name;
      api.undoFailure = failure;

      const res = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });
      api.undoFailure = undefined;
      const after = await api.get(`/actions/${action.id}`, { claims: ADMIN });

      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(res.text).not.toContain('i-123');
      expect(after.body.status).toBe('Completed');
    },
    UNDO_TEST_MS,
  );

  it(
    'runs the connector once for three concurrent undos; the others answer 409 with the action',
    async () => {
      const action = await api.completed();
      api.undoDelayMs = 50;

      const answers = await Promise.all(
        [1, 2, 3].map(() => api.post(`/actions/${action.id}/undo`, { claims: ADMIN })),
      );
      api.undoDelayMs = 0;
      await api.undosSettled();

      expect(api.undoCalls.filter((a) => a.id === action.id)).toHaveLength(1);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
      for (const refused of answers.filter((a) => a.status === 409)) {
        expect(refused.body.action).toMatchObject({ id: action.id });
      }
      expect((await auditOf(action.id)).filter((e) => e.event === 'ActionUndone')).toHaveLength(1);
    },
    UNDO_TEST_MS,
  );

  it(
    'releases the claim of a failed undo: the action stays Completed and can be undone again',
    async () => {
      const action = await api.completed();
      const failure = new Error('target unreachable');
      failure.name = 'ConnectorTransientError';
      api.undoFailure = failure;
      const failed = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });
      api.undoFailure = undefined;

      const retried = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });

      expect(failed.status).toBe(503);
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('Undone');
      expect(retried.body).not.toHaveProperty('undoFailure');
    },
    UNDO_TEST_MS,
  );

  it(
    'answers 202 with the action when the workflow has not undone it within the wait; a second request meanwhile is 409',
    async () => {
      // Prepare: the undo takes longer than the API's 2 s wait.
      const action = await api.completed();
      api.undoDelayMs = 2_500;

      // Act
      const first = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });
      const second = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });
      await api.undosSettled();
      api.undoDelayMs = 0;
      const later = await api.get(`/actions/${action.id}`, { claims: ADMIN });

      // Assess
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({
        status: 'Completed',
        undoRequested: { by: 'admin@example.com' },
      });
      expect(second.status).toBe(409);
      expect(second.body.action.undoRequested).toEqual(first.body.undoRequested);
      expect(later.body.status).toBe('Undone');
      expect(api.undoCalls.filter((a) => a.id === action.id)).toHaveLength(1);
    },
    UNDO_TEST_MS,
  );

  it(
    'takes a new request once an earlier one lapsed without any workflow settling it',
    async () => {
      // Prepare: the wake is lost (Step Functions refuses it), so nothing carries the undo out.
      const action = await api.completed();
      api.sfn
        .on(SendTaskSuccessCommand)
        .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
      const lost = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });
      const refused = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });
      api.resetWorkflow();

      // Act
      api.now = plus(api.now, 901);
      const retried = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });

      // Assess
      expect(lost.status).toBe(202);
      expect(refused.status).toBe(409);
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('Undone');
    },
    UNDO_TEST_MS,
  );

  it(
    'reopens a concluded investigation under a new execution to carry the undo out',
    async () => {
      // Prepare
      const action = await api.completed();
      await api.stores.investigations.update(action.investigationId, {
        status: 'Remediated',
        endedAt: api.now.toISOString(),
      });

      // Act
      const res = await api.post(`/actions/${action.id}/undo`, { claims: ADMIN });

      // Assess
      expect(res.status).toBe(202);
      const starts = api.sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
      expect(starts).toContainEqual(
        expect.objectContaining({
          name: `${action.investigationId}-u1`,
          input: JSON.stringify({ investigationId: action.investigationId }),
        }),
      );
      const { investigation } = await api.stores.investigations.get(action.investigationId);
      expect(investigation.endedAt).toBeUndefined();
    },
    UNDO_TEST_MS,
  );

  it(
    'answers 403 with the permissions of deciding the category, and 404 when absent',
    async () => {
      const action = await api.completed();

      const reader = await api.post(`/actions/${action.id}/undo`, {
        claims: as('op@example.com', 'SecurityOperator'),
      });
      const missing = await api.post(`/actions/act-${'e'.repeat(20)}-${'f'.repeat(12)}/undo`, {
        claims: ADMIN,
      });

      expect(reader.status).toBe(403);
      expect(missing.status).toBe(404);
    },
    UNDO_TEST_MS,
  );
});
