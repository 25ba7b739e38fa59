// Local identity: HS256 JWTs signed with LOCAL_JWT_SECRET, verified into the claims a Cognito
// authorizer would put in `requestContext.authorizer.claims`.
import { jwtVerify, SignJWT } from 'jose';
import { parseRoles, ROLES } from '../../functions/core/permissions.js';
import { storedSecret } from './data-dir.js';
import { StartupError } from './startup-error.js';

const ISSUER = 'action-center-local';
/** HS256 is only as strong as its key: RFC 7518 §3.2 asks for at least the hash size. */
export const MIN_SECRET_BYTES = 32;
export const DEFAULT_TOKEN_HOURS = 12;

/** Refuses a secret shorter than 32 bytes, naming the setting it came from. */
export function assertStrongSecret(secret: string, name: string): string {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new StartupError(
      `${name} is ${Buffer.byteLength(secret, 'utf8')} bytes; it must be at least ${MIN_SECRET_BYTES} ` +
        '(e.g. openssl rand -base64 32).',
    );
  }
  return secret;
}

/**
 * The secret from the environment, else one generated once and kept in the data directory.
 * Undefined with no data directory and no LOCAL_JWT_SECRET: the runtime then makes one per process.
 */
export function localJwtSecret(
  dataDir: string | undefined,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (env.LOCAL_JWT_SECRET) return assertStrongSecret(env.LOCAL_JWT_SECRET, 'LOCAL_JWT_SECRET');
  if (!dataDir) return undefined;
  return assertStrongSecret(storedSecret(dataDir, 'jwt-secret'), `${dataDir}/jwt-secret`);
}

export async function signToken(
  secret: string,
  user: string,
  roles: readonly string[],
  hours = DEFAULT_TOKEN_HOURS,
): Promise<string> {
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new Error(`Unknown role(s): ${unknown.join(', ')}. Roles: ${ROLES.join(', ')}`);
  }
  if (!(hours > 0)) throw new Error(`A token's lifetime must be more than 0 hours (got ${hours})`);
  return new SignJWT({ email: user, name: user, 'cognito:groups': [...roles] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(`${Math.round(hours * 3600)}s`)
    .sign(new TextEncoder().encode(secret));
}

/** Claims shaped as API Gateway passes a Cognito user pool's: strings, groups comma-joined. */
export type Claims = Record<string, string>;

/** Verifies `Authorization: Bearer <jwt>`; undefined when missing, invalid or without `exp` (the handler answers 401). */
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
      requiredClaims: ['exp'],
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
