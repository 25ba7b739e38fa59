import fc from 'fast-check';
import {
  countActions,
  deriveInvestigationStatus,
  pendingSeconds,
  pendingSecondsAt,
  pendingUntil,
  timelineOf,
} from '../../../functions/core/investigation-status.js';
import {
  ACTION_STATUSES,
  type ActionCounts,
  type ActionStatus,
  INVESTIGATION_STATUSES,
  type InvestigationStatus,
} from '../../../functions/core/model.js';
import { makeAction } from '../../fixtures/actions.js';
import {
  anAction,
  at,
  atDate,
  byAutomation,
  byOperator,
  decided,
  WEEK_SECONDS,
} from './builders.js';

describe('deriveInvestigationStatus', () => {
  const CASES: [string, ActionStatus[], boolean, InvestigationStatus][] = [
    ['no actions and no threats', [], false, 'NoThreatsFound'],
    ['no actions although threats were found (policy none)', [], true, 'TerminatedBySystem'],
    ['a single pending action', ['Pending'], true, 'PendingApproval'],
    [
      'any pending action among finished ones',
      ['Completed', 'Failed', 'Pending', 'Rejected'],
      true,
      'PendingApproval',
    ],
    ['pending beside running', ['Running', 'Pending'], true, 'PendingApproval'],
    ['an approved action', ['Approved'], true, 'Running'],
    ['a running action', ['Running'], true, 'Running'],
    ['approved beside completed', ['Completed', 'Approved'], true, 'Running'],
    ['running beside failed and rejected', ['Failed', 'Rejected', 'Running'], true, 'Running'],
    ['all completed', ['Completed', 'Completed', 'Completed'], true, 'Remediated'],
    ['completed and skipped duplicates', ['Completed', 'Skipped'], true, 'Remediated'],
    ['only skipped duplicates', ['Skipped', 'Skipped'], true, 'Remediated'],
    [
      'completed and undone (undone counts as completed)',
      ['Completed', 'Undone'],
      true,
      'Remediated',
    ],
    ['some completed, some rejected', ['Completed', 'Rejected'], true, 'PartiallyRemediated'],
    ['some completed, some failed', ['Completed', 'Failed'], true, 'PartiallyRemediated'],
    ['some completed, some expired', ['Completed', 'Expired'], true, 'PartiallyRemediated'],
    ['skipped beside rejected', ['Skipped', 'Rejected'], true, 'PartiallyRemediated'],
    ['failed only', ['Failed'], true, 'Failed'],
    ['failed and rejected', ['Failed', 'Rejected'], true, 'Failed'],
    ['failed and expired', ['Expired', 'Failed'], true, 'Failed'],
    ['expired only', ['Expired', 'Expired'], true, 'TerminatedBySystem'],
    ['rejected and expired', ['Rejected', 'Expired'], true, 'TerminatedBySystem'],
    ['all rejected', ['Rejected', 'Rejected'], true, 'TerminatedByUser'],
    ['a single rejected', ['Rejected'], true, 'TerminatedByUser'],
  ];

  it.each(CASES)('%s → %s', (_, statuses, threatsFound, expected) => {
    // Act
    const status = deriveInvestigationStatus(statuses, threatsFound);

    // Assess
    expect(status).toBe(expected);
  });

  it('reaches every investigation status of the contract', () => {
    // Prepare
    const reached = new Set(
      CASES.map(([, statuses, threats]) => deriveInvestigationStatus(statuses, threats)),
    );

    // Assess
    expect([...reached].sort()).toEqual([...INVESTIGATION_STATUSES].sort());
    expect(INVESTIGATION_STATUSES).toHaveLength(8);
  });

  it.each([
    [['Completed'] as ActionStatus[]],
    [['Rejected'] as ActionStatus[]],
    [['Pending'] as ActionStatus[]],
  ])('ignores threatsFound once there are actions (%j)', (statuses) => {
    expect(deriveInvestigationStatus(statuses, true)).toBe(
      deriveInvestigationStatus(statuses, false),
    );
  });

  const statusList = fc.array(fc.constantFrom(...ACTION_STATUSES), { minLength: 1, maxLength: 8 });

  it('does not depend on the order of the actions', () => {
    fc.assert(
      fc.property(statusList, fc.boolean(), (statuses, threats) => {
        const reversed = [...statuses].reverse();
        expect(deriveInvestigationStatus(reversed, threats)).toBe(
          deriveInvestigationStatus(statuses, threats),
        );
      }),
    );
  });

  it('is PendingApproval whenever one action still waits', () => {
    fc.assert(
      fc.property(statusList, fc.nat(), (statuses, position) => {
        const withPending = [...statuses];
        withPending.splice(position % (statuses.length + 1), 0, 'Pending');
        expect(deriveInvestigationStatus(withPending, true)).toBe('PendingApproval');
      }),
    );
  });

  it('never reports NoThreatsFound for an investigation that has actions', () => {
    fc.assert(
      fc.property(statusList, fc.boolean(), (statuses, threats) => {
        expect(deriveInvestigationStatus(statuses, threats)).not.toBe('NoThreatsFound');
      }),
    );
  });
});

