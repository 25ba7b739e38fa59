// The audit seal's AWS adapters against moto_server: KMS signs checkpoints (ECC_NIST_P256) that
// verify with the key's public half, and the S3 export writes locked objects that the offline
// verifier reads back from s3://bucket/prefix.
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { KmsAuditSigner } from '../../../../functions/adapters/audit/kms-signer.js';
import { S3AuditExport } from '../../../../functions/adapters/audit/s3-export.js';
import {
  checkpointBytes,
  nextCheckpoint,
  type SignedCheckpoint,
  signatureValid,
} from '../../../../functions/core/audit-checkpoint.js';
import { entriesNdjson, exportKeys } from '../../../../functions/core/audit-seal-ports.js';
import { verifyExportBucket } from '../../../../infra/audit/verify-export.js';
import {
  type MotoServer,
  motoClientConfig,
  motoMissing,
  startMoto,
} from '../../../../infra/local/moto-server.js';
import { chain } from '../../../support/audit-seal.js';

let moto: MotoServer;
let kms: KMSClient;
let s3: S3Client;
let keyId: string;
const BUCKET = 'audit-export';
const NOW = new Date('2026-12-01T12:00:00.000Z');

async function signed(signer: KmsAuditSigner, entries = chain(3)): Promise<SignedCheckpoint> {
  const checkpoint = nextCheckpoint(entries.at(-1) as (typeof entries)[number], NOW, undefined);
  const signature = await signer.sign(checkpointBytes(checkpoint));
  return { ...checkpoint, signature: signature.toString('base64') };
}

const describeWithMoto = motoMissing ? describe.skip : describe;
if (motoMissing) it.skip(motoMissing, () => undefined);

describeWithMoto('audit seal adapters against moto_server', () => {
  beforeAll(async () => {
    moto = await startMoto();
    kms = new KMSClient(motoClientConfig(moto.endpoint));
    s3 = new S3Client({ ...motoClientConfig(moto.endpoint), forcePathStyle: true });
    const key = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    keyId = key.KeyMetadata?.KeyId as string;
    await s3.send(
      new CreateBucketCommand({
        Bucket: BUCKET,
        ObjectLockEnabledForBucket: true,
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
  }, 60_000);
  afterAll(async () => {
    kms?.destroy();
    s3?.destroy();
    await moto?.stop();
  });

  it('signs a checkpoint with KMS that verifies with the public key KMS serves, and not once altered', async () => {
    // Prepare
    const signer = new KmsAuditSigner(keyId, kms);

    // Act
    const checkpoint = await signed(signer);
    const pem = await signer.publicKeyPem();

    // Assess
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(signatureValid(checkpoint, pem)).toBe(true);
    expect(signatureValid({ ...checkpoint, seq: checkpoint.seq + 1 }, pem)).toBe(false);
  });

  it('exports entries and checkpoints as locked objects that read back, and verify offline from s3://', async () => {
    // Prepare
    const signer = new KmsAuditSigner(keyId, kms);
    const entries = chain(3);
    const checkpoint = await signed(signer, entries);
    const exported = new S3AuditExport(
      { bucket: BUCKET, prefix: 'audit', retentionDays: 1 },
      s3,
      () => NOW,
    );

    // Act
    await exported.write(entries, checkpoint);
    const verdict = await verifyExportBucket(
      `s3://${BUCKET}/audit`,
      await signer.publicKeyPem(),
      s3,
    );

    // Assess
    expect(await exported.latest()).toEqual(checkpoint);
    expect(await exported.segment(checkpoint.seq)).toEqual(entries);
    expect(await exported.segment(99)).toBeUndefined();
    // moto's GetObjectRetention answer does not parse; HeadObject carries the same lock.
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: `audit/${exportKeys.entries(3)}` }),
    );
    expect(head.ObjectLockMode).toBe('COMPLIANCE');
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe('2026-12-02T12:00:00.000Z');
    expect(verdict).toMatchObject({ ok: true, checked: 3, checkpoints: 1 });
  });

  it('names the first modified entry of an S3 export', async () => {
    // Prepare
    const signer = new KmsAuditSigner(keyId, kms);
    const entries = chain(3);
    const checkpoint = await signed(signer, entries);
    await new S3AuditExport({ bucket: BUCKET, prefix: 'tampered' }, s3).write(entries, checkpoint);
    const rewritten = entries.map((e) => (e.seq === 2 ? { ...e, actor: 'mallory' } : e));
    // A new version of the object: what the latest read returns (the locked one is kept).
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `tampered/${exportKeys.entries(3)}`,
        Body: entriesNdjson(rewritten),
        ChecksumAlgorithm: 'CRC32',
      }),
    );

    // Act
    const verdict = await verifyExportBucket(
      `s3://${BUCKET}/tampered`,
      await signer.publicKeyPem(),
      s3,
    );

    // Assess
    expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });
});
