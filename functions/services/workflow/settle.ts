// The skeleton of the tasks that settle an action: read it, leave it alone unless it is in a
// status the task settles, move it, audit the move once (only the write that moved it records, so
// a replayed task audits nothing twice), and recompute the investigation.
import { type ActionChange, movedBy, SYSTEM_ACTOR } from '../../core/action-changes.js';
import type { Action, ActionStatus } from '../../core/model.js';
import type { ActionPatch, ActionStore, AuditLog } from '../../core/ports.js';
import { logger } from '../../observability.js';
import { recordChange } from '../audit-trail.js';
import type { WorkflowPorts } from './ports.js';
import { refreshInvestigation } from './progress.js';

/** What a task that moves one action returns. */
export interface ActionStep {
  actionId: string;
  status: Action['status'];
}

export const stepOf = (action: Action): ActionStep => ({
  actionId: action.id,
  status: action.status,
});

export type SettlePorts = Pick<WorkflowPorts, 'actions' | 'audit' | 'investigations' | 'clock'>;

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

/** Moves the action as the System at `at`, audits the move if this call made it, refreshes. */
export async function moveAction(
  ports: SettlePorts,
  investigationId: string,
  action: Action,
  at: Date,
  move: Move,
): Promise<Action> {
  const moved = await recordMove(ports, action, at, move);
  await refreshInvestigation(ports, investigationId);
  return moved;
}

interface Settlement extends Omit<Move, 'comment' | 'patch'> {
  /** Logged when the action is not stored; the step then answers `to`. */
  unknown: string;
  /** The statuses it settles; an action in any other is left as it is. */
  from: readonly ActionStatus[];
  /** The audited comment and what the transition writes besides the status, at the change's time. */
  details?: (at: Date) => Pick<Move, 'comment' | 'patch'>;
}

export async function settleAction(
  ports: SettlePorts,
  event: { investigationId: string; actionId: string },
  settlement: Settlement,
): Promise<ActionStep> {
  const { unknown, from, details, ...move } = settlement;
  const action = await ports.actions.get(event.actionId);
  if (!action) {
    logger.warn(unknown, { actionId: event.actionId });
    return { actionId: event.actionId, status: move.to };
  }
  if (!from.includes(action.status)) {
    await refreshInvestigation(ports, event.investigationId);
    return stepOf(action);
  }
  const at = ports.clock();
  const moved = await moveAction(ports, event.investigationId, action, at, {
    ...move,
    ...details?.(at),
  });
  return stepOf(moved);
}
