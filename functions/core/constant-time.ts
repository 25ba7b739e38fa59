// Comparing a secret-derived text (a MAC, a signature) with what a caller sent, in constant time.
// Compared as text, never as decoded bytes: base64url decoding ignores a last character's spare
// bits, so a byte comparison would take a second spelling of the same MAC.
import { timingSafeEqual } from 'node:crypto';

/** Whether `given` is exactly `expected`; the time depends on the lengths only (they are public). */
export function sameSecretText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
