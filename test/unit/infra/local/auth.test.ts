import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, SignJWT } from 'jose';
import {
  claimsFromAuthorization,
  localJwtSecret,
  signToken,
} from '../../../../infra/local/auth.js';
import { StartupError } from '../../../../infra/local/startup-error.js';

const SECRET = 'unit-test-secret-0123456789abcdef-0123';

describe('local tokens', () => {
  it('refuses a token without exp, though signed with the right secret', async () => {
    const token = await new SignJWT({ email: 'ana@example.com', 'cognito:groups': ['GlobalAdmin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('action-center-local')
      .setSubject('ana@example.com')
      .sign(new TextEncoder().encode(SECRET));

    expect(await claimsFromAuthorization(SECRET, `Bearer ${token}`)).toBeUndefined();
  });

  it('accepts a token it signed, which expires after the hours asked (12 by default)', async () => {
    const now = Math.floor(Date.now() / 1000);

    const twoHours = await signToken(SECRET, 'ana@example.com', ['GlobalAdmin'], 2);
    const byDefault = await signToken(SECRET, 'ana@example.com', ['GlobalAdmin']);

    expect(await claimsFromAuthorization(SECRET, `Bearer ${twoHours}`)).toMatchObject({
      sub: 'ana@example.com',
      'cognito:groups': 'GlobalAdmin',
    });
    expect(decodeJwt(twoHours).exp).toBeGreaterThanOrEqual(now + 2 * 3600 - 5);
    expect(decodeJwt(twoHours).exp).toBeLessThanOrEqual(now + 2 * 3600 + 5);
    expect(decodeJwt(byDefault).exp).toBeGreaterThanOrEqual(now + 12 * 3600 - 5);
  });
});

describe('the local JWT secret', () => {
  it('refuses a LOCAL_JWT_SECRET shorter than 32 bytes with a message naming it', () => {
    expect(() => localJwtSecret(undefined, { LOCAL_JWT_SECRET: 'short-secret' })).toThrow(
      StartupError,
    );
    expect(() => localJwtSecret(undefined, { LOCAL_JWT_SECRET: 'short-secret' })).toThrow(
      /LOCAL_JWT_SECRET is 12 bytes; it must be at least 32/,
    );
  });

  it('has no fixed secret in memory: without LOCAL_JWT_SECRET the runtime must make one', () => {
    expect(localJwtSecret(undefined, {})).toBeUndefined();
  });

  it('generates a 32-byte secret once into an owner-only file of the data directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ac-auth-'));
    try {
      const first = localJwtSecret(dir, {});
      const again = localJwtSecret(dir, {});

      expect(first).toBe(again);
      expect(Buffer.byteLength(first as string)).toBeGreaterThanOrEqual(32);
      expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