describe('countActions', () => {
  const ZERO: ActionCounts = {
    actions: 0,
    pending: 0,
    completed: 0,
    rejected: 0,
    expired: 0,
    failed: 0,
    skipped: 0,
  };

  it('counts nothing for no actions', () => {
    expect(countActions([])).toEqual(ZERO);
  });

  it.each([
    ['Pending', { pending: 1 }],
    ['Approved', {}],
    ['Running', {}],
    ['Completed', { completed: 1 }],
    ['Undone', { completed: 1 }],
    ['Rejected', { rejected: 1 }],
    ['Expired', { expired: 1 }],
    ['Failed', { failed: 1 }],
    ['Skipped', { skipped: 1 }],
  ] as [ActionStatus, Partial<ActionCounts>][])('counts a %s action as %j', (status, bucket) => {
    expect(countActions([status])).toEqual({ ...ZERO, actions: 1, ...bucket });
  });

  it('adds up a mixed investigation', () => {
    // Prepare
    const statuses: ActionStatus[] = [
      'Pending',
      'Pending',
      'Approved',
      'Running',
      'Completed',
      'Completed',
      'Undone',
      'Rejected',
      'Expired',
      'Expired',
      'Failed',
      'Skipped',
    ];

    // Act
    const counts = countActions(statuses);

    // Assess
    expect(counts).toEqual({
      actions: 12,
      pending: 2,
      completed: 3,
      rejected: 1,
      expired: 2,
      failed: 1,
      skipped: 1,
    });
  });
});

