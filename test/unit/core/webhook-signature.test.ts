// The webhook signature both ways: what the connector sends and what the callback route accepts.
import { createHmac } from 'node:crypto';
import { checkWebhookSignature, signWebhook } from '../../../functions/core/webhook-signature.js';

const SECRET = 'whsec-unit-0123456789abcdef';
const NOW = new Date('2026-12-01T12:00:00Z');
const BODY = '{"version":1,"actionId":"act-1"}';
const at = (offsetSeconds: number) => String(Math.floor(NOW.getTime() / 1000) + offsetSeconds);

const check = (timestamp: string | undefined, signature: string | undefined, body = BODY) =>
  checkWebhookSignature({ secret: SECRET, timestamp, signature, body, now: NOW });

describe('the webhook signature', () => {
  it('is v1= and the hex HMAC-SHA256 of timestamp "." body', () => {
    const expected = createHmac('sha256', SECRET)
      .update(`${at(0)}.${BODY}`)
      .digest('hex');

    expect(signWebhook(SECRET, at(0), BODY)).toBe(`v1=${expected}`);
  });

  it.each([
    [-300, 'ok'],
    [300, 'ok'],
    [-301, 'stale'],
    [301, 'stale'],
  ])('a timestamp %i s from now is %s', (offset, verdict) => {
    const timestamp = at(offset);

    expect(check(timestamp, signWebhook(SECRET, timestamp, BODY))).toBe(verdict);
  });

  it('tells a missing signature from a wrong one', () => {
    const timestamp = at(0);

    expect(check(timestamp, undefined)).toBe('missing');
    expect(check(undefined, signWebhook(SECRET, timestamp, BODY))).toBe('missing');
    expect(check(timestamp, signWebhook('another-secret-altogether', timestamp, BODY))).toBe(
      'mismatch',
    );
    expect(check(timestamp, signWebhook(SECRET, timestamp, BODY), `${BODY} `)).toBe('mismatch');
    expect(check(timestamp, 'v1=short')).toBe('mismatch');
  });

  it('refuses a signed timestamp that is not Unix seconds', () => {
    const timestamp = '2026-12-01T12:00:00Z';

    expect(check(timestamp, signWebhook(SECRET, timestamp, BODY))).toBe('stale');
  });
});
