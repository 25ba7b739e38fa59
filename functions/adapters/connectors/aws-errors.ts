// An AWS SDK error, as the connector error the state machine understands: throttling, server
// faults and network trouble are transient (Remediate is retried), anything the service refused
// (not found, access denied, invalid input) is permanent (the action becomes Failed).
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';

const TRANSIENT_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
  'ServiceUnavailable',
  'Unavailable',
  'InternalError',
  'InternalFailure',
  'InternalServiceError',
  'InternalServiceErrorException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // Route 53 Resolver: the domain list is still applying a previous update.
  'ConflictException',
]);

interface SdkErrorShape {
  name?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as SdkErrorShape;
  if (TRANSIENT_NAMES.has(error.name) || e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500;
  // No answer from the service: a network error or a timeout, unless it is a bug of ours.
  return !(
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof SyntaxError
  );
}

/** `what` says what was being done, e.g. "isolating i-0abc": the reason shown on the action. */
export function connectorErrorOf(
  error: unknown,
  what: string,
): ConnectorTransientError | ConnectorPermanentError {
  if (error instanceof ConnectorTransientError || error instanceof ConnectorPermanentError) {
    return error;
  }
  const name = error instanceof Error ? error.name : 'unknown error';
  const text = error instanceof Error ? error.message.slice(0, 500) : '';
  const message = text ? `: ${text}` : '';
  return isTransientAwsError(error)
    ? new ConnectorTransientError(`AWS unavailable while ${what} (${name}${message})`, {
        cause: error,
      })
    : new ConnectorPermanentError(`AWS refused ${what} (${name}${message})`, { cause: error });
}