describe('pendingSeconds: total time waiting for approval', () => {
  it('is zero without actions', () => {
    expect(pendingSeconds([], atDate(1_000))).toBe(0);
  });

  it('counts a single action from creation to decision', () => {
    // Prepare
    const action = decided(0, 90);

    // Act / Assess
    expect(pendingSeconds([action], atDate(10_000))).toBe(90);
  });

  it('counts a rejected action up to its rejection', () => {
    expect(pendingSeconds([decided(10, 70, 'Rejected')], atDate(10_000))).toBe(60);
  });

  it('counts overlapping waits once', () => {
    // Prepare: 0–100 and 50–150 overlap on 50–100
    const actions = [decided(0, 100), decided(50, 150)];

    // Act / Assess
    expect(pendingSeconds(actions, atDate(10_000))).toBe(150);
  });

  it('counts a wait nested inside another once', () => {
    expect(pendingSeconds([decided(0, 200), decided(50, 100)], atDate(10_000))).toBe(200);
  });

  it('counts waits that touch end to start without a gap or double count', () => {
    expect(pendingSeconds([decided(0, 100), decided(100, 200)], atDate(10_000))).toBe(200);
  });

  it('sums disjoint waits', () => {
    // Prepare: 0–100 and 200–260
    const actions = [decided(0, 100), decided(200, 260)];

    // Act / Assess
    expect(pendingSeconds(actions, atDate(10_000))).toBe(160);
  });

  it('merges a chain of overlaps and sums the gaps correctly, in any input order', () => {
    // Prepare: [0,100] ∪ [80,180] ∪ [170,200] = [0,200]; [300,350]; [340,400] → [300,400]
    const actions = [
      decided(300, 350),
      decided(170, 200),
      decided(0, 100),
      decided(340, 400),
      decided(80, 180),
    ];

    // Act / Assess
    expect(pendingSeconds(actions, atDate(10_000))).toBe(300);
    expect(pendingSeconds([...actions].reverse(), atDate(10_000))).toBe(300);
  });

  it('never counts actions decided by automation', () => {
    // Prepare
    const automatic = anAction({
      status: 'Completed',
      createdAt: at(0),
      updatedAt: at(500),
      decision: byAutomation(at(0)),
    });

    // Act / Assess
    expect(pendingSeconds([automatic], atDate(10_000))).toBe(0);
  });

  it('counts only the operator-decided wait beside an automatic one', () => {
    // Prepare
    const automatic = anAction({
      status: 'Completed',
      createdAt: at(0),
      updatedAt: at(1_000),
      decision: byAutomation(at(1_000)),
    });
    const manual = decided(100, 130);

    // Act / Assess
    expect(pendingSeconds([automatic, manual], atDate(10_000))).toBe(30);
  });

  it('counts a still-pending action up to now', () => {
    // Prepare
    const pending = anAction({ status: 'Pending', createdAt: at(0) });

    // Act / Assess
    expect(pendingSeconds([pending], atDate(300))).toBe(300);
  });

  it('caps a still-pending action at its expiry when now is past it', () => {
    // Prepare
    const pending = anAction({ status: 'Pending', createdAt: at(0), expiresAt: at(WEEK_SECONDS) });

    // Act / Assess
    expect(pendingSeconds([pending], atDate(WEEK_SECONDS + 86_400))).toBe(WEEK_SECONDS);
  });

  it('counts an expired action up to its expiry even when the expiry was recorded late', () => {
    // Prepare
    const expired = anAction({
      status: 'Expired',
      createdAt: at(0),
      expiresAt: at(WEEK_SECONDS),
      updatedAt: at(WEEK_SECONDS + 600),
    });

    // Act / Assess
    expect(pendingSeconds([expired], atDate(WEEK_SECONDS * 3))).toBe(WEEK_SECONDS);
  });

  it('counts an undecided, non-pending action up to its last update', () => {
    // Prepare
    const expiredEarly = anAction({
      status: 'Expired',
      createdAt: at(0),
      expiresAt: at(WEEK_SECONDS),
      updatedAt: at(3_600),
    });

    // Act / Assess
    expect(pendingSeconds([expiredEarly], atDate(WEEK_SECONDS * 3))).toBe(3_600);
  });

  it('caps a decision recorded after the expiry at the expiry', () => {
    // Prepare: approved, but the engine had already timed the wait out
    const late = anAction({
      status: 'Expired',
      createdAt: at(0),
      expiresAt: at(WEEK_SECONDS),
      updatedAt: at(WEEK_SECONDS + 10),
      decision: byOperator(at(WEEK_SECONDS + 5)),
    });

    // Act / Assess
    expect(pendingSeconds([late], atDate(WEEK_SECONDS * 2))).toBe(WEEK_SECONDS);
  });

  it('merges a still-pending action with a decided one', () => {
    // Prepare: decided 0–100, pending since 50 and now is 400 → 0–400
    const actions = [decided(0, 100), anAction({ status: 'Pending', createdAt: at(50) })];

    // Act / Assess
    expect(pendingSeconds(actions, atDate(400))).toBe(400);
  });

  it('never goes negative when now is before the creation (clock skew)', () => {
    const pending = anAction({ status: 'Pending', createdAt: at(100) });

    expect(pendingSeconds([pending], atDate(40))).toBe(0);
  });

  it.each([
    [1_400, 1],
    [1_500, 2],
    [999, 1],
    [400, 0],
  ])('rounds a wait of %i ms to %i s', (ms, seconds) => {
    // Prepare
    const action = anAction({
      status: 'Approved',
      createdAt: at(0),
      decision: byOperator(new Date(atDate(0).getTime() + ms).toISOString()),
    });

    // Act / Assess
    expect(pendingSeconds([action], atDate(10_000))).toBe(seconds);
  });
});

