import {
  assetNameOf,
  DEFAULT_ORDER,
  matchesText,
  pageOf,
  sortKeyOf,
} from '../../../functions/core/action-order.js';
import type { Action, Severity } from '../../../functions/core/model.js';
import { makeAction, plus, T0 } from '../../fixtures/actions.js';

const at = (seconds: number) => plus(T0, seconds).toISOString();
const ids = (actions: readonly Action[]) => actions.map((a) => a.id);

describe('ordering an action list', () => {
  it('puts critical first, then the oldest first, by default on the pending tab', () => {
    // Prepare
    const oldHigh = makeAction({ severity: 'high', createdAt: at(0) });
    const newCritical = makeAction({ severity: 'critical', createdAt: at(20) });
    const oldCritical = makeAction({ severity: 'critical', createdAt: at(10) });
    const low = makeAction({ severity: 'low', createdAt: at(5) });

    // Act
    const page = pageOf([oldHigh, newCritical, low, oldCritical], DEFAULT_ORDER.pending, 10);

    // Assess
    expect(ids(page.items)).toEqual(ids([oldCritical, newCritical, oldHigh, low]));
    expect(page.lastKey).toBeUndefined();
  });

  it('sorts severity ascending from informational, not alphabetically', () => {
    // Prepare
    const severities: Severity[] = ['high', 'critical', 'informational', 'medium', 'low'];
    const actions = severities.map((severity) => makeAction({ severity }));

    // Act
    const page = pageOf(actions, { sort: 'severity', order: 'asc' }, 10);

    // Assess
    expect(page.items.map((a) => a.severity)).toEqual([
      'informational',
      'low',
      'medium',
      'high',
      'critical',
    ]);
  });

  it('continues after the previous page last key, even when that action has left the list', () => {
    // Prepare
    const actions = Array.from({ length: 7 }, (_, i) => makeAction({ createdAt: at(i) }));
    const order = { sort: 'age', order: 'desc' } as const;
    const first = pageOf(actions, order, 3);
    const without = actions.filter((a) => a.id !== first.items[2]?.id);

    // Act
    const second = pageOf(without, order, 3, first.lastKey);
    const third = pageOf(without, order, 3, second.lastKey);

    // Assess
    expect(ids(first.items)).toEqual(ids([actions[6], actions[5], actions[4]] as Action[]));
    expect(ids(second.items)).toEqual(ids([actions[3], actions[2], actions[1]] as Action[]));
    expect(ids(third.items)).toEqual(ids([actions[0]] as Action[]));
    expect(third.lastKey).toBeUndefined();
  });

  it('sorts targets by name case-insensitively and the history by decision time', () => {
    // Prepare
    const beta = makeAction({
      target: { kind: 'file', id: 'f1', displayName: 'beta.exe' },
      decision: { by: 'a', at: at(50), automated: false },
    });
    const alpha = makeAction({
      target: { kind: 'file', id: 'f2', displayName: 'Alpha.exe' },
      decision: { by: 'a', at: at(90), automated: false },
    });

    // Act
    const byTarget = pageOf([beta, alpha], { sort: 'target', order: 'asc' }, 10);
    const byDecision = pageOf([beta, alpha], DEFAULT_ORDER.history, 10);

    // Assess
    expect(ids(byTarget.items)).toEqual(ids([alpha, beta]));
    expect(ids(byDecision.items)).toEqual(ids([alpha, beta]));
    expect(sortKeyOf(alpha, 'decidedAt')[0]).toBe(at(90));
  });

  it('breaks ties oldest first, but by id in the list direction for expiry and decidedAt, as their index does', () => {
    // Prepare: three decided at the same time, created at different times
    const decision = { by: 'a', at: at(100), automated: false };
    const actions = [30, 10, 20].map((s) => makeAction({ createdAt: at(s), decision }));
    const byId = [...actions].sort((x, y) => (x.id < y.id ? -1 : 1));
    const byAge = [...actions].sort((x, y) => x.createdAt.localeCompare(y.createdAt));

    // Act
    const newest = pageOf(actions, { sort: 'decidedAt', order: 'desc' }, 10);
    const oldest = pageOf(actions, { sort: 'decidedAt', order: 'asc' }, 10);
    const byType = pageOf(actions, { sort: 'type', order: 'desc' }, 10);
    const first = pageOf(actions, { sort: 'decidedAt', order: 'desc' }, 1);
    const rest = pageOf(actions, { sort: 'decidedAt', order: 'desc' }, 10, first.lastKey);

    // Assess
    expect(ids(newest.items)).toEqual(ids([...byId].reverse()));
    expect(ids(oldest.items)).toEqual(ids(byId));
    expect(ids(byType.items)).toEqual(ids(byAge));
    expect(ids(rest.items)).toEqual(ids([...byId].reverse().slice(1)));
    expect(sortKeyOf(actions[0] as Action, 'expiry')[1]).toBe('');
  });
});

describe('searching an action list', () => {
  const action = makeAction({
    investigationId: 'inv-0123456789abcdef0123',
    alertTitle: 'Ransomware note dropped',
    assetGroup: 'Finance laptops',
    target: {
      kind: 'file',
      id: 'file-id-1',
      displayName: 'note.txt',
      deviceId: 'dev-9f2c',
      deviceName: 'FIN-LT-042',
      mailbox: 'cfo@example.com',
    },
  });

  it.each([
    ['the target name', 'NOTE.TXT'],
    ['the device name', 'fin-lt'],
    ['the mailbox', 'CFO@'],
    ['the alert title', 'ransomware'],
    ['the investigation id', '456789abcdef'],
    ['the asset group', 'finance LAPTOPS'],
  ])('finds an action by %s, case-insensitively', (_field, q) => {
    expect(matchesText(action, q)).toBe(true);
  });

  it('does not search ids other than the investigation id', () => {
    expect(matchesText(action, 'dev-9f2c')).toBe(false);
    expect(matchesText(action, 'file-id-1')).toBe(false);
  });
});

describe('the asset an action acts on', () => {
  it('names the device, the mailbox or the target, never an id', () => {
    // Prepare
    const isolate = makeAction({
      type: 'isolateDevice',
      target: { kind: 'device', id: 'dev-1', displayName: 'WS-0042' },
    });
    const onDevice = makeAction({
      target: {
        kind: 'file',
        id: 'f',
        displayName: 'a.exe',
        deviceId: 'dev-1',
        deviceName: 'WS-0042',
      },
    });
    const mail = makeAction({
      target: { kind: 'mailbox', id: 'm', displayName: 'Jo', mailbox: 'jo@example.com' },
    });
    const cluster = makeAction({
      target: { kind: 'emailCluster', id: 'c', displayName: 'Invoice overdue', clusterId: 'c-1' },
    });

    // Act
    const names = [isolate, onDevice, mail, cluster].map(assetNameOf);

    // Assess
    expect(names).toEqual(['WS-0042', 'WS-0042', 'jo@example.com', 'Invoice overdue']);
  });
});
