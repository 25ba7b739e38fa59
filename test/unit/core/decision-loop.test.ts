// The state a pass of the decision loop hands on: whether the investigation is done, whether work
// is due at once, and how long its one wait may last.
import { loopStateOf, MAX_WAIT_SECONDS } from '../../../functions/core/decision-loop.js';
import type { Action } from '../../../functions/core/model.js';
import type { RemediationTracking } from '../../../functions/core/remediation.js';
import { anAction, at, atDate, T0 } from './builders.js';

const tracked = (checkAt: string): RemediationTracking => ({
  submitted: true,
  checks: 1,
  failures: 0,
  checkAt,
  deadline: at(3600),
});

function stateOf(
  actions: Action[],
  options: { tracking?: [string, RemediationTracking][]; now?: Date; cutShort?: boolean } = {},
) {
  return loopStateOf({
    investigationId: 'inv-1',
    wakesSeen: 3,
    actions,
    tracking: new Map(options.tracking ?? []),
    now: options.now ?? T0,
    ...(options.cutShort !== undefined && { cutShort: options.cutShort }),
  });
}

describe('loopStateOf', () => {
  it('is done when every action is finished, and carries the id and the wakes seen', () => {
    const state = stateOf([
      anAction({ status: 'Completed' }),
      anAction({ status: 'Rejected' }),
      anAction({ status: 'Expired' }),
    ]);

    expect(state).toEqual({
      investigationId: 'inv-1',
      wakesSeen: 3,
      done: true,
      dueNow: false,
      waitSeconds: 1,
    });
  });

  it('is done with no actions at all', () => {
    expect(stateOf([])).toMatchObject({ done: true, dueNow: false });
  });

  it('waits until the earliest pending expiry', () => {
    const state = stateOf([anAction({ expiresAt: at(900) }), anAction({ expiresAt: at(300) })]);

    expect(state).toMatchObject({ done: false, dueNow: false, waitSeconds: 300 });
  });

  it('waits until the earliest status check when it comes before any expiry', () => {
    const running = anAction({ status: 'Running' });

    const state = stateOf([anAction({ expiresAt: at(900) }), running], {
      tracking: [[running.id, tracked(at(8))]],
    });

    expect(state).toMatchObject({ dueNow: false, waitSeconds: 8 });
  });

  it('rounds a part of a second up, so the wait never ends before the moment', () => {
    const state = stateOf([anAction({ expiresAt: at(300) })], { now: atDate(0.2) });

    expect(state.waitSeconds).toBe(300);
  });

  it('waits at least one second', () => {
    const state = stateOf([anAction({ expiresAt: at(0.4) })]);

    expect(state).toMatchObject({ dueNow: false, waitSeconds: 1 });
  });

  it('waits no longer than MAX_WAIT_SECONDS', () => {
    const state = stateOf([anAction({ expiresAt: at(10 * MAX_WAIT_SECONDS) })]);

    expect(state.waitSeconds).toBe(MAX_WAIT_SECONDS);
  });

  it('is due now when an expiry or a check has come', () => {
    const running = anAction({ status: 'Running' });

    expect(stateOf([anAction({ expiresAt: at(0) })]).dueNow).toBe(true);
    expect(stateOf([running], { tracking: [[running.id, tracked(at(-5))]] }).dueNow).toBe(true);
  });

  it('is due now with an approved action', () => {
    const state = stateOf([anAction({ expiresAt: at(900) }), anAction({ status: 'Approved' })]);

    expect(state).toMatchObject({ done: false, dueNow: true });
  });

  it('is due now with a Running action that has no tracking (cut off before its submission)', () => {
    expect(stateOf([anAction({ status: 'Running' })])).toMatchObject({
      done: false,
      dueNow: true,
    });
  });

  it('is not done while a Completed action waits for its undo: due now, or at its retry', () => {
    const undoing = anAction({
      status: 'Completed',
      undoRequested: { by: 'analyst@example.com', at: at(0) },
    });

    const fresh = stateOf([undoing]);
    const retrying = stateOf([undoing], { tracking: [[undoing.id, tracked(at(4))]] });

    expect(fresh).toMatchObject({ done: false, dueNow: true });
    expect(retrying).toMatchObject({ done: false, dueNow: false, waitSeconds: 4 });
  });

  it('is due now when the pass was cut short', () => {
    const state = stateOf([anAction({ expiresAt: at(900) })], { cutShort: true });

    expect(state.dueNow).toBe(true);
  });
});
