// The investigation's decision loop (statemachines/investigation.asl.json): after each pass over
// its actions, whether anything is still open, whether work is due at once, and how long the one
// wait may last before the loop must look again by itself (the earliest expiry or status check).
// The state the loop carries is this, never evidence or actions: its size does not grow with them.
import { isTerminal } from './action-status.js';
import type { Action } from './model.js';
import type { RemediationTracking } from './remediation.js';
import { isUndoPending } from './undo.js';

export interface LoopState {
  investigationId: string;
  /** Wakes counted before this pass read the actions: a later one is a change it has not seen. */
  wakesSeen: number;
  /** Nothing is open any more: the investigation is concluded. */
  done: boolean;
  /** Work is due now (an approved action, a lapsed expiry, a check, a pass cut short). */
  dueNow: boolean;
  /** How long the wait may last, in whole seconds (Step Functions' TimeoutSecondsPath): >= 1. */
  waitSeconds: number;
}

/**
 * The longest one wait lasts: the local engine can time 24.8 days, Step Functions 99999999 s;
 * a wait that ends with nothing due only costs one pass.
 */
export const MAX_WAIT_SECONDS = 2_000_000;

/** What a pass leaves: its actions as they now are, the Running ones' tracking, and the time. */
export function loopStateOf(pass: {
  investigationId: string;
  wakesSeen: number;
  actions: readonly Action[];
  tracking: ReadonlyMap<string, RemediationTracking>;
  now: Date;
  /** The pass stopped before it went through every action. */
  cutShort?: boolean;
}): LoopState {
  const { actions, tracking, now } = pass;
  // A Completed action an operator asked to undo keeps the loop going until the undo is settled.
  const open = actions.filter((a) => !isTerminal(a.status) || isUndoPending(a));
  const moments: number[] = [];
  let dueNow = pass.cutShort === true;
  for (const action of open) {
    if (action.status === 'Approved') dueNow = true;
    if (action.status === 'Pending') moments.push(Date.parse(action.expiresAt));
    if (action.status === 'Running' || isUndoPending(action)) {
      const checkAt = tracking.get(action.id)?.checkAt;
      // Without tracking: cut off before its submission was noted, or an undo not yet tried.
      if (checkAt === undefined) dueNow = true;
      else moments.push(Date.parse(checkAt));
    }
  }
  const next = Math.min(...moments);
  if (next <= now.getTime()) dueNow = true;
  const waitSeconds = Number.isFinite(next)
    ? Math.min(Math.max(1, Math.ceil((next - now.getTime()) / 1000)), MAX_WAIT_SECONDS)
    : 1;
  return {
    investigationId: pass.investigationId,
    wakesSeen: pass.wakesSeen,
    done: open.length === 0,
    dueNow,
    waitSeconds,
  };
}
