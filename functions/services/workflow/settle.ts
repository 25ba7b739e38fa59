// How the workflow moves an action as the System: one conditional transition that owes its audit
// record in the same write (only the write that moved it owes one, so a replayed pass audits
// nothing twice).
import {
  type ActionChange,
  auditRecordOf,
  movedBy,
  SYSTEM_ACTOR,
} from '../../core/action-changes.js';
import type { Action, ActionStatus } from '../../core/model.js';
import type { ActionPatch, ActionStore } from '../../core/ports.js';

export interface Move extends Pick<ActionChange, 'event' | 'comment'> {
  to: ActionStatus;
  patch?: ActionPatch;
  /** Logs and metrics of the call that moved the action; a replay that finds it moved says nothing. */
  onMoved?: (action: Action) => void;
}

/**
 * Moves the action as the System at `at`, owing the move's audit record in the same write (the
 * appender chains it).
 */
export async function recordMove(
  ports: { actions: Pick<ActionStore, 'transition'> },
  action: Action,
  at: Date,
  move: Move,
): Promise<Action> {
  const audit = auditRecordOf({
    at,
    actor: SYSTEM_ACTOR,
    event: move.event,
    action: { ...action, status: move.to },
    before: action.status,
    comment: move.comment,
  });
  const moved = await ports.actions.transition(action.id, move.to, at, move.patch, audit);
  if (movedBy(moved, at)) {
    move.onMoved?.(moved);
  }
  return moved;
}
