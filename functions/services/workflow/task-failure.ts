// The `{Error, Cause}` a state machine Catch puts in the state, read back into one line.

export interface TaskFailure {
  Error?: string;
  Cause?: string;
}

/**
 * The reason a task failed. A Lambda error's Cause is the function's error as JSON
 * (`{errorType, errorMessage, trace}`); a SendTaskFailure's Cause is the caller's text.
 */
export function reasonOf(failure: TaskFailure | undefined): string {
  if (!failure) return 'unknown error';
  const name = failure.Error ?? 'Error';
  let message = failure.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (parsed && typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // Not JSON: the cause is already the text.
  }
  return message ? `${name}: ${message}` : name;
}
