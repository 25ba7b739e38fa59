import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { newAwsCredentials } from '../../../../../infra/local/aws-credentials.js';
import { signatureVerifier } from '../../../../../infra/local/http/sigv4.js';

const credentials = newAwsCredentials();
const NOW = new Date('2026-12-02T01:00:00Z');
const verify = signatureVerifier({ credentials, region: 'us-east-1', now: () => NOW });

/** A request signed as the AWS SDK signs it, then seen as the server receives it. */
async function received(
  options: { body?: string; service?: string; signingDate?: Date; secret?: string } = {},
) {
  const body = options.body ?? '{"Entries":[]}';
  const signer = new SignatureV4({
    credentials: { ...credentials, secretAccessKey: options.secret ?? credentials.secretAccessKey },
    region: 'us-east-1',
    service: options.service ?? 'events',
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3000,
      path: '/',
      headers: {
        host: '127.0.0.1:3000',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSEvents.PutEvents',
      },
      body,
    }),
    { signingDate: options.signingDate ?? NOW },
  );
  return {
    method: 'POST',
    url: new URL('http://127.0.0.1:3000/'),
    headers: Object.fromEntries(
      Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    body: Buffer.from(body),
  };
}

describe('Signature Version 4 verification', () => {
  it('accepts a request the AWS SDK signer signed with the credentials', async () => {
    const request = await received();

    const check = await verify(request, 'events');

    expect(check).toEqual({ valid: true, accessKeyId: credentials.accessKeyId });
  });

  it('refuses a body changed after signing, even with its own content hash left in place', async () => {
    const request = await received();

    const check = await verify({ ...request, body: Buffer.from('{"Entries":[{}]}') }, 'events');

    expect(check).toMatchObject({ valid: false, code: 'InvalidSignatureException' });
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret' }, 'InvalidSignatureException', 'does not match'],
    [
      'another service',
      { service: 'states' },
      'InvalidSignatureException',
      "correct service: 'events'",
    ],
    [
      'a clock 6 minutes behind',
      { signingDate: new Date(NOW.getTime() - 6 * 60_000) },
      'InvalidSignatureException',
      'Signature expired',
    ],
    [
      'a clock 6 minutes ahead',
      { signingDate: new Date(NOW.getTime() + 6 * 60_000) },
      'InvalidSignatureException',
      'not yet current',
    ],
  ])('refuses %s', async (_what, options, code, message) => {
    const request = await received(options);

    const check = await verify(request, 'events');

    expect(check).toMatchObject({ valid: false, code, message: expect.stringContaining(message) });
  });

  it('names a missing signature and an unknown access key as AWS does', async () => {
    const request = await received();
    const { authorization: _none, ...unsigned } = request.headers;
    const unknownKey = {
      ...request,
      headers: {
        ...request.headers,
        authorization: String(request.headers.authorization).replace(
          credentials.accessKeyId,
          'AKIAUNKNOWN',
        ),
      },
    };

    const missing = await verify({ ...request, headers: unsigned }, 'events');
    const unknown = await verify(unknownKey, 'events');

    expect(missing).toMatchObject({ valid: false, code: 'MissingAuthenticationTokenException' });
    expect(unknown).toMatchObject({ valid: false, code: 'UnrecognizedClientException' });
  });
});
