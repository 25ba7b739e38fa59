// Decision links: what a notification carries so that a person can decide a pending action from
// it. A link is `<PUBLIC_URL>/#/decide/<token>`; the token names one action, a digest of what
// will be done (type and target, parameters included), when it lapses, and a nonce that makes it
// single-use, under an HMAC-SHA256 of the link key. It grants nothing by itself: deciding needs a
// signed-in person whom the policies allow, through the same path as the API.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { canonicalJson } from './audit-chain.js';
import { sameSecretText } from './constant-time.js';
import { ValidationError } from './errors.js';
import type { Action } from './model.js';

const VERSION = 'v1';
/** Hours a link lives when the action lives longer (LINK_TTL_HOURS). */
export const DEFAULT_LINK_TTL_HOURS = 24;

export interface LinkClaims {
  actionId: string;
  /** actionDigest of the action when the link was made. */
  digest: string;
  /** When the link lapses (ISO time). */
  expiresAt: string;
  /** Makes the link single-use: its first decision records it. */
  nonce: string;
}

/** What deciding the action would do: its id, type and target (parameters included). */
export function actionDigest(action: Pick<Action, 'id' | 'type' | 'target'>): string {
  return createHash('sha256')
    .update(canonicalJson({ id: action.id, type: action.type, target: action.target }))
    .digest('base64url');
}

/** A link lapses with its action, or `ttlHours` after it was made, whichever comes first. */
export function linkExpiry(action: Pick<Action, 'expiresAt'>, now: Date, ttlHours: number): string {
  const byTtl = now.getTime() + ttlHours * 3_600_000;
  return new Date(Math.min(byTtl, Date.parse(action.expiresAt))).toISOString();
}

const mac = (key: string, payload: string) =>
  createHmac('sha256', key).update(`${VERSION}.${payload}`).digest();

export function newLinkClaims(
  action: Pick<Action, 'id' | 'type' | 'target' | 'expiresAt'>,
  now: Date,
  ttlHours: number,
): LinkClaims {
  return {
    actionId: action.id,
    digest: actionDigest(action),
    expiresAt: linkExpiry(action, now, ttlHours),
    nonce: randomBytes(16).toString('base64url'),
  };
}

export function signLink(claims: LinkClaims, key: string): string {
  const payload = Buffer.from(
    JSON.stringify({ a: claims.actionId, d: claims.digest, e: claims.expiresAt, n: claims.nonce }),
  ).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

const invalid = () =>
  new ValidationError('Invalid decision link', { fields: { token: 'not a decision link' } });

/** The claims of a token this key signed; a ValidationError (400) for anything else. */
export function verifyLink(token: string, key: string): LinkClaims {
  const [version, payload, signature, ...rest] = token.split('.');
  if (version !== VERSION || !payload || !signature || rest.length > 0) throw invalid();
  if (!sameSecretText(signature, mac(key, payload).toString('base64url'))) throw invalid();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const { a, d, e, n } = (body ?? {}) as Record<string, unknown>;
  if (![a, d, e, n].every((v) => typeof v === 'string') || Number.isNaN(Date.parse(e as string)))
    throw invalid();
  return { actionId: a as string, digest: d as string, expiresAt: e as string, nonce: n as string };
}

/** The page's address of a link. */
export function linkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/decide/${token}`;
}
