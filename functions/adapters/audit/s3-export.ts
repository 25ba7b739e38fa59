// The audit export in AWS: objects in a bucket with S3 Object Lock (compliance mode), so nobody,
// the account root included, can change or delete them before their retention ends.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { SignedCheckpoint } from '../../core/audit-checkpoint.js';
import {
  type AuditExport,
  type ExportSegmentFiles,
  entriesNdjson,
  entriesOfNdjson,
  exportKeys,
} from '../../core/audit-seal-ports.js';
import type { AuditEntry } from '../../core/model.js';

export interface S3ExportLocation {
  bucket: string;
  prefix: string;
  /** Each object's own lock (compliance mode); the bucket's default retention applies without it. */
  retentionDays?: number;
}

export class S3AuditExport implements AuditExport {
  constructor(
    private readonly location: S3ExportLocation,
    private readonly s3: S3Client,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private key(name: string) {
    const prefix = this.location.prefix.replace(/^\/+|\/+$/g, '');
    return `${prefix ? `${prefix}/` : ''}${name}`;
  }

  /** Object Lock refuses a put without an integrity checksum: the SDK's CRC32 it is. */
  private async put(name: string, body: string) {
    const days = this.location.retentionDays;
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.location.bucket,
        Key: this.key(name),
        Body: body,
        ContentType: name.endsWith('.json') ? 'application/json' : 'application/x-ndjson',
        ChecksumAlgorithm: 'CRC32',
        ...(days !== undefined && {
          ObjectLockMode: 'COMPLIANCE',
          ObjectLockRetainUntilDate: new Date(this.clock().getTime() + days * 86_400_000),
        }),
      }),
    );
  }

  private async get(name: string): Promise<string | undefined> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(name) }),
      );
      return await out.Body?.transformToString('utf8');
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async write(entries: readonly AuditEntry[], checkpoint: SignedCheckpoint): Promise<void> {
    await this.put(exportKeys.entries(checkpoint.seq), entriesNdjson(entries));
    const body = `${JSON.stringify(checkpoint)}\n`;
    await this.put(exportKeys.checkpoint(checkpoint.seq), body);
    await this.put(exportKeys.latest, body);
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const text = await this.get(exportKeys.latest);
    return text === undefined ? undefined : (JSON.parse(text) as SignedCheckpoint);
  }

  async segment(seq: number): Promise<AuditEntry[] | undefined> {
    const text = await this.get(exportKeys.entries(seq));
    return text === undefined ? undefined : entriesOfNdjson(text);
  }

  /** Every checkpoint object with its entries object, in seq order (what the offline verifier reads). */
  async segmentFiles(): Promise<ExportSegmentFiles[]> {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.location.bucket,
          Prefix: this.key('checkpoints/'),
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) names.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const files: ExportSegmentFiles[] = [];
    for (const name of names.sort()) {
      const match = /checkpoints\/(\d{12})\.json$/.exec(name);
      if (!match) continue;
      const seq = Number(match[1]);
      files.push({
        seq,
        checkpoint: (await this.get(exportKeys.checkpoint(seq))) ?? '',
        entries: await this.get(exportKeys.entries(seq)),
      });
    }
    return files;
  }
}
