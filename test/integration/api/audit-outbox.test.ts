// The audit outbox over the API harness's table: a decision owes its audit record in its own
// write, and the one appender (run after each such write, as the table's stream runs it) chains it;
// an append that fails (or a crash between append and clear) neither loses the entry nor appends it
// twice once the appender runs again.
import { appendOwedAudit } from '../../../functions/services/audit-appender.js';
import { plus, T0 } from '../../fixtures/actions.js';
import { ADMIN, ApiHarness } from '../../support/api-harness.js';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
});
afterAll(() => api.stop());
beforeEach(() => {
  api.now = plus(T0, 3600);
  api.resetWorkflow();
});

const throttle = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });

/** Fails the first command that `matches` with a throttle (past the SDK's retries). */
function failOnce(name: string, matches: (input: Record<string, unknown>) => boolean) {
  let armed = true;
  api.table.doc.middlewareStack.add(
    (next) => async (args) => {
      if (armed && matches(args.input as Record<string, unknown>)) {
        armed = false;
        throw throttle();
      }
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => api.table.doc.middlewareStack.remove(name);
}

/** Fails every command that `matches` with a throttle until the answered function is called. */
function failWhile(name: string, matches: (input: Record<string, unknown>) => boolean) {
  api.table.doc.middlewareStack.add(
    (next) => async (args) => {
      if (matches(args.input as Record<string, unknown>)) throw throttle();
      return next(args);
    },
    { step: 'initialize', name },
  );
  return () => api.table.doc.middlewareStack.remove(name);
}

const appendOf = (actionId: string) => (input: Record<string, unknown>) => {
  const item = input.Item as { pk?: string; actionId?: string } | undefined;
  return item?.pk === 'AUDIT' && item.actionId === actionId;
};

const clearOf = (actionId: string) => (input: Record<string, unknown>) =>
  String(input.UpdateExpression ?? '').includes('REMOVE auditOwed') &&
  String((input.Key as { sk?: string } | undefined)?.sk) === `ACTION#${actionId}`;

async function auditOf(actionId: string) {
  const { items } = await api.stores.audit.list({ window: '180d', limit: 500 }, api.now);
  return items.filter((e) => e.actionId === actionId);
}

/** The appender's next run (the reconciler's schedule, a minute later). */
const sweep = () =>
  appendOwedAudit({
    actions: api.stores.actions,
    audit: api.stores.audit,
    clock: () => plus(api.now, 60),
  });

describe('the audit outbox', () => {
  it("answers the decision and keeps its entry when the appender's append fails; its next run adds it once", async () => {
    // Prepare
    const action = await api.pending();
    const restore = failOnce('failOneAppend', appendOf(action.id));

    // Act
    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    restore();
    const beforeRun = await auditOf(action.id);
    await sweep();
    await sweep();

    // Assess
    expect(res.status).toBe(200);
    expect(beforeRun).toEqual([]);
    expect((await auditOf(action.id)).map((e) => [e.event, e.actor, e.after])).toEqual([
      ['ActionApproved', 'admin@example.com', 'Approved'],
    ]);
    expect(await api.stores.actions.auditOwedBy(action.id)).toEqual([]);
    expect((await api.get('/audit/verify', { claims: ADMIN })).body).toMatchObject({ ok: true });
  });

  it('appends nothing twice after a run stopped between the append and the clear', async () => {
    // Prepare: the appender appends the entry, then its clear fails.
    const action = await api.pending();
    const restore = failOnce('failOneClear', clearOf(action.id));
    const res = await api.post(`/actions/${action.id}/reject`, { claims: ADMIN });
    restore();
    const stillOwed = await api.stores.actions.auditOwedBy(action.id);

    // Act
    const summary = await sweep();

    // Assess
    expect(res.status).toBe(200);
    expect(stillOwed.map((r) => r.event)).toEqual(['ActionRejected']);
    expect(summary.appended).toBe(0);
    expect((await auditOf(action.id)).map((e) => e.event)).toEqual(['ActionRejected']);
    expect(await api.stores.actions.auditOwedBy(action.id)).toEqual([]);
    expect((await api.get('/audit/verify', { claims: ADMIN })).body).toMatchObject({ ok: true });
  });

  it('appends nothing twice after a run that died holding its lease, once the lease lapsed', async () => {
    // Prepare: the appender appends the entry, then neither its clear nor its release lands.
    const action = await api.pending();
    const restoreClear = failOnce('failClearOfDead', clearOf(action.id));
    const restoreRelease = failOnce('failReleaseOfDead', (input) =>
      String(input.UpdateExpression ?? '').startsWith('REMOVE leaseUntil'),
    );
    const res = await api.post(`/actions/${action.id}/reject`, { claims: ADMIN });
    restoreClear();
    restoreRelease();

    // Act: the reconciler's run, a minute later (past the dead run's lease).
    const summary = await sweep();

    // Assess
    expect(res.status).toBe(200);
    expect(summary).toEqual({ appended: 0, busy: false });
    expect((await auditOf(action.id)).map((e) => e.event)).toEqual(['ActionRejected']);
    expect(await api.stores.actions.auditOwedBy(action.id)).toEqual([]);
    expect((await api.get('/audit/verify', { claims: ADMIN })).body).toMatchObject({ ok: true });
  });

  it("after a settled run, chains a decision's record without reading the chain", async () => {
    // Prepare: a decision whose appender run settles, knowing the chain's tail.
    const [first, action] = [await api.pending(), await api.pending()];
    await api.post(`/actions/${first.id}/approve`, { claims: ADMIN });
    const reads: string[] = [];
    api.table.doc.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ExpressionAttributeValues?: Record<string, unknown> };
        if (/Get|Query/.test(String(context.commandName))) {
          reads.push(`${context.commandName} ${input.ExpressionAttributeValues?.[':pk'] ?? ''}`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'countReads' },
    );

    // Act: the decision, and its appender run (as the stream runs it).
    const res = await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    api.table.doc.middlewareStack.remove('countReads');

    // Assess: neither the tail nor the recently appended entries were read (one owed Query per
    // batch and after the release, one GetItem of the owed records, the decision's own read).
    expect(res.status).toBe(200);
    expect(reads.filter((r) => r.includes('AUDIT'))).toEqual([]);
    expect(reads).toHaveLength(4);
    expect((await auditOf(action.id)).map((e) => e.event)).toEqual(['ActionApproved']);
    expect(await api.stores.actions.auditOwedBy(action.id)).toEqual([]);
    expect((await api.get('/audit/verify', { claims: ADMIN })).body).toMatchObject({ ok: true });
  });

  it('appends the entries of a bulk decision once per action, nothing left owed', async () => {
    // Prepare
    const actions = [await api.pending(), await api.pending(), await api.pending()];

    // Act
    const res = await api.post('/actions/decisions', {
      claims: ADMIN,
      body: { actionIds: actions.map((a) => a.id), decision: 'approve' },
    });
    await sweep();

    // Assess
    expect(res.status).toBe(200);
    for (const action of actions) {
      expect((await auditOf(action.id)).map((e) => e.event)).toEqual(['ActionApproved']);
    }
    expect(await api.stores.actions.auditOwed(10)).toEqual([]);
  });

  it('keeps the chain whole when two appenders run at once', async () => {
    // Prepare: records owed by writes whose appender runs failed (every append throttled).
    const actions = [await api.pending(), await api.pending()];
    const restore = failWhile(
      'failAppends',
      (input) => (input.Item as { pk?: string })?.pk === 'AUDIT',
    );
    for (const action of actions) {
      await api.post(`/actions/${action.id}/approve`, { claims: ADMIN });
    }
    restore();

    // Act
    const runs = await Promise.all([sweep(), sweep()]);

    // Assess
    expect(runs.reduce((sum, run) => sum + run.appended, 0)).toBe(2);
    for (const action of actions) expect(await auditOf(action.id)).toHaveLength(1);
    expect((await api.get('/audit/verify', { claims: ADMIN })).body).toMatchObject({ ok: true });
  });
});
