// The one error middleware: typed domain errors become `{"error":{code,message,details}}` with
// their status; anything else is a generic 500 whose detail goes to the log with a request id.
import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { ConflictError, DomainError, ExpiredError } from '../../core/errors.js';
import { logger as defaultLogger } from '../../observability.js';
import type { ErrorBody } from '../schemas.js';
import { json } from './responses.js';

const STATUS_OF_CODE: Record<string, number> = {
  ValidationFailed: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  Expired: 410,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  UndoRefused: 502,
  UndoUnavailable: 503,
};

/** A middy HttpError (e.g. the router's "Route does not exist"): a status and an exposable message. */
function isClientHttpError(
  error: unknown,
): error is Error & { statusCode: number; expose: boolean } {
  const e = error as { statusCode?: unknown; expose?: unknown } | null;
  return (
    error instanceof Error &&
    typeof e?.statusCode === 'number' &&
    e.statusCode >= 400 &&
    e.statusCode < 500 &&
    e.expose === true
  );
}

const HTTP_CODES: Record<number, string> = { 404: 'NotFound', 405: 'MethodNotAllowed' };

function requestIdOf(request: Pick<Request<APIGatewayProxyEvent>, 'event' | 'context'>): string {
  return request.context?.awsRequestId ?? request.event?.requestContext?.requestId ?? randomUUID();
}

/** Maps an error to its response; only client errors say what went wrong. */
export function errorResponse(
  error: unknown,
  requestId: string,
  log: Logger = defaultLogger,
): APIGatewayProxyResult {
  if (error instanceof DomainError) {
    const status = STATUS_OF_CODE[error.code];
    if (status !== undefined) {
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.details !== undefined) body.error.details = error.details;
      if ((error instanceof ConflictError || error instanceof ExpiredError) && error.action) {
        body.action = error.action;
      }
      log.info('Request refused', { requestId, status, code: error.code });
      return json(status, body, { 'x-request-id': requestId });
    }
  }
  if (isClientHttpError(error)) {
    const code = HTTP_CODES[error.statusCode] ?? 'BadRequest';
    log.info('Request refused', { requestId, status: error.statusCode, code });
    return json(error.statusCode, { error: { code, message: error.message } } satisfies ErrorBody, {
      'x-request-id': requestId,
    });
  }
  log.error('Request failed', { requestId, error: describe(error) });
  return json(
    500,
    {
      error: { code: 'InternalError', message: 'Internal error', details: { requestId } },
    } satisfies ErrorBody,
    { 'x-request-id': requestId },
  );
}

/** What the log keeps of an unexpected error: its name, message and stack, never a client's view. */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack };
  }
  return { value: String(error) };
}

export function httpErrors(
  options: { logger?: Logger } = {},
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const log = options.logger ?? defaultLogger;
  const httpErrorsOnError = (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
    request.response = errorResponse(request.error, requestIdOf(request), log);
  };
  return { onError: httpErrorsOnError };
}
