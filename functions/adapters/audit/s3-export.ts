// The audit export in AWS: objects in a bucket with S3 Object Lock (compliance mode by default
// retention), so nobody, the account root included, can change or delete them before it ends.
import { createHash } from 'node:crypto';
import type { SignedCheckpoint } from '../../core/audit-checkpoint.js';
import {
  type AuditExport,
  entriesNdjson,
  entriesOfNdjson,
  exportKeys,
} from '../../core/audit-seal-ports.js';
import type { AuditEntry } from '../../core/model.js';
import { type AwsTarget, awsCaller } from './aws-request.js';

export class S3AuditExport implements AuditExport {
  private readonly call;

  constructor(
    private readonly location: { bucket: string; prefix: string },
    target: Omit<AwsTarget, 'service'>,
  ) {
    this.call = awsCaller({ ...target, service: 's3' });
  }

  private path(key: string) {
    const prefix = this.location.prefix.replace(/^\/+|\/+$/g, '');
    return `/${prefix ? `${prefix}/` : ''}${key}`;
  }

  /** Object Lock refuses a put without an integrity header: Content-MD5 it is. */
  private async put(key: string, body: string) {
    await this.call({
      method: 'PUT',
      bucket: this.location.bucket,
      path: this.path(key),
      headers: {
        'content-type': key.endsWith('.json') ? 'application/json' : 'application/x-ndjson',
        'content-md5': createHash('md5').update(body).digest('base64'),
      },
      body,
    });
  }

  private async get(key: string): Promise<string | undefined> {
    const out = await this.call({
      method: 'GET',
      bucket: this.location.bucket,
      path: this.path(key),
    });
    return out.status === 404 ? undefined : out.body.toString('utf8');
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
}
