// A remediation that runs on its target after it was submitted: when the workflow asks the target
// again (polling with backoff), how often a transient failure is retried, and when a target that
// never finishes is given up on (TimedOut). Pure rules; the Advance task applies them.

/** What the workflow keeps about a Running action between its passes (stored with the action). */
export interface RemediationTracking {
  /** What the target answered to be asked about the action again (a machine action id, …). */
  ref?: string;
  /** The target accepted the action: later passes ask its status rather than submit it. */
  submitted: boolean;
  /** Status checks made so far: the next one waits longer. */
  checks: number;
  /** Transient failures in a row (submit or status); reset by any answer. */
  failures: number;
  /** When the workflow next submits or asks (ISO time). */
  checkAt: string;
  /** When a target that has not finished is given up on: the connector's timeout (ISO time). */
  deadline: string;
  /** What the target last said of it (e.g. waiting for its turn on a rate-limited API). */
  detail?: string;
}

/** Retries of a call that failed transiently (the target unreachable, throttling). */
export interface ConnectorRetry {
  intervalSeconds: number;
  /** Retries after the first call; one more transient failure fails the action. */
  maxAttempts: number;
  backoffRate: number;
}

export const DEFAULT_CONNECTOR_RETRY: ConnectorRetry = {
  intervalSeconds: 2,
  maxAttempts: 5,
  backoffRate: 2,
};

/** Polling a running action: 2 s after submission, doubling, never more than 5 minutes apart. */
export const POLLING = { firstSeconds: 2, backoffRate: 2, maxSeconds: 300 } as const;

/** The outcome recorded when the target did not finish within the connector's timeout. */
export const TIMED_OUT_OUTCOME = 'TimedOut';

const later = (now: Date, seconds: number) =>
  new Date(now.getTime() + seconds * 1000).toISOString();

/** The earlier of two ISO times. */
const notAfter = (at: string, limit: string) => (Date.parse(at) <= Date.parse(limit) ? at : limit);

/** A remediation about to be submitted for the first time at `now`. */
export function startTracking(now: Date, timeoutSeconds: number): RemediationTracking {
  return {
    submitted: false,
    checks: 0,
    failures: 0,
    checkAt: now.toISOString(),
    deadline: later(now, timeoutSeconds),
  };
}

/** The target answered "still running" (or accepted the action): ask again after a backoff. */
export function stillRunning(
  tracking: RemediationTracking,
  now: Date,
  ref: string | undefined,
  detail?: string,
): RemediationTracking {
  const checks = tracking.checks + 1;
  const delay = Math.min(
    POLLING.firstSeconds * POLLING.backoffRate ** (checks - 1),
    POLLING.maxSeconds,
  );
  return {
    ...tracking,
    submitted: true,
    ...((ref ?? tracking.ref) !== undefined && { ref: ref ?? tracking.ref }),
    ...(detail !== undefined && { detail: detail.slice(0, 1000) }),
    checks,
    failures: 0,
    // Never past the deadline: a target that does not finish is given up on on time.
    checkAt: notAfter(later(now, delay), tracking.deadline),
  };
}

/**
 * A call failed transiently: try again after the retry's backoff, or `undefined` when the
 * retries are spent (the action fails with the last error).
 */
export function afterTransientFailure(
  tracking: RemediationTracking,
  now: Date,
  retry: ConnectorRetry,
): RemediationTracking | undefined {
  const failures = tracking.failures + 1;
  if (failures > retry.maxAttempts) return undefined;
  const delay = retry.intervalSeconds * retry.backoffRate ** (failures - 1);
  return { ...tracking, failures, checkAt: notAfter(later(now, delay), tracking.deadline) };
}

export const isDue = (tracking: RemediationTracking, now: Date) =>
  Date.parse(tracking.checkAt) <= now.getTime();

export const isPastDeadline = (tracking: RemediationTracking, now: Date) =>
  Date.parse(tracking.deadline) <= now.getTime();

/** Why a remediation timed out, for its result and the audit log. */
export function timedOutDetail(connector: string, timeoutSeconds: number): string {
  return `The ${connector} connector's target did not finish the action within ${timeoutSeconds} s`;
}