describe('timelineOf', () => {
  it('is empty without actions', () => {
    expect(timelineOf([])).toEqual([]);
  });

  it('tells a completed action as proposed, approved, completed', () => {
    // Prepare
    const action = anAction({
      status: 'Completed',
      createdAt: at(0),
      updatedAt: at(120),
      decision: byOperator(at(60)),
      result: { outcome: 'quarantined', at: at(120) },
    });

    // Act
    const timeline = timelineOf([action]);

    // Assess
    expect(timeline).toEqual([
      { at: at(0), actionId: action.id, event: 'ActionProposed', status: 'Pending' },
      {
        at: at(60),
        actionId: action.id,
        event: 'ActionApproved',
        status: 'Approved',
        by: 'analyst@example.com',
      },
      { at: at(120), actionId: action.id, event: 'ActionCompleted', status: 'Completed' },
    ]);
  });

  it('tells a rejected action as proposed, rejected by the decider', () => {
    const action = decided(0, 30, 'Rejected');

    expect(timelineOf([action]).map((e) => [e.event, e.status, e.by])).toEqual([
      ['ActionProposed', 'Pending', undefined],
      ['ActionRejected', 'Rejected', 'analyst@example.com'],
    ]);
  });

  it('tells an expired action as proposed, expired at its update', () => {
    const action = anAction({ status: 'Expired', createdAt: at(0), updatedAt: at(WEEK_SECONDS) });

    expect(timelineOf([action])).toEqual([
      { at: at(0), actionId: action.id, event: 'ActionProposed', status: 'Pending' },
      { at: at(WEEK_SECONDS), actionId: action.id, event: 'ActionExpired', status: 'Expired' },
    ]);
  });

  it('tells a skipped duplicate as proposed, approved, skipped', () => {
    const action = anAction({
      status: 'Skipped',
      createdAt: at(0),
      updatedAt: at(20),
      decision: byOperator(at(10)),
    });

    expect(timelineOf([action]).map((e) => [e.at, e.event])).toEqual([
      [at(0), 'ActionProposed'],
      [at(10), 'ActionApproved'],
      [at(20), 'ActionSkipped'],
    ]);
  });

  it.each([
    ['Failed', 'ActionFailed'],
    ['Undone', 'ActionUndone'],
  ] as [ActionStatus, string][])('tells a %s action ending with %s', (status, event) => {
    const action = anAction({
      status,
      createdAt: at(0),
      updatedAt: at(50),
      decision: byOperator(at(10)),
      result: { outcome: 'x', at: at(50) },
    });

    expect(timelineOf([action]).at(-1)).toEqual({ at: at(50), actionId: action.id, event, status });
  });

  it('keeps the Completed event of an undone action and adds the Undo with who undid it and why', () => {
    // Prepare
    const action = anAction({
      status: 'Undone',
      createdAt: at(0),
      updatedAt: at(90),
      decision: byOperator(at(10), 'confirmed'),
      result: { outcome: 'restored', at: at(90) },
      undoRequested: { by: 'lead@example.com', at: at(80), comment: 'false positive' },
      undone: {
        by: 'lead@example.com',
        at: at(90),
        comment: 'false positive',
        requestedAt: at(80),
        reversed: { outcome: 'quarantined', at: at(50) },
      },
    });

    // Act
    const timeline = timelineOf([action]);

    // Assess
    expect(timeline.map((e) => [e.at, e.event, e.status, e.by, e.comment])).toEqual([
      [at(0), 'ActionProposed', 'Pending', undefined, undefined],
      [at(10), 'ActionApproved', 'Approved', 'analyst@example.com', 'confirmed'],
      [at(50), 'ActionCompleted', 'Completed', undefined, undefined],
      [at(90), 'ActionUndone', 'Undone', 'lead@example.com', 'false positive'],
    ]);
  });

  it('names who asked an undo still under way, with the comment, after the Completed event', () => {
    // Prepare
    const action = anAction({
      status: 'Completed',
      createdAt: at(0),
      decision: byOperator(at(10)),
      result: { outcome: 'quarantined', at: at(50) },
      undoRequested: { by: 'lead@example.com', at: at(80), comment: 'ticket 7' },
    });

    // Act
    const timeline = timelineOf([action]);

    // Assess
    expect(timeline.slice(-2)).toEqual([
      { at: at(50), actionId: action.id, event: 'ActionCompleted', status: 'Completed' },
      {
        at: at(80),
        actionId: action.id,
        event: 'UndoRequested',
        status: 'Completed',
        by: 'lead@example.com',
        comment: 'ticket 7',
      },
    ]);
  });

  it('interleaves the events of several actions oldest first', () => {
    // Prepare
    const first = anAction({
      status: 'Completed',
      createdAt: at(0),
      decision: byOperator(at(300)),
      result: { outcome: 'done', at: at(400) },
    });
    const second = anAction({
      status: 'Rejected',
      createdAt: at(100),
      decision: byOperator(at(200)),
    });
    const third = anAction({ status: 'Pending', createdAt: at(350) });

    // Act
    const timeline = timelineOf([third, first, second]);

    // Assess
    expect(timeline.map((e) => [e.at, e.actionId, e.event])).toEqual([
      [at(0), first.id, 'ActionProposed'],
      [at(100), second.id, 'ActionProposed'],
      [at(200), second.id, 'ActionRejected'],
      [at(300), first.id, 'ActionApproved'],
      [at(350), third.id, 'ActionProposed'],
      [at(400), first.id, 'ActionCompleted'],
    ]);
  });

  it('keeps the causal order of one action when its events share a timestamp', () => {
    // Prepare: automation approves at the very instant the action is proposed
    const action = anAction({
      status: 'Completed',
      createdAt: at(0),
      decision: byAutomation(at(0)),
      result: { outcome: 'done', at: at(0) },
    });

    // Act / Assess
    expect(timelineOf([action]).map((e) => e.event)).toEqual([
      'ActionProposed',
      'ActionApproved',
      'ActionCompleted',
    ]);
  });

  it('orders by instant, not by text, when timestamps use other ISO-8601 forms the schema accepts', () => {
    // Prepare: 10:00:00+02:00 is 08:00:00Z, before the 09:00:00Z proposal; 09:00:00.500Z is after 09:00:00Z
    const action = anAction({
      status: 'Completed',
      createdAt: '2026-03-01T09:00:00Z',
      updatedAt: '2026-03-01T09:00:00.500Z',
      decision: byOperator('2026-03-01T09:00:00.250Z'),
      result: { outcome: 'done', at: '2026-03-01T09:00:00.500Z' },
    });
    const other = anAction({ status: 'Pending', createdAt: '2026-03-01T10:00:00+02:00' });

    // Act
    const timeline = timelineOf([action, other]);

    // Assess
    expect(timeline.map((e) => [e.actionId, e.event])).toEqual([
      [other.id, 'ActionProposed'],
      [action.id, 'ActionProposed'],
      [action.id, 'ActionApproved'],
      [action.id, 'ActionCompleted'],
    ]);
  });
});

