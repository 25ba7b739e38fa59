// Who may put events on the local EventBridge stand-in, and see or redrive its dead letters: a
// request signed (Signature Version 4) with the runtime's AWS credentials, or the bearer token of
// a GlobalAdmin or SecurityAdmin.
import type { IncomingMessage } from 'node:http';
import { claimsFromAuthorization } from '../auth.js';
import { isSigned, type SignatureVerifier } from './sigv4.js';

const PRODUCER_ROLES = ['GlobalAdmin', 'SecurityAdmin'];

export type EventBusAccess =
  | { allowed: true; principal: string }
  | { allowed: false; status: 400 | 401 | 403; code: string; message: string };

/** A signed request's body and the verifier; absent where only bearer tokens are taken. */
export interface SignedRequest {
  verify: SignatureVerifier;
  url: URL;
  body: Buffer;
}

export async function eventBusAccess(
  request: IncomingMessage,
  jwtSecret: string,
  operation = 'PutEvents',
  signed?: SignedRequest,
): Promise<EventBusAccess> {
  if (signed && isSigned(request.headers, signed.url)) {
    const check = await signed.verify(
      {
        method: request.method ?? 'POST',
        url: signed.url,
        headers: request.headers,
        body: signed.body,
      },
      'events',
    );
    return check.valid
      ? { allowed: true, principal: check.accessKeyId }
      : { allowed: false, status: 400, code: check.code, message: check.message };
  }
  const claims = await claimsFromAuthorization(jwtSecret, request.headers.authorization);
  if (!claims) {
    return {
      allowed: false,
      status: 401,
      code: 'Unauthorized',
      message: signed
        ? `${operation} needs a Signature Version 4 with the local AWS credentials (eval "$(npm run -s credentials)") or a bearer token (npm run token -- you@example.com SecurityAdmin)`
        : `${operation} needs a bearer token (npm run token -- you@example.com SecurityAdmin)`,
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
