// Signed checkpoints of the audit chain (like Certificate Transparency's signed tree heads): the
// canonical bytes a key signs, their verification, and the check of an exported chain against them.
import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, hashOf } from './audit-chain.js';
import type { AuditEntry } from './model.js';

/** What a checkpoint signs: the chain's last entry at `at`, linked to the checkpoint before it. */
export interface Checkpoint {
  seq: number;
  hash: string;
  at: string;
  /** sha256 of the previous checkpoint's signed bytes (hex), null for the first checkpoint. */
  previous: string | null;
}

export interface SignedCheckpoint extends Checkpoint {
  /** Base64: ECDSA P-256 / SHA-256 (DER) from KMS, or Ed25519 locally; the key's type tells which. */
  signature: string;
}

const CHECKPOINT_TYPE = 'action-center.audit-checkpoint.v1';

/** The exact bytes signed: canonical JSON with a type tag, so no other signed text can pass for one. */
export function checkpointBytes({ seq, hash, at, previous }: Checkpoint): Buffer {
  return Buffer.from(canonicalJson({ type: CHECKPOINT_TYPE, seq, hash, at, previous }), 'utf8');
}

export function checkpointDigest(checkpoint: Checkpoint): string {
  return createHash('sha256').update(checkpointBytes(checkpoint)).digest('hex');
}

export function nextCheckpoint(
  tail: Pick<AuditEntry, 'seq' | 'hash'>,
  at: Date,
  previous: Checkpoint | undefined,
): Checkpoint {
  return {
    seq: tail.seq,
    hash: tail.hash,
    at: at.toISOString(),
    previous: previous ? checkpointDigest(previous) : null,
  };
}

/** Parsed once per key: verify checks every checkpoint on each call. */
const parsedKeys = new Map<string, KeyObject>();
const keyOf = (pem: string) => {
  let key = parsedKeys.get(pem);
  if (!key) {
    key = createPublicKey(pem);
    parsedKeys.set(pem, key);
  }
  return key;
};

/** Signatures already found valid (key, bytes, signature): verify rechecks old checkpoints on every call. */
const validSignatures = new Set<string>();
const MAX_REMEMBERED = 200_000;

