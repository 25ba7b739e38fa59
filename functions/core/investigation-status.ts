// What an investigation's actions add up to: its counts, status, pending time and timeline.
import type {
  Action,
  ActionCounts,
  ActionStatus,
  Investigation,
  InvestigationStatus,
} from './model.js';

/** An investigation in any other status is over: nothing in it runs or waits any more. */
const UNFINISHED: readonly InvestigationStatus[] = ['Running', 'PendingApproval'];

export function isFinished(status: InvestigationStatus): boolean {
  return !UNFINISHED.includes(status);
}

export function countActions(statuses: readonly ActionStatus[]): ActionCounts {
  const count = (...of: ActionStatus[]) => statuses.filter((s) => of.includes(s)).length;
  return {
    actions: statuses.length,
    pending: count('Pending'),
    completed: count('Completed', 'Undone'),
    rejected: count('Rejected'),
    expired: count('Expired'),
    failed: count('Failed'),
    skipped: count('Skipped'),
  };
}

/**
 * The status of an investigation from its actions' statuses. `threatsFound` tells a clean alert
 * from one whose threats the automation policy allowed no action for.
 */
export function deriveInvestigationStatus(
  statuses: readonly ActionStatus[],
  threatsFound: boolean,
): InvestigationStatus {
  if (statuses.length === 0) return threatsFound ? 'TerminatedBySystem' : 'NoThreatsFound';
  if (statuses.includes('Pending')) return 'PendingApproval';
  if (statuses.some((s) => s === 'Approved' || s === 'Running')) return 'Running';
  const c = countActions(statuses);
  // A duplicate skipped within the window was remediated by the action it duplicates.
  const remediated = c.completed + c.skipped;
  if (remediated === c.actions) return 'Remediated';
  if (remediated > 0) return 'PartiallyRemediated';
  if (c.failed > 0) return 'Failed';
  if (c.expired > 0) return 'TerminatedBySystem';
  return 'TerminatedByUser';
}

/** When an action stopped waiting for a person, or undefined while it still waits. */
function waitEnd(action: Action): number | undefined {
  if (action.status === 'Pending') return undefined;
  if (action.decision) return Date.parse(action.decision.at);
  return Math.min(Date.parse(action.updatedAt), Date.parse(action.expiresAt));
}

/**
 * Total seconds during which at least one action of the investigation waited for approval
 * (overlapping waits count once). Actions approved by automation never wait.
 */
export function pendingSeconds(actions: readonly Action[], now: Date): number {
  const intervals = actions
    .filter((a) => !a.decision?.automated)
    .map((a) => {
      const start = Date.parse(a.createdAt);
      const end = Math.min(waitEnd(a) ?? now.getTime(), Date.parse(a.expiresAt));
      return [start, Math.max(start, end)] as const;
    })
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curStart, curEnd] = [Number.NaN, Number.NaN];
  for (const [start, end] of intervals) {
    if (Number.isNaN(curStart) || start > curEnd) {
      if (!Number.isNaN(curStart)) total += curEnd - curStart;
      [curStart, curEnd] = [start, end];
    } else {
      curEnd = Math.max(curEnd, end);
    }
  }
  if (!Number.isNaN(curStart)) total += curEnd - curStart;
  return Math.round(total / 1000);
}

export interface TimelineEvent {
  at: string;
  actionId?: string;
  event: string;
  status: ActionStatus | InvestigationStatus;
  by?: string;
  /** The person's comment on a decision or an undo. */
  comment?: string;
}

/** The undo of an action: asked (while it waits), or done; the remediation it reversed stays. */
function undoEventsOf(a: Action): TimelineEvent[] {
  if (a.status === 'Completed' && a.undoRequested) {
    const { at, by, comment } = a.undoRequested;
    return [
      {
        at,
        actionId: a.id,
        event: 'UndoRequested',
        status: 'Completed',
        by,
        ...(comment !== undefined && { comment }),
      },
    ];
  }
  if (a.status !== 'Undone') return [];
  const events: TimelineEvent[] = [];
  if (a.undone?.reversed) {
    events.push({
      at: a.undone.reversed.at,
      actionId: a.id,
      event: 'ActionCompleted',
      status: 'Completed',
    });
  }
  const by = a.undone?.by ?? a.undoRequested?.by;
  const comment = a.undone?.comment ?? a.undoRequested?.comment;
  events.push({
    at: a.undone?.at ?? a.result?.at ?? a.updatedAt,
    actionId: a.id,
    event: 'ActionUndone',
    status: 'Undone',
    ...(by !== undefined && { by }),
    ...(comment !== undefined && { comment }),
  });
  return events;
}

/** The investigation's state changes, oldest first, derived from its actions. */
export function timelineOf(actions: readonly Action[]): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const a of actions) {
    events.push({ at: a.createdAt, actionId: a.id, event: 'ActionProposed', status: 'Pending' });
    if (a.decision) {
      const status = a.status === 'Rejected' ? 'Rejected' : 'Approved';
      events.push({
        at: a.decision.at,
        actionId: a.id,
        event: `Action${status}`,
        status,
        by: a.decision.by,
        ...(a.decision.comment !== undefined && { comment: a.decision.comment }),
      });
    }
    if (a.status === 'Expired') {
      events.push({ at: a.updatedAt, actionId: a.id, event: 'ActionExpired', status: 'Expired' });
    }
    if (a.status === 'Skipped') {
      events.push({ at: a.updatedAt, actionId: a.id, event: 'ActionSkipped', status: 'Skipped' });
    }
    if (a.result && a.status !== 'Undone') {
      events.push({
        at: a.result.at,
        actionId: a.id,
        event: `Action${a.status}`,
        status: a.status,
      });
    }
    events.push(...undoEventsOf(a));
  }
  return events.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}

/** When the last action still waiting expires, or undefined when none waits. */
export function pendingUntil(actions: readonly Action[]): string | undefined {
  const waiting = actions.filter((a) => a.status === 'Pending').map((a) => a.expiresAt);
  return waiting.length > 0 ? waiting.sort().at(-1) : undefined;
}

/**
 * The stored summary's pending time at `now`: what was counted at `updatedAt`, plus the wait that
 * ran on since, up to the last pending expiry. Lists read it without reading every action.
 */
export function pendingSecondsAt(
  investigation: Pick<Investigation, 'pendingSeconds' | 'pendingUntil' | 'updatedAt'>,
  now: Date,
): number {
  if (!investigation.pendingUntil) return investigation.pendingSeconds;
  const since = Date.parse(investigation.updatedAt);
  const until = Math.min(now.getTime(), Date.parse(investigation.pendingUntil));
  return investigation.pendingSeconds + Math.max(0, Math.round((until - since) / 1000));
}