describe('pending time read from the stored summary', () => {
  const summary = {
    pendingSeconds: 60,
    updatedAt: '2026-11-01T12:00:00.000Z',
    pendingUntil: '2026-11-01T12:30:00.000Z',
  };

  it('runs on from the last refresh while an action still waits', () => {
    expect(pendingSecondsAt(summary, new Date('2026-11-01T12:10:00.000Z'))).toBe(660);
  });

  it('stops at the last pending expiry', () => {
    expect(pendingSecondsAt(summary, new Date('2026-11-01T13:00:00.000Z'))).toBe(1860);
  });

  it('is the stored figure when nothing waits', () => {
    const { pendingUntil: _, ...settled } = summary;
    expect(pendingSecondsAt(settled, new Date('2026-11-01T13:00:00.000Z'))).toBe(60);
  });

  it('names the latest expiry among the actions still pending', () => {
    const actions = [
      makeAction({ id: 'a', status: 'Pending', expiresAt: '2026-11-08T12:00:00.000Z' }),
      makeAction({ id: 'b', status: 'Pending', expiresAt: '2026-11-09T12:00:00.000Z' }),
      makeAction({ id: 'c', status: 'Rejected', expiresAt: '2026-11-10T12:00:00.000Z' }),
    ];

    expect(pendingUntil(actions)).toBe('2026-11-09T12:00:00.000Z');
    expect(pendingUntil([actions[2] as (typeof actions)[number]])).toBeUndefined();
  });
});
