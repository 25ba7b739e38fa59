// The decision loop's task handlers over fakes: what each does to the actions, the audit log and
// the investigation, what state it hands the loop, and that running one again (a retried or
// replayed task) does no harm.
import { normalizeAlert, openInvestigation } from '../../../../functions/core/alert.js';
import { dedupKeyOf } from '../../../../functions/core/catalog.js';
import type { LoopState } from '../../../../functions/core/decision-loop.js';
import { investigationIdFor } from '../../../../functions/core/ids.js';
import type { Action, AlertDetail } from '../../../../functions/core/model.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';
import {
  type AdvanceOptions,
  createAdvanceHandler,
} from '../../../../functions/services/workflow/advance.js';
import { createAwaitDecisionsHandler } from '../../../../functions/services/workflow/await-decisions.js';
import { createInvestigateHandler } from '../../../../functions/services/workflow/investigate.js';
import { anAlert, file, filesWithLongIds, url } from '../../../fixtures/alerts.js';
import { decisionAudit } from '../../../support/audit-records.js';
import { type FakePorts, fakePorts } from './fakes.js';

const ALERT = anAlert('alert-h', [file('f1', 'malicious'), url('u1', 'suspicious')]);
const INV = investigationIdFor('alert-h');
const T0 = '2026-11-01T12:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

let ports: FakePorts;

beforeEach(() => {
  ports = fakePorts(new Date(T0));
});

/** The investigation as ingest records it. */
async function recorded(alert: AlertDetail = ALERT): Promise<void> {
  await ports.investigations.createOnce(openInvestigation(normalizeAlert(alert), ports.clock()));
}

/** Recorded and investigated: answers the actions Investigate recorded. */
async function investigated(alert: AlertDetail = ALERT): Promise<Action[]> {
  await recorded(alert);
  await createInvestigateHandler(ports)({ investigationId: INV });
  return ports.actions.of(INV);
}

/** One action of the investigation, approved by an operator (its record appended, as decide does). */
async function approvedAction(): Promise<Action> {
  const [action] = (await investigated()) as [Action];
  const audit = decisionAudit(action.id, { verdict: 'approve', by: 'analyst' }, ports.clock());
  await ports.actions.decide(
    action.id,
    { verdict: 'approve', by: 'analyst' },
    ports.clock(),
    audit,
  );
  return (await ports.actions.get(action.id)) as Action;
}

const advance = (options?: AdvanceOptions) =>
  createAdvanceHandler(ports, options)({ investigationId: INV });
const investigation = async () => (await ports.investigations.get(INV)).investigation;
const stored = async (id: string) => (await ports.actions.get(id)) as Action;
const audited = () => ports.fakes.audit.map((e) => [e.event, e.actor, e.before, e.after]);

