import type { Action } from '../../../functions/core/model.js';
import { bulkUndoBlocker, tabBlocker } from '../../../web/src/actions/bulk-blocker.js';
import { makeAction } from '../../fixtures/actions.js';

const completed = (overrides: Partial<Action> = {}) =>
  makeAction({ status: 'Completed', undoable: true, ...overrides });
const anyone = () => true;

describe('bulkUndoBlocker', () => {
  it('offers Undo for several completed, undoable actions of one type the user may decide', () => {
    expect(bulkUndoBlocker([completed(), completed()], anyone)).toBeUndefined();
  });

  it.each([
    ['nothing selected', [], 'Select completed actions to undo them.'],
    [
      'a pending one among them',
      [completed(), makeAction()],
      'Only completed actions that can be reversed can be undone.',
    ],
    [
      'one that cannot be reversed',
      [completed(), completed({ undoable: false })],
      'Only completed actions that can be reversed can be undone.',
    ],
    [
      'one being undone already',
      [completed(), completed({ undoRequested: { by: 'x', at: '2026-11-01T12:00:00.000Z' } })],
      'An undo of some of these is under way.',
    ],
    [
      'two types',
      [completed(), completed({ type: 'killProcess' })],
      'Select actions of one type to undo them together.',
    ],
  ] as [string, Action[], string][])('says why not when %s', (_what, selected, why) => {
    expect(bulkUndoBlocker(selected, anyone)).toBe(why);
  });

  it('says why not when the roles do not allow it', () => {
    expect(bulkUndoBlocker([completed(), completed()], () => false)).toBe(
      'Your roles do not allow undoing these actions.',
    );
  });

  it('leaves the Pending tab to approve and reject', () => {
    expect(tabBlocker('pending', [completed(), completed()], anyone)).toBe(
      'Only pending actions can be decided.',
    );
    expect(tabBlocker('history', [completed(), completed()], anyone)).toBeUndefined();
  });
});
