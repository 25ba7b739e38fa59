// The audit export on one machine: files under a folder (DATA_DIR/audit-export/ or
// AUDIT_EXPORT_DIR), in the layout of the S3 export, so the offline verifier reads either.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SignedCheckpoint } from '../../core/audit-checkpoint.js';
import {
  type AuditExport,
  type ExportSegmentFiles,
  entriesNdjson,
  entriesOfNdjson,
  exportKeys,
} from '../../core/audit-seal-ports.js';
import type { AuditEntry } from '../../core/model.js';

const readIfThere = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

export class FileAuditExport implements AuditExport {
  constructor(private readonly root: string) {}

  /** Written whole or not at all (a temporary file renamed into place), owner-only like DATA_DIR. */
  private put(key: string, body: string) {
    const path = join(this.root, key);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const partial = `${path}.partial`;
    writeFileSync(partial, body, { mode: 0o600 });
    renameSync(partial, path);
  }

  async write(entries: readonly AuditEntry[], checkpoint: SignedCheckpoint): Promise<void> {
    this.put(exportKeys.entries(checkpoint.seq), entriesNdjson(entries));
    const body = `${JSON.stringify(checkpoint)}\n`;
    this.put(exportKeys.checkpoint(checkpoint.seq), body);
    this.put(exportKeys.latest, body);
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const text = readIfThere(join(this.root, exportKeys.latest));
    return text === undefined ? undefined : (JSON.parse(text) as SignedCheckpoint);
  }

  async segment(seq: number): Promise<AuditEntry[] | undefined> {
    const text = readIfThere(join(this.root, exportKeys.entries(seq)));
    return text === undefined ? undefined : entriesOfNdjson(text);
  }

  /** Every checkpoint file with its entries file, in seq order (what the offline verifier reads). */
  segmentFiles(): ExportSegmentFiles[] {
    const names = (folder: string) => {
      try {
        return readdirSync(join(this.root, folder)).sort();
      } catch {
        return [];
      }
    };
    return names('checkpoints')
      .filter((name) => /^\d{12}\.json$/.test(name))
      .map((name) => {
        const seq = Number(name.slice(0, 12));
        return {
          seq,
          checkpoint: readFileSync(join(this.root, 'checkpoints', name), 'utf8'),
          entries: readIfThere(join(this.root, exportKeys.entries(seq))),
        };
      });
  }
}
