// How the workflow moves an action as the System: one conditional transition, audited once (only
// the write that moved it records, so a replayed pass audits nothing twice).
import { type ActionChange, movedBy, SYSTEM_ACTOR } from '../../core/action-changes.js';
import type { Action, ActionStatus } from '../../core/model.js';
import type { ActionPatch, ActionStore, AuditLog } from '../../core/ports.js';
import { recordChange } from '../audit-trail.js';

export interface Move extends Pick<ActionChange, 'event' | 'comment'> {
  to: ActionStatus;
  patch?: ActionPatch;
  /** Logs and metrics of the call that moved the action; a replay that finds it moved says nothing. */
  onMoved?: (action: Action) => void;
}

/** Moves the action as the System at `at` and audits the move if this call made it. */
export async function recordMove(
  ports: { actions: Pick<ActionStore, 'transition'>; audit: Pick<AuditLog, 'append'> },
  action: Action,
  at: Date,
  move: Move,
): Promise<Action> {
  const moved = await ports.actions.transition(action.id, move.to, at, move.patch);
  if (movedBy(moved, at)) {
    await recordChange(ports, {
      at,
      actor: SYSTEM_ACTOR,
      event: move.event,
      action: moved,
      before: action.status,
      comment: move.comment,
    });
    move.onMoved?.(moved);
  }
  return moved;
}
