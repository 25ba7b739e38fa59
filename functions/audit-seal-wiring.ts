// The audit seal's part of the composition root (wiring.ts), apart from it: only the functions
// that sign or read the chain's checkpoints (read, reconcile) import it, so no other bundle
// carries the chunks of its S3 and KMS clients, nor the SDK code they share with the entry.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { kmsAuditSigner, s3AuditExport } from './adapters/audit/aws.js';
import { FileAuditExport } from './adapters/audit/file-export.js';
import { DynamoAuditCheckpoints } from './adapters/dynamodb/audit-checkpoints.js';
import type { Config } from './config.js';
import type { Overrides } from './wiring.js';

/**
 * The audit seal's adapters: the signer (KMS when AUDIT_KMS_KEY_ID is set), the checkpoints and
 * the export (S3 when AUDIT_EXPORT_BUCKET is set, a folder when AUDIT_EXPORT_DIR is); undefined
 * without a key, and then nothing is signed. KMS and S3 load on first use (adapters/audit/aws.ts).
 */
export function auditSealAdapters(
  config: Config,
  doc: DynamoDBDocumentClient,
  overrides: Overrides = {},
) {
  const { kmsKeyId, exportBucket, exportPrefix, exportDir, exportRetentionDays } = config.audit;
  const region = config.region;
  const signer = overrides.auditSigner ?? (kmsKeyId ? kmsAuditSigner(kmsKeyId, region) : undefined);
  const auditExport =
    overrides.auditExport ??
    (exportBucket
      ? s3AuditExport(
          { bucket: exportBucket, prefix: exportPrefix, retentionDays: exportRetentionDays },
          region,
        )
      : exportDir
        ? new FileAuditExport(exportDir)
        : undefined);
  if (!signer) return undefined;
  return {
    signer,
    checkpoints: new DynamoAuditCheckpoints(doc, { tableName: config.tableName }),
    ...(auditExport && { export: auditExport }),
    settings: { checkpointSeconds: config.audit.checkpointSeconds },
  };
}
