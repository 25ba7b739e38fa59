// Where the EventBridge stand-in answers on the runtime's port: the AWS JSON protocol
// (`X-Amz-Target: AWSEvents.*`) on any path, as the SDK and CLI post to their endpoint's path;
// `POST /api/events` with a plain JSON body; and the local dead-letter store under /api/dead-letters.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_PATH_PREFIX } from '../../../functions/api/routes.js';
import { RETRY_AFTER_SECONDS } from '../back-pressure.js';
import type { DeadLetterStore } from '../dead-letter-store.js';
import type { EventDelivery } from '../event-delivery.js';
import { readRawBody } from './aws-protocol.js';
import type { EventBus } from './event-bus.js';
import { eventBusAccess } from './event-bus-access.js';
import type { SignatureVerifier } from './sigv4.js';

export const EVENTS_TARGET_PREFIX = 'AWSEvents.';
export const EVENTS_PATH = `${API_PATH_PREFIX}/events`;
export const DEAD_LETTERS_PATH = `${API_PATH_PREFIX}/dead-letters`;
/** Room for a 256 KiB request's JSON escaping; the entries' own limit is checked as AWS counts it. */
const BODY_LIMIT = 1024 * 1024;

type Route = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'Content-Type': contentType, ...headers });
  response.end(JSON.stringify(body));
}

export function eventBusEndpoint(options: {
  bus: EventBus;
  delivery: EventDelivery;
  deadLetters: DeadLetterStore;
  jwtSecret: string;
  verify: SignatureVerifier;
}): Route {
  /** PutEvents in either dress; every error in AWS's JSON error shape. */
  async function putEvents(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    aws: boolean,
  ) {
    const contentType = aws ? 'application/x-amz-json-1.1' : 'application/json';
    const fail = (status: number, type: string, message: string, extra = {}) =>
      send(response, status, { __type: type, message }, contentType, {
        'x-amzn-ErrorType': type,
        ...extra,
      });
    const operation = String(request.headers['x-amz-target'] ?? '').slice(
      EVENTS_TARGET_PREFIX.length,
    );
    if (aws && operation !== 'PutEvents') {
      request.resume();
      fail(400, 'UnknownOperationException', `${operation} is not served by this stand-in`);
      return;
    }
    if (aws && !request.headers.authorization) {
      request.resume();
      fail(400, 'MissingAuthenticationTokenException', 'Request is missing Authentication Token');
      return;
    }
    // The whole body first: a signature covers it.
    const raw = await readRawBody(request, BODY_LIMIT);
    if (raw === undefined) {
      fail(413, 'RequestEntityTooLargeException', 'The request body is larger than 1 MiB');
      return;
    }
    const access = await eventBusAccess(request, options.jwtSecret, 'PutEvents', {
      verify: options.verify,
      url,
      body: raw,
    });
    if (!access.allowed) {
      fail(access.status, access.code, access.message, {
        ...(access.status === 401 && { 'WWW-Authenticate': 'Bearer' }),
      });
      return;
    }
    const body = raw.toString('utf8');
    const answer = options.bus.putEvents(body);
    const throttled =
      answer.status === 200 &&
      answer.body.Entries.some((e) => 'ErrorCode' in e && e.ErrorCode === 'ThrottlingException');
    if (answer.status === 200)
      send(
        response,
        200,
        answer.body,
        contentType,
        throttled ? { 'Retry-After': String(RETRY_AFTER_SECONDS) } : {},
      );
    else fail(answer.status, answer.body.__type, answer.body.message);
  }

  /** The dead letters: listed, or all delivered again. */
  async function deadLetters(request: IncomingMessage, response: ServerResponse, redrive: boolean) {
    request.resume();
    const json = 'application/json';
    const wanted = redrive ? 'POST' : 'GET';
    if (request.method !== wanted) {
      send(response, 405, { error: { code: 'MethodNotAllowed', message: `Use ${wanted}` } }, json);
      return;
    }
    const access = await eventBusAccess(request, options.jwtSecret, 'The dead-letter store');
    if (!access.allowed) {
      send(
        response,
        access.status,
        { error: { code: access.code, message: access.message } },
        json,
      );
      return;
    }
    if (redrive) send(response, 202, { redriven: options.delivery.redrive() }, json);
    else send(response, 200, { items: options.deadLetters.list() }, json);
  }

  return async (request, response, url) => {
    const target = request.headers['x-amz-target'];
    if (
      request.method === 'POST' &&
      typeof target === 'string' &&
      target.startsWith(EVENTS_TARGET_PREFIX)
    ) {
      await putEvents(request, response, url, true);
      return true;
    }
    if (url.pathname === EVENTS_PATH) {
      if (request.method !== 'POST') {
        request.resume();
        send(
          response,
          405,
          { error: { code: 'MethodNotAllowed', message: 'POST PutEvents bodies here' } },
          'application/json',
        );
        return true;
      }
      await putEvents(request, response, url, false);
      return true;
    }
    if (url.pathname === DEAD_LETTERS_PATH || url.pathname === `${DEAD_LETTERS_PATH}/redrive`) {
      await deadLetters(request, response, url.pathname !== DEAD_LETTERS_PATH);
      return true;
    }
    return false;
  };
}
