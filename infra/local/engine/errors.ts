// Errors named as the Step Functions API names them, so an HTTP endpoint can answer with the
// same `__type` and the SDK raises the same exceptions as in AWS (e.g. core/waits.ts `isWaitGone` works).

export type StepFunctionsErrorName =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'TaskDoesNotExist'
  | 'TaskTimedOut'
  | 'ValidationException';

export class StepFunctionsError extends Error {
  constructor(
    override readonly name: StepFunctionsErrorName,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Raised inside an execution that has been stopped or has ended: the engine neither retries nor
 * catches it (its `isRetryable` / `isCatchable` flags), so a stopped execution runs no more tasks.
 */
export class ExecutionClosedError extends Error {
  override readonly name = 'Local.ExecutionClosed';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/**
 * States.Runtime: the execution cannot go on (e.g. a TimeoutSecondsPath that names no positive
 * integer). As in AWS, no Retry or Catch handles it, so the execution fails.
 */
export class StatesRuntimeError extends Error {
  override readonly name = 'States.Runtime';
  readonly isRetryable = false;
  readonly isCatchable = false;
}

/** A task failed by SendTaskFailure, or timed out: its name is what the ASL Retry/Catch match. */
export class TaskFailure extends Error {
  constructor(
    override readonly name: string,
    cause: string,
  ) {
    super(cause);
  }
}

/** A Lambda function's error as Step Functions reports it: Cause is the function error as JSON. */
export class LambdaFunctionError extends Error {
  constructor(
    override readonly name: string,
    cause: string,
  ) {
    super(cause);
  }

  static from(error: unknown): LambdaFunctionError {
    const errorType = error instanceof Error && error.name ? error.name : 'Error';
    const errorMessage = error instanceof Error ? error.message : String(error);
    const trace = error instanceof Error && error.stack ? error.stack.split('\n') : [];
    return new LambdaFunctionError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
  }
}

/**
 * A payload over Step Functions' 256 KiB limit. AWS documents it as terminal: States.ALL (and
 * States.TaskFailed) neither catch nor retry it, only a rule that names it does; the flags say
 * whether the failing state has such a rule.
 */
export class DataLimitExceeded extends Error {
  override readonly name = 'States.DataLimitExceeded';
  readonly isCatchable: boolean;
  readonly isRetryable: boolean;

  constructor(cause: string, match: { catchable: boolean; retryable: boolean }) {
    super(cause);
    this.isCatchable = match.catchable;
    this.isRetryable = match.retryable;
  }
}
