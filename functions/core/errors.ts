// Typed domain errors. The API's error middleware maps them to HTTP statuses; workflow tasks
// throw them by `name`, which the state machine's Retry/Catch match.
import type { Action } from './model.js';

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details?: unknown;
  constructor(message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'ValidationFailed';
}

export class UnauthorizedError extends DomainError {
  readonly code = 'Unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly code = 'Forbidden';
}

export class NotFoundError extends DomainError {
  readonly code = 'NotFound';
}

/** The action is not in a state that allows the operation; carries the current action. */
export class ConflictError extends DomainError {
  readonly code = 'Conflict';
  constructor(
    message: string,
    readonly action?: Action,
  ) {
    super(message);
  }
}

/** The action's pending time ran out: it can no longer be decided. */
export class ExpiredError extends DomainError {
  readonly code = 'Expired';
  constructor(
    message: string,
    readonly action?: Action,
  ) {
    super(message);
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'PayloadTooLarge';
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UnsupportedMediaType';
}

/** A setting is missing or invalid: raised at cold start, never in the middle of a request. */
export class ConfigError extends DomainError {
  readonly code = 'ConfigInvalid';
}

/**
 * The connector could not carry out an operator's request (undo). The message is ours, not the
 * target system's: its detail goes to the log. `retryable` tells a refusal from an outage.
 */
export class ConnectorFailedError extends DomainError {
  readonly code: 'UndoRefused' | 'UndoUnavailable';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message, { retryable });
    this.code = retryable ? 'UndoUnavailable' : 'UndoRefused';
  }
}
