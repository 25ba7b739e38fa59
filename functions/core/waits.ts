// One rule for a recorded decision and the workflow's wait on its action. The API, the reconciler
// and AwaitDecision all ask here, so they cannot disagree about a wait that is gone.
import { presentAction } from './action-status.js';
import type { Action } from './model.js';

/** Step Functions' answers to a callback whose wait already ended (timed out, or finished). */
const WAIT_GONE_ERRORS: readonly string[] = ['TaskTimedOut', 'TaskDoesNotExist'];

export function isWaitGone(error: unknown): boolean {
  return error instanceof Error && WAIT_GONE_ERRORS.includes(error.name);
}

/**
 * A wait gone within this margin of the action's expiry timed out; gone earlier, it was replaced
 * by a retried (or, locally, replayed) AwaitDecision that has not registered its token yet.
 */
const WAIT_GONE_EXPIRY_SKEW_SECONDS = 300;

/**
 * What becomes of a decision whose wait is gone: an approval near its expiry arrived too late, so
 * the action `expire`s; anything else is `settle`d, as nothing is owed to that wait any more. An
 * approval far from its expiry reached a wait that a retried (or replayed) AwaitDecision replaces:
 * registering the new wait finds the action decided and delivers the decision itself.
 */
type AfterWaitGone = 'expire' | 'settle';

export function afterWaitGone(
  action: Pick<Action, 'status' | 'expiresAt'>,
  now: Date,
): AfterWaitGone {
  const nearExpiry =
    now.getTime() >= Date.parse(action.expiresAt) - WAIT_GONE_EXPIRY_SKEW_SECONDS * 1000;
  return action.status === 'Approved' && nearExpiry ? 'expire' : 'settle';
}

/** Statuses reached only through an approval: a new wait passes the approval on to Remediate. */
const APPROVED_EARLIER: readonly Action['status'][] = [
  'Approved',
  'Running',
  'Completed',
  'Failed',
  'Skipped',
  'Undone',
];

/**
 * What a wait (re)registered on an existing action does: keep waiting, end as expired, or take the
 * decision recorded before it began.
 */
type OnWaitRegistered = 'wait' | 'expired' | 'approved' | 'rejected';

export function onWaitRegistered(action: Action, now: Date): OnWaitRegistered {
  const seen = presentAction(action, now);
  if (seen.status === 'Pending') return 'wait';
  if (seen.status === 'Expired') return 'expired';
  if (seen.status === 'Rejected') return 'rejected';
  if (APPROVED_EARLIER.includes(seen.status)) return 'approved';
  throw new Error(`Action ${action.id} is ${seen.status}; it cannot wait for a decision`);
}
