// Decision link tokens: what they bind (the action, what it would do, the expiry, a nonce) and
// that nothing but this key's signature over exactly those claims is accepted.
import {
  actionDigest,
  linkExpiry,
  linkUrl,
  newLinkClaims,
  signLink,
  verifyLink,
} from '../../../functions/core/decision-links.js';
import { ValidationError } from '../../../functions/core/errors.js';
import { makeAction, T0 } from '../../fixtures/actions.js';

const KEY = 'unit-link-key-0123456789abcdef0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The last base64url character with a spare bit set: 32 bytes leave two spare bits in the 43rd. */
function otherSpellingOfLast(text: string): string {
  return BASE64URL[BASE64URL.indexOf(text.at(-1) as string) ^ 1] as string;
}

describe('decision link tokens', () => {
  const action = makeAction({ createdAt: T0.toISOString() });

  it('carry the claims they were signed with', () => {
    const claims = newLinkClaims(action, T0, 24);

    expect(verifyLink(signLink(claims, KEY), KEY)).toEqual(claims);
  });

  it('differ for each link made, so each is used once on its own', () => {
    const first = newLinkClaims(action, T0, 24);
    const second = newLinkClaims(action, T0, 24);

    expect(first.nonce).not.toBe(second.nonce);
    expect(first.nonce).toMatch(/^[\w-]{22}$/);
  });

  it('are refused as a 400 when any character is changed, or another key signed them', () => {
    const token = signLink(newLinkClaims(action, T0, 24), KEY);
    const changed = [...token].map((c, i) =>
      i < 3 ? undefined : `${token.slice(0, i)}${c === 'A' ? 'B' : 'A'}${token.slice(i + 1)}`,
    );

    for (const bad of changed.filter((t): t is string => t !== undefined && t !== token)) {
      expect(() => verifyLink(bad, KEY)).toThrow(ValidationError);
    }
    expect(() => verifyLink(token, `${KEY}x`)).toThrow(ValidationError);
    expect(() => verifyLink(`${token}.extra`, KEY)).toThrow(ValidationError);
  });

  it('are refused when the signature is spelled another way that decodes to the same bytes', () => {
    const token = signLink(newLinkClaims(action, T0, 24), KEY);
    const respelled = `${token.slice(0, -1)}${otherSpellingOfLast(token)}`;

    expect(Buffer.from(respelled.split('.')[2] as string, 'base64url')).toEqual(
      Buffer.from(token.split('.')[2] as string, 'base64url'),
    );
    expect(() => verifyLink(respelled, KEY)).toThrow(ValidationError);
  });

  it('bind what the action would do: another target or type gives another digest', () => {
    const digest = actionDigest(action);

    expect(actionDigest({ ...action })).toBe(digest);
    expect(actionDigest({ ...action, type: 'killProcess' })).not.toBe(digest);
    expect(actionDigest({ ...action, target: { ...action.target, displayName: 'x' } })).not.toBe(
      digest,
    );
  });

  it('lapse after the TTL, or with the action when it lapses first', () => {
    const inAWeek = { expiresAt: new Date(T0.getTime() + 7 * 86_400_000).toISOString() };
    const inAnHour = { expiresAt: new Date(T0.getTime() + 3_600_000).toISOString() };

    expect(linkExpiry(inAWeek, T0, 24)).toBe(new Date(T0.getTime() + 86_400_000).toISOString());
    expect(linkExpiry(inAnHour, T0, 24)).toBe(inAnHour.expiresAt);
  });

  it('open the page at #/decide/<token>, whatever the base URL ends with', () => {
    expect(linkUrl('https://ac.example.com//', 'v1.a.b')).toBe(
      'https://ac.example.com/#/decide/v1.a.b',
    );
  });
});
