// The audit seal's AWS adapters (KMS signer, S3 export), each loaded with its SDK client on first
// use: the API's reads and the reconciler's stream batches seldom sign or export, and a cold start
// does not pay for client-s3 and client-kms (split into chunks of their own, infra/aws/bundling.ts).
import type { AuditExport, AuditSigner } from '../../core/audit-seal-ports.js';
import type { S3ExportLocation } from './s3-export.js';

/** Calls `load` once, when first needed; a failed load is tried again by the next call. */
function onFirstUse<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

/** The KMS signer of `keyId` (kms-signer.ts), loaded on the first signature or key read. */
export function kmsAuditSigner(keyId: string, region: string): AuditSigner {
  const signer = onFirstUse(async () => {
    const [{ KMSClient }, { KmsAuditSigner }] = await Promise.all([
      import('@aws-sdk/client-kms'),
      import('./kms-signer.js'),
    ]);
    return new KmsAuditSigner(keyId, new KMSClient({ region }));
  });
  return {
    sign: async (bytes) => (await signer()).sign(bytes),
    publicKeyPem: async () => (await signer()).publicKeyPem(),
  };
}

/** The S3 export at `location` (s3-export.ts), loaded on the first write or read. */
export function s3AuditExport(location: S3ExportLocation, region: string): AuditExport {
  const exported = onFirstUse(async () => {
    const [{ S3Client }, { S3AuditExport }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('./s3-export.js'),
    ]);
    return new S3AuditExport(location, new S3Client({ region }));
  });
  return {
    write: async (entries, checkpoint) => (await exported()).write(entries, checkpoint),
    latest: async () => (await exported()).latest(),
    segment: async (seq) => (await exported()).segment(seq),
  };
}
