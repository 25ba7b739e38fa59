// The audit seal's AWS adapters, loaded on first use (functions/adapters/audit/aws.ts): nothing
// is loaded or sent before a call, then they sign and read as the KMS signer and S3 export do,
// with one client each, and a failed first call does not stop the next one.
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { kmsAuditSigner, s3AuditExport } from '../../../../functions/adapters/audit/aws.js';

const kms = mockClient(KMSClient);
const s3 = mockClient(S3Client);
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';

beforeEach(() => {
  kms.reset();
  s3.reset();
});

describe('the KMS signer loaded on first use', () => {
  it('signs with the key and reads its public half once', async () => {
    // Prepare
    kms.on(SignCommand).resolves({ Signature: Buffer.from('signature') });
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: Buffer.from('public-key') });
    const signer = kmsAuditSigner(KEY, 'eu-west-1');
    expect(kms.calls()).toHaveLength(0);

    // Act
    const signature = await signer.sign(Buffer.from('checkpoint'));
    const pem = await signer.publicKeyPem();
    await signer.publicKeyPem();

    // Assess
    expect(signature.toString()).toBe('signature');
    expect(pem).toContain('-----BEGIN PUBLIC KEY-----');
    expect(kms.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      KeyId: KEY,
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('answers a failed call with its error, and the next call tries again', async () => {
    // Prepare
    kms
      .on(SignCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ Signature: Buffer.from('second') });
    const signer = kmsAuditSigner(KEY, 'eu-west-1');

    // Act
    const first = signer.sign(Buffer.from('a'));

    // Assess
    await expect(first).rejects.toThrow('throttled');
    expect((await signer.sign(Buffer.from('a'))).toString()).toBe('second');
  });
});

describe('the S3 export loaded on first use', () => {
  it('reads the newest checkpoint from the bucket under the prefix', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('none'), { name: 'NoSuchKey' }));
    const exported = s3AuditExport({ bucket: 'audit-bucket', prefix: 'audit' }, 'eu-west-1');
    expect(s3.calls()).toHaveLength(0);

    // Act
    const latest = await exported.latest();

    // Assess: nothing exported yet.
    expect(latest).toBeUndefined();
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'audit-bucket',
      Key: 'audit/latest.json',
    });
  });
});
