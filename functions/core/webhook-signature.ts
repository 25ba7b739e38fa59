// The webhook's signature, both ways: the connector signs what it sends, and the API checks what a
// receiver calls back with. `v1=hex(HMAC-SHA256(secret, timestamp + "." + body))`, timestamp in
// Unix seconds; an old or far-future timestamp is refused as a replay.
import { createHmac } from 'node:crypto';
import { sameSecretText } from './constant-time.js';

export const WEBHOOK_HEADERS = {
  /** Unix seconds when this attempt was signed. */
  timestamp: 'X-ActionCenter-Timestamp',
  /** `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` */
  signature: 'X-ActionCenter-Signature',
  /** The action id (execute) or `<action id>:undo` (undo): the same on every retry. */
  idempotencyKey: 'Idempotency-Key',
} as const;

/** How far a signed timestamp may be from our clock, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** The signature header's value for a timestamp and the exact body bytes sent. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** `ok`, or why the signature is refused (the caller answers 401 for each). */
export type SignatureCheck = 'ok' | 'missing' | 'mismatch' | 'stale';

export function checkWebhookSignature(request: {
  secret: string;
  timestamp?: string;
  signature?: string;
  body: string;
  now: Date;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { timestamp, signature } = request;
  if (!timestamp || !signature) return 'missing';
  // Constant time: the lengths are public (always `v1=` and 64 hex), the bytes are not.
  if (!sameSecretText(signature, signWebhook(request.secret, timestamp, request.body))) {
    return 'mismatch';
  }
  const seconds = Number(timestamp);
  const tolerance = request.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (
    !/^\d{1,12}$/.test(timestamp) ||
    Math.abs(request.now.getTime() / 1000 - seconds) > tolerance
  ) {
    return 'stale';
  }
  return 'ok';
}
