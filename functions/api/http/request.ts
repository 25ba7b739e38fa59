// What a handler reads from an API Gateway REST proxy event: the caller (from the authorizer's
// claims), a JSON body within the limits, path parameters and query strings, all validated.
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import {
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../core/errors.js';
import { parseRoles } from '../../core/permissions.js';
import { clip } from '../../core/text.js';
import type { Caller } from '../../services/caller.js';
import { isPublicRoute } from '../routes.js';

/** The event once the request middlewares ran: an authenticated caller and the parsed body. */
export type ApiEvent = APIGatewayProxyEvent & { caller: Caller; jsonBody?: unknown };

export const MAX_BODY_BYTES = 64 * 1024;

const MAX_FIELD_NAME = 64;

/** The caller named by the claims a Cognito authorizer (or the local runtime) filled in. */
export function callerFromClaims(claims: unknown): Caller {
  if (claims === null || typeof claims !== 'object') {
    throw new UnauthorizedError('A valid bearer token is required');
  }
  const c = claims as Record<string, unknown>;
  const user = [c.email, c.name, c['cognito:username'], c.sub].find(
    (v): v is string => typeof v === 'string' && v.trim() !== '',
  );
  if (user === undefined) throw new UnauthorizedError('A valid bearer token is required');
  return { user: clip(user.trim(), 300, '…'), roles: parseRoles(c['cognito:groups']) };
}

/** 401 before anything else when the request carries no identity, unless its route is public. */
export function authenticate(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const authenticateBefore = (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
    // A public route's handler reads no caller (API Gateway sends it no claims either).
    if (isPublicRoute(request.event.httpMethod, request.event.path)) return;
    const caller = callerFromClaims(request.event.requestContext?.authorizer?.claims);
    (request.event as ApiEvent).caller = caller;
  };
  return { before: authenticateBefore };
}

/** A request header by name, in any case. */
export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request body is JSON (415 otherwise), at most `maxBytes` (413) and well formed (400). An
 * empty body reads as `{}`, so `POST /actions/{id}/approve` needs none.
 */
export function jsonBody(
  options: { maxBytes?: number } = {},
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const jsonBodyBefore = (request: Request<APIGatewayProxyEvent, APIGatewayProxyResult>) => {
    const event = request.event as ApiEvent;
    if (!METHODS_WITH_BODY.has(event.httpMethod)) return;
    const raw = event.body;
    if (raw === null || raw === undefined || raw === '') {
      event.jsonBody = {};
      return;
    }
    const mediaType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new UnsupportedMediaTypeError('The request body must be JSON (application/json)', {
        expected: 'application/json',
      });
    }
    const bytes = Buffer.byteLength(raw, event.isBase64Encoded ? 'base64' : 'utf8');
    if (bytes > maxBytes) {
      throw new PayloadTooLargeError(`The request body is over ${maxBytes} bytes`, { maxBytes });
    }
    const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    try {
      event.jsonBody = JSON.parse(text);
    } catch {
      throw new ValidationError('The request body is not valid JSON', {
        fields: { body: 'malformed JSON' },
      });
    }
  };
  return { before: jsonBodyBefore };
}

/** The body exactly as sent (what a signature is made over); empty when there is none. */
export function rawBody(event: APIGatewayProxyEvent): string {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
}

/** zod issues as `{fields: {name: problem}}`: field names, never the values sent. */
function fieldsOf(error: z.ZodError, where: string): Record<string, string> {
  // A Map, so that a field named `__proto__` is reported rather than assigned as a prototype.
  const fields = new Map<string, string>();
  const add = (name: string, problem: string) => {
    const key = clip(name, MAX_FIELD_NAME, '…');
    if (!fields.has(key)) fields.set(key, problem);
  };
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) add(base ? `${base}.${key}` : key, 'unknown field');
    } else {
      add(base || where, issue.message);
    }
  }
  return Object.fromEntries(fields);
}

/** Validates `value` against `schema`; a mismatch is a 400 naming the fields. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'path',
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError(`Invalid request ${where}`, {
      fields: fieldsOf(parsed.error, where),
    });
  }
  return parsed.data;
}

/** The query string with empty values dropped (`?category=` means "any category"). */
export function queryOf(event: APIGatewayProxyEvent): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined && value !== '') query[key] = value;
  }
  return query;
}

export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === null) {
    throw new ValidationError(`Missing path parameter ${name}`, { fields: { [name]: 'missing' } });
  }
  return value;
}
