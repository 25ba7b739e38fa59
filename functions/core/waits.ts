// Step Functions' answers to a resume whose wait already ended: the wake service and the
// reconciler treat them alike (nothing more is owed to that wait).

/** Step Functions' answers to a callback whose wait already ended (timed out, or finished). */
const WAIT_GONE_ERRORS: readonly string[] = ['TaskTimedOut', 'TaskDoesNotExist'];

export function isWaitGone(error: unknown): boolean {
  return error instanceof Error && WAIT_GONE_ERRORS.includes(error.name);
}