describe('Investigate', () => {
  it('records every action at once: 120 malicious files give 120 Pending actions in one call', async () => {
    // Prepare
    await recorded(anAlert('alert-h', filesWithLongIds(120)));

    // Act
    const state = await createInvestigateHandler(ports)({ investigationId: INV });

    // Assess
    const actions = ports.actions.of(INV);
    expect(actions).toHaveLength(120);
    expect(new Set(actions.map((a) => a.status))).toEqual(new Set(['Pending']));
    expect(actions[0]?.expiresAt).toBe('2026-11-08T12:00:00.000Z');
    expect(state).toEqual({
      investigationId: INV,
      wakesSeen: 0,
      done: false,
      dueNow: false,
      waitSeconds: 604_800,
    });
    expect(await investigation()).toMatchObject({
      status: 'PendingApproval',
      counts: { actions: 120, pending: 120 },
      pendingUntil: '2026-11-08T12:00:00.000Z',
    });
    expect(ports.fakes.audit).toEqual([]);
  });

  it('records an automatic action Approved by Automation, audited once, and is due at once', async () => {
    // Prepare
    ports.settings.automation = { endpoint: 'full', email: 'semi' };
    await recorded();
    const investigate = createInvestigateHandler(ports);

    // Act
    const state = await investigate({ investigationId: INV });
    ports.fakes.advance(1);
    await investigate({ investigationId: INV });

    // Assess
    const byType = new Map(ports.actions.of(INV).map((a) => [a.type, a]));
    expect(byType.get('quarantineFile')).toMatchObject({
      status: 'Approved',
      decision: { by: 'Automation', automated: true },
    });
    expect(byType.get('blockUrl')?.status).toBe('Pending');
    expect(audited()).toEqual([['ActionApproved', 'Automation', null, 'Approved']]);
    // The entry names the setting that let automation approve it.
    expect(ports.fakes.audit[0]?.policy).toEqual(['AUTOMATION_LEVEL_ENDPOINT=full']);
    expect(state).toMatchObject({ done: false, dueNow: true });
  });

  it('creates nothing twice and does not analyze again when replayed', async () => {
    // Prepare
    await recorded();
    const investigate = createInvestigateHandler(ports);
    await investigate({ investigationId: INV });
    const first = ports.actions.of(INV);

    // Act
    ports.fakes.advance(30);
    const state = await investigate({ investigationId: INV });

    // Assess
    expect(ports.actions.of(INV)).toEqual(first);
    expect(ports.actions.created).toBe(2);
    expect(ports.fakes.investigations.analyses).toBe(1);
    expect(state.done).toBe(false);
  });

  it('keeps the analyzed evidence and whether it holds threats on the investigation', async () => {
    await recorded();

    await createInvestigateHandler(ports)({ investigationId: INV });

    const record = await ports.investigations.get(INV);
    expect(record.threatsFound).toBe(true);
    expect(record.evidence.map((e) => [e.kind, e.id, e.verdict])).toEqual([
      ['file', 'f1', 'malicious'],
      ['url', 'u1', 'suspicious'],
    ]);
  });

  it('hands on the wakes counted before it read the actions', async () => {
    await recorded();
    await ports.investigations.wake(INV);

    const state = await createInvestigateHandler(ports)({ investigationId: INV });

    expect(state.wakesSeen).toBe(1);
  });

  it('concludes an investigation without threats: NoThreatsFound, ended, done', async () => {
    await recorded(anAlert('alert-h', [file('f', 'clean')]));

    const state = await createInvestigateHandler(ports)({ investigationId: INV });

    expect(state).toMatchObject({ investigationId: INV, done: true });
    expect(await investigation()).toMatchObject({ status: 'NoThreatsFound', endedAt: T0 });
    expect(ports.actions.items.size).toBe(0);
  });
});

describe('AwaitDecisions', () => {
  const waiting: LoopState = {
    investigationId: INV,
    wakesSeen: 0,
    done: false,
    dueNow: false,
    waitSeconds: 600,
  };

  it('registers its token and waits when nothing is due and no wake was missed', async () => {
    await recorded();

    const result = await createAwaitDecisionsHandler(ports)({ ...waiting, taskToken: 'token-1' });

    expect(result).toEqual({ investigationId: INV, resumedAtOnce: false });
    expect(ports.investigations.items.get(INV)?.waitToken).toBe('token-1');
    expect(ports.fakes.workflow.resumed).toEqual([]);
  });

  it.each([
    ['work is due now', { dueNow: true }],
    ['the investigation is done', { done: true }],
  ])('resumes its own token at once when %s', async (_, change) => {
    await recorded();

    const result = await createAwaitDecisionsHandler(ports)({
      ...waiting,
      ...change,
      taskToken: 'token-1',
    });

    expect(result.resumedAtOnce).toBe(true);
    expect(ports.fakes.workflow.resumed).toEqual([
      { taskToken: 'token-1', output: { investigationId: INV, wakes: 0 } },
    ]);
  });

  it('resumes at once when a decision woke the investigation after the pass read it', async () => {
    // Prepare: the pass saw no wake; a decision's wake landed while no wait was registered.
    await recorded();
    await ports.investigations.wake(INV);

    // Act
    const result = await createAwaitDecisionsHandler(ports)({ ...waiting, taskToken: 'token-2' });

    // Assess
    expect(result.resumedAtOnce).toBe(true);
    expect(ports.fakes.workflow.resumed).toEqual([
      { taskToken: 'token-2', output: { investigationId: INV, wakes: 1 } },
    ]);
  });

  it('waits when the only wake is one the pass already saw', async () => {
    await recorded();
    await ports.investigations.wake(INV);

    const result = await createAwaitDecisionsHandler(ports)({
      ...waiting,
      wakesSeen: 1,
      taskToken: 't',
    });

    expect(result.resumedAtOnce).toBe(false);
  });

  it('retries a failed resume, then throws ResumeFailed', async () => {
    await recorded();
    ports.fakes.workflow.failures = 3;

    await expect(
      createAwaitDecisionsHandler(ports)({ ...waiting, dueNow: true, taskToken: 't' }),
    ).rejects.toMatchObject({ name: 'ResumeFailed' });
    expect(ports.fakes.workflow.resumed).toEqual([]);
  });

  it('resumes once when a retry succeeds', async () => {
    await recorded();
    ports.fakes.workflow.failures = 1;

    const result = await createAwaitDecisionsHandler(ports)({
      ...waiting,
      dueNow: true,
      taskToken: 't',
    });

    expect(result.resumedAtOnce).toBe(true);
    expect(ports.fakes.workflow.resumed).toHaveLength(1);
  });
});