/** Whether `publicKeyPem` signed this checkpoint; Ed25519 keys sign the bytes, EC keys their SHA-256. */
export function signatureValid(checkpoint: SignedCheckpoint, publicKeyPem: string): boolean {
  const bytes = checkpointBytes(checkpoint);
  const remembered = `${publicKeyPem}|${bytes.toString('utf8')}|${checkpoint.signature}`;
  if (validSignatures.has(remembered)) return true;
  const key = keyOf(publicKeyPem);
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  let valid = false;
  try {
    valid = verify(algorithm, bytes, key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (valid) {
    if (validSignatures.size >= MAX_REMEMBERED) validSignatures.clear();
    validSignatures.add(remembered);
  }
  return valid;
}

export interface CheckpointFault {
  /** Index in the list given. */
  index: number;
  reason: string;
}

/** Checks signatures and links of checkpoints given in ascending seq order; the first fault, if any. */
export function checkpointChainFault(
  checkpoints: readonly SignedCheckpoint[],
  publicKeyPem: string,
): CheckpointFault | undefined {
  let previous: SignedCheckpoint | undefined;
  for (const [index, checkpoint] of checkpoints.entries()) {
    if (!signatureValid(checkpoint, publicKeyPem))
      return { index, reason: `the checkpoint at seq ${checkpoint.seq} is not signed by the key` };
    const link = previous ? checkpointDigest(previous) : null;
    if (checkpoint.previous !== link || (previous && checkpoint.seq <= previous.seq))
      return {
        index,
        reason: `the checkpoint at seq ${checkpoint.seq} does not follow the one before it (a checkpoint was removed or inserted)`,
      };
    previous = checkpoint;
  }
  return undefined;
}

/** One checkpoint of an export and the entries it covers (undefined: the entries file is missing). */
export interface ExportSegment {
  checkpoint: SignedCheckpoint;
  entries: readonly AuditEntry[] | undefined;
}

export interface ExportVerdict {
  ok: boolean;
  /** Entries checked. */
  checked: number;
  checkpoints: number;
  firstBrokenSeq?: number;
  problem?: string;
  lastCheckpoint?: Checkpoint;
}

type Position = { seq: number; hash: string };

/** Names what happened at the first entry that is not the one expected after `at`. */
function entryFault(entries: readonly AuditEntry[], index: number, at: Position) {
  const entry = entries[index] as AuditEntry;
  const expected = at.seq + 1;
  const { hash, ...unhashed } = entry;
  if (entry.seq === expected) {
    if (hashOf(unhashed) !== hash)
      return { seq: expected, problem: `entry ${expected} was modified (its hash does not match)` };
    return {
      seq: Math.max(1, at.seq),
      problem: `entry ${at.seq} was modified and its hash recomputed (entry ${expected} no longer links to it)`,
    };
  }
  if (entry.seq <= at.seq)
    return {
      seq: expected,
      problem: `an entry was inserted after entry ${at.seq} (it repeats seq ${entry.seq})`,
    };
  const later = entries.slice(index).some((e) => e.seq === expected);
  if (later)
    return { seq: expected, problem: `entry ${expected} is out of order (entries were reordered)` };
  return { seq: expected, problem: `entry ${expected} is missing (deleted)` };
}

/**
 * Checks an export (segments in checkpoint order) with only the public key: each checkpoint's
 * signature and link, and the entries of each segment chained from the one before and ending at
 * the signed hash. A chain recomputed by a writer fails because its hashes are not the signed ones.
 */
export function verifyExport(
  segments: readonly ExportSegment[],
  publicKeyPem: string,
): ExportVerdict {
  let at: Position = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  const fault = checkpointChainFault(
    segments.map((s) => s.checkpoint),
    publicKeyPem,
  );
  const checkable = fault ? segments.slice(0, fault.index) : segments;
  for (const [index, { checkpoint, entries }] of checkable.entries()) {
    const broken = (firstBrokenSeq: number, problem: string): ExportVerdict => ({
      ok: false,
      checked,
      checkpoints: index,
      firstBrokenSeq,
      problem,
      ...lastOf(segments[index - 1]),
    });
    if (!entries)
      return broken(at.seq + 1, `the entries up to checkpoint ${checkpoint.seq} are missing`);
    const start = at.seq;
    for (const [i, entry] of entries.entries()) {
      checked += 1;
      if (
        entry.seq !== at.seq + 1 ||
        entry.prevHash !== at.hash ||
        hashOf(strip(entry)) !== entry.hash
      ) {
        const found = entryFault(entries, i, at);
        return broken(found.seq, found.problem);
      }
      at = { seq: entry.seq, hash: entry.hash };
    }
    if (at.seq < checkpoint.seq)
      return broken(at.seq + 1, `entries ${at.seq + 1} to ${checkpoint.seq} are missing (deleted)`);
    if (at.seq > checkpoint.seq || at.hash !== checkpoint.hash)
      return broken(
        start + 1,
        `entries ${start + 1} to ${checkpoint.seq} do not match the signed checkpoint at seq ${checkpoint.seq}: changed and the chain recomputed`,
      );
  }
  if (fault) {
    const before = segments[fault.index - 1]?.checkpoint;
    return {
      ok: false,
      checked,
      checkpoints: fault.index,
      firstBrokenSeq: (before?.seq ?? 0) + 1,
      problem: fault.reason,
      ...lastOf(segments[fault.index - 1]),
    };
  }
  return { ok: true, checked, checkpoints: segments.length, ...lastOf(segments.at(-1)) };
}

const lastOf = (segment: ExportSegment | undefined) =>
  segment ? { lastCheckpoint: unsigned(segment.checkpoint) } : {};

const strip = ({ hash: _, ...unhashed }: AuditEntry) => unhashed;

/** The checkpoint without its signature, as the API shows it. */
export const unsigned = ({ signature: _, ...checkpoint }: SignedCheckpoint): Checkpoint =>
  checkpoint;
