// Local identity: HS256 JWTs signed with LOCAL_JWT_SECRET, verified into the claims a Cognito
// authorizer would put in `requestContext.authorizer.claims`.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { parseRoles, ROLES } from '../../functions/core/permissions.js';

const ISSUER = 'action-center-local';

/** The secret from the environment, else one generated once and kept in the data directory. */
export function localJwtSecret(dataDir: string | undefined, env = process.env): string {
  if (env.LOCAL_JWT_SECRET) return env.LOCAL_JWT_SECRET;
  if (!dataDir) return 'action-center-local-test-secret';
  const file = join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

export async function signToken(
  secret: string,
  user: string,
  roles: readonly string[],
  expiresIn = '12h',
): Promise<string> {
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new Error(`Unknown role(s): ${unknown.join(', ')}. Roles: ${ROLES.join(', ')}`);
  }
  return new SignJWT({ email: user, name: user, 'cognito:groups': [...roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(secret));
}

/** Claims shaped as API Gateway passes a Cognito user pool's: strings, groups comma-joined. */
export type Claims = Record<string, string>;

/** Verifies `Authorization: Bearer <jwt>`; undefined when missing or invalid (the handler answers 401). */
export async function claimsFromAuthorization(
  secret: string,
  authorization: string | undefined,
): Promise<Claims | undefined> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  try {
    const { payload } = await jwtVerify(match[1], new TextEncoder().encode(secret), {
      issuer: ISSUER,
      algorithms: ['HS256'],
    });
    const claims: Claims = {};
    for (const [key, value] of Object.entries(payload)) {
      if (key === 'cognito:groups') claims[key] = parseRoles(value).join(',');
      else if (typeof value === 'string' || typeof value === 'number') claims[key] = String(value);
    }
    return claims;
  } catch {
    return undefined;
  }
}