describe('Advance: decisions and expiry', () => {
  it('expires a lapsed Pending action once, audited by the System', async () => {
    // Prepare
    const actions = await investigated();
    ports.fakes.advance(604_800);

    // Act
    const state = await advance();
    ports.fakes.advance(1);
    await advance();

    // Assess
    for (const action of actions) expect((await stored(action.id)).status).toBe('Expired');
    expect(audited()).toEqual([
      ['ActionExpired', 'System', 'Pending', 'Expired'],
      ['ActionExpired', 'System', 'Pending', 'Expired'],
    ]);
    expect(state.done).toBe(true);
  });

  it('hands on the wakes counted before it read the actions (a decision’s wake among them)', async () => {
    const [action] = (await investigated()) as [Action];
    await ports.actions.decide(
      action.id,
      { verdict: 'reject', by: 'analyst' },
      ports.clock(),
      decisionAudit(action.id, { verdict: 'reject', by: 'analyst' }, ports.clock()),
    );
    await ports.investigations.wake(INV);

    const state = await advance();

    expect(state.wakesSeen).toBe(1);
  });

  it('leaves a Pending action before its expiry and waits until it', async () => {
    await investigated();
    ports.fakes.advance(600);

    const state = await advance();

    expect(state).toMatchObject({ done: false, dueNow: false, waitSeconds: 604_800 - 600 });
    expect(ports.fakes.audit).toEqual([]);
  });
});

