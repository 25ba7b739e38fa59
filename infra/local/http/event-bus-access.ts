// Who may put events on the local EventBridge stand-in, and see or redrive its dead letters. Today:
// a bearer token of a GlobalAdmin or SecurityAdmin. This is the one place a later slice adds AWS
// Signature Version 4.
import type { IncomingMessage } from 'node:http';
import { claimsFromAuthorization } from '../auth.js';

const PRODUCER_ROLES = ['GlobalAdmin', 'SecurityAdmin'];

export type EventBusAccess =
  | { allowed: true; principal: string }
  | { allowed: false; status: 401 | 403; code: string; message: string };

export async function eventBusAccess(
  request: IncomingMessage,
  jwtSecret: string,
  operation = 'PutEvents',
): Promise<EventBusAccess> {
  const claims = await claimsFromAuthorization(jwtSecret, request.headers.authorization);
  if (!claims) {
    return {
      allowed: false,
      status: 401,
      code: 'Unauthorized',
      message: `${operation} needs a bearer token (npm run token -- you@example.com SecurityAdmin)`,
    };
  }
  const roles = (claims['cognito:groups'] ?? '').split(',');
  if (!roles.some((role) => PRODUCER_ROLES.includes(role))) {
    return {
      allowed: false,
      status: 403,
      code: 'Forbidden',
      message: `${operation} needs the ${PRODUCER_ROLES.join(' or ')} role`,
    };
  }
  return { allowed: true, principal: claims.sub ?? claims.email ?? 'unknown' };
}
