// What went wrong talking to Microsoft, by what the caller should do about it: try again later
// (`transient`), stop (`permanent`: refused, a missing permission) or accept the target is gone
// (`notFound`: a device removed, a message purged).
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';

export type MicrosoftErrorKind = 'transient' | 'permanent' | 'notFound';

export class MicrosoftApiError extends Error {
  override readonly name = 'MicrosoftApiError';
  readonly status?: number;
  /** Microsoft's own error code (`error.code` of Graph and Defender, `error` of sign-in). */
  readonly code?: string;
  /** Set on a 429 whose Retry-After was longer than the caller may wait. */
  readonly retryAfterMs?: number;

  constructor(
    /** `login`, `graph` or `defenderEndpoint`. */
    readonly service: string,
    readonly kind: MicrosoftErrorKind,
    details: {
      message: string;
      status?: number;
      code?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(details.message, { cause: details.cause });
    this.status = details.status;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** As a connector error: transient ones are retried by the workflow, the rest fail the action. */
export function connectorErrorOfMicrosoft(error: unknown): Error {
  if (error instanceof MicrosoftApiError) {
    return error.kind === 'transient'
      ? new ConnectorTransientError(error.message, { cause: error })
      : new ConnectorPermanentError(error.message, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