describe('Advance: remediation', () => {
  it('runs an approved action on a synchronous connector: Running, then Completed', async () => {
    // Prepare
    const action = await approvedAction();
    ports.fakes.connector.script.push({
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: 'moved to vault',
    });

    // Act
    await advance();

    // Assess
    expect(await stored(action.id)).toMatchObject({
      status: 'Completed',
      result: { outcome: 'FileQuarantined', detail: 'moved to vault', at: T0 },
    });
    expect(ports.fakes.connector.calls).toEqual([{ verb: 'submit', actionId: action.id }]);
    // The operator's decision the store's write owed is appended in the same pass.
    expect(audited()).toEqual([
      ['ActionApproved', 'analyst', 'Pending', 'Approved'],
      ['ActionCompleted', 'System', 'Running', 'Completed'],
    ]);
    expect((await investigation()).counts.completed).toBe(1);
  });

  it('tracks an action running on its target, asking again with backoff until it completes', async () => {
    // Prepare
    const action = await approvedAction();
    ports.fakes.connector.script.push(
      { state: 'running', ref: 'job-7' },
      { state: 'running' },
      { state: 'completed', outcome: 'FileQuarantined' },
    );

    // Act + Assess: submitted, asked after 2 s, then after 4 s more.
    const submitted = await advance();
    expect(await stored(action.id)).toMatchObject({ status: 'Running' });
    expect(ports.actions.items.get(action.id)?.tracking).toMatchObject({
      ref: 'job-7',
      submitted: true,
      checks: 1,
      checkAt: later(2),
    });
    expect(submitted).toMatchObject({ dueNow: false, waitSeconds: 2 });

    ports.fakes.advance(1);
    await advance();
    expect(ports.fakes.connector.calls).toHaveLength(1);

    ports.fakes.advance(1);
    const checked = await advance();
    expect(ports.actions.items.get(action.id)?.tracking).toMatchObject({
      checks: 2,
      checkAt: later(6),
    });
    expect(checked.waitSeconds).toBe(4);

    ports.fakes.advance(4);
    await advance();

    expect(await stored(action.id)).toMatchObject({
      status: 'Completed',
      result: { outcome: 'FileQuarantined' },
    });
    expect(ports.actions.items.get(action.id)?.tracking).toBeUndefined();
    expect(ports.fakes.connector.calls).toEqual([
      { verb: 'submit', actionId: action.id },
      { verb: 'status', actionId: action.id, ref: 'job-7' },
      { verb: 'status', actionId: action.id, ref: 'job-7' },
    ]);
  });

  it('fails a running action when its target reports failure, with the reason', async () => {
    const action = await approvedAction();
    ports.fakes.connector.script.push(
      { state: 'running', ref: 'job-7' },
      { state: 'failed', reason: 'file locked by another process' },
    );

    await advance();
    ports.fakes.advance(2);
    await advance();

    expect((await stored(action.id)).result).toMatchObject({
      outcome: 'Failed',
      detail: 'file locked by another process',
    });
    // The operator's decision the store's write owed is appended in the same pass.
    expect(audited()).toEqual([
      ['ActionApproved', 'analyst', 'Pending', 'Approved'],
      ['ActionFailed', 'System', 'Running', 'Failed'],
    ]);
  });

  it('records a target that does not finish within the connector timeout as Failed, TimedOut', async () => {
    // Prepare
    ports.fakes.connector.timeoutSeconds = 10;
    const action = await approvedAction();
    ports.fakes.connector.script.push(
      ...Array.from({ length: 5 }, () => ({ state: 'running' as const })),
    );

    // Act: the loop comes back when each check is due; the checks never pass the deadline.
    let state = await advance();
    for (let pass = 0; pass < 5 && !state.done; pass += 1) {
      ports.fakes.advance(state.waitSeconds);
      state = await advance();
    }

    // Assess
    expect(state.done).toBe(true);
    // Checks at 2 s and 6 s, then once more at the deadline (10 s): still running, so TimedOut.
    expect(ports.fakes.connector.calls.map((c) => c.verb)).toEqual([
      'submit',
      'status',
      'status',
      'status',
    ]);
    expect(await stored(action.id)).toMatchObject({
      status: 'Failed',
      result: {
        outcome: 'TimedOut',
        detail: "The fake connector's target did not finish the action within 10 s",
        at: later(10),
      },
    });
  });

  it('retries a transient connector error per connectorRetry, then fails with it', async () => {
    // Prepare: maxAttempts 2, so the third transient failure fails the action.
    const action = await approvedAction();
    ports.fakes.connector.script.push(
      new ConnectorTransientError('EDR busy'),
      new ConnectorTransientError('EDR busy'),
      new ConnectorTransientError('EDR still busy'),
    );

    // Act
    const first = await advance();
    const firstTracking = ports.actions.items.get(action.id)?.tracking;
    ports.fakes.advance(2);
    const second = await advance();
    ports.fakes.advance(4);
    await advance();

    // Assess
    expect(firstTracking).toMatchObject({ submitted: false, failures: 1, checkAt: later(2) });
    expect([first.waitSeconds, second.waitSeconds]).toEqual([2, 4]);
    expect(ports.fakes.connector.calls.map((c) => c.verb)).toEqual(['submit', 'submit', 'submit']);
    expect(await stored(action.id)).toMatchObject({
      status: 'Failed',
      result: { outcome: 'Failed', detail: 'ConnectorTransientError: EDR still busy' },
    });
  });

  it('completes after a transient error when the retry succeeds', async () => {
    const action = await approvedAction();
    ports.fakes.connector.script.push(new ConnectorTransientError('EDR busy'));

    await advance();
    ports.fakes.advance(2);
    await advance();

    expect((await stored(action.id)).status).toBe('Completed');
  });

  it('fails the action at once on a permanent connector error, with its message', async () => {
    const action = await approvedAction();
    ports.fakes.connector.script.push(new ConnectorPermanentError('device offline'));

    await advance();

    expect(await stored(action.id)).toMatchObject({
      status: 'Failed',
      result: { outcome: 'Failed', detail: 'ConnectorPermanentError: device offline' },
    });
    expect(ports.fakes.connector.calls).toHaveLength(1);
  });

  it('skips a duplicate of an action approved within the window, without the connector', async () => {
    const action = await approvedAction();
    ports.fakes.dedup.claims.set(dedupKeyOf(action.type, action.target), {
      actionId: 'act-other',
      approvedAt: '2026-11-01T11:59:00.000Z',
    });

    await advance();

    expect(await stored(action.id)).toMatchObject({
      status: 'Skipped',
      skippedBecause: { duplicateOf: 'act-other', approvedAt: '2026-11-01T11:59:00.000Z' },
    });
    expect(ports.fakes.connector.calls).toEqual([]);
    // The operator's decision the store's write owed is appended in the same pass.
    expect(audited()).toEqual([
      ['ActionApproved', 'analyst', 'Pending', 'Approved'],
      ['ActionSkipped', 'System', 'Approved', 'Skipped'],
    ]);
  });

  it('does nothing more for an action already completed (a replayed pass)', async () => {
    await approvedAction();
    await advance();
    ports.fakes.advance(1);

    await advance();

    expect(ports.fakes.connector.calls).toHaveLength(1);
    expect(audited().map(([event]) => event)).toEqual(['ActionApproved', 'ActionCompleted']);
  });

  it('takes an action another pass moved first as it is, without failing the pass', async () => {
    // Prepare: a concurrent pass (a retried invocation) completes the action between this pass's
    // read and its own move to Running.
    const action = await approvedAction();
    const transition = ports.actions.transition.bind(ports.actions);
    ports.actions.transition = async (id, to, now, patch) => {
      if (to === 'Running' && (await stored(id)).status === 'Approved') {
        await transition(id, 'Running', now);
        await transition(id, 'Completed', now, {
          result: { outcome: 'Done', at: now.toISOString() },
        });
      }
      return transition(id, to, now, patch);
    };

    // Act
    const state = await advance();

    // Assess
    expect((await stored(action.id)).status).toBe('Completed');
    expect(ports.fakes.connector.calls).toHaveLength(0);
    expect(state.investigationId).toBe(INV);
  });

  it('leaves the rest for the next pass when a pass runs out of its budget', async () => {
    // Prepare: three actions approved by policy; each connector call takes 30 ms.
    ports.settings.automation = { endpoint: 'full', email: 'full' };
    await investigated(anAlert('alert-h', filesWithLongIds(3)));
    ports.fakes.connector.latencyMs = 30;

    // Act
    const state = await advance({ budgetMs: 10, concurrency: 1 });

    // Assess
    const statuses = ports.actions.of(INV).map((a) => a.status);
    expect(statuses.filter((s) => s === 'Completed')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'Approved')).toHaveLength(2);
    expect(state).toMatchObject({ done: false, dueNow: true });
  });

  it('concludes the investigation on the pass that settles the last open action', async () => {
    // Prepare
    const [a, b] = (await investigated()) as [Action, Action];
    await ports.actions.decide(
      a.id,
      { verdict: 'approve', by: 'analyst' },
      ports.clock(),
      decisionAudit(a.id, { verdict: 'approve', by: 'analyst' }, ports.clock()),
    );
    await ports.actions.decide(
      b.id,
      { verdict: 'reject', by: 'analyst' },
      ports.clock(),
      decisionAudit(b.id, { verdict: 'reject', by: 'analyst' }, ports.clock()),
    );
    ports.fakes.advance(60);

    // Act
    const state = await advance();

    // Assess
    expect(state).toMatchObject({ investigationId: INV, done: true });
    expect(await investigation()).toMatchObject({
      status: 'PartiallyRemediated',
      counts: { actions: 2, completed: 1, rejected: 1, pending: 0 },
      endedAt: later(60),
    });
  });
});
