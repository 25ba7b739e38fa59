// The ports of the audit chain's seal: the signing key, the signed checkpoints in the table,
// and the write-once export the chain is checked against.
import type { SignedCheckpoint } from './audit-checkpoint.js';
import type { AuditEntry } from './model.js';

/** An asymmetric key only the appender may sign with (KMS in AWS, an Ed25519 file locally). */
export interface AuditSigner {
  sign(bytes: Buffer): Promise<Buffer>;
  publicKeyPem(): Promise<string>;
}

/** The verification key alone: what readers and the offline verifier get. */
export type AuditPublicKey = Pick<AuditSigner, 'publicKeyPem'>;

/** The signed checkpoints kept in the table, and reads of the chain by seq. */
export interface AuditCheckpoints {
  latest(): Promise<SignedCheckpoint | undefined>;
  /** Every checkpoint, oldest first. */
  list(): Promise<SignedCheckpoint[]>;
  /** Stores a checkpoint once; false when one is already stored at its seq. */
  put(checkpoint: SignedCheckpoint): Promise<boolean>;
  /** The seq and hash of the entries at these seqs (missing ones left out). */
  entriesAt(seqs: readonly number[]): Promise<Map<number, Pick<AuditEntry, 'seq' | 'hash'>>>;
  /** Entries from `from` to `to` (inclusive), in order. */
  range(from: number, to: number): Promise<AuditEntry[]>;
  /** Entries after `seq`, in order, to the end of the chain. */
  after(seq: number): Promise<AuditEntry[]>;
}

/**
 * Write-once storage of the chain: per checkpoint, the entries since the previous one, then the
 * checkpoint. Layout (S3 keys under a prefix, or files under a folder):
 * `entries/<seq>.ndjson` (one entry a line), `checkpoints/<seq>.json`, seq zero-padded to 12.
 */
export interface AuditExport {
  write(entries: readonly AuditEntry[], checkpoint: SignedCheckpoint): Promise<void>;
  /** The newest exported checkpoint. */
  latest(): Promise<SignedCheckpoint | undefined>;
  /** The entries exported with the checkpoint at `seq`. */
  segment(seq: number): Promise<AuditEntry[] | undefined>;
}

export const exportKeys = {
  entries: (seq: number) => `entries/${String(seq).padStart(12, '0')}.ndjson`,
  checkpoint: (seq: number) => `checkpoints/${String(seq).padStart(12, '0')}.json`,
  /** A copy of the newest checkpoint, so readers find it in one read (the verifier does not trust it). */
  latest: 'latest.json',
};

export const entriesNdjson = (entries: readonly AuditEntry[]) =>
  entries.map((e) => `${JSON.stringify(e)}\n`).join('');

export const entriesOfNdjson = (text: string): AuditEntry[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditEntry);

/** One checkpoint of an export as stored: its text and its entries file's (undefined: missing). */
export interface ExportSegmentFiles {
  seq: number;
  checkpoint: string;
  entries: string | undefined;
}
