// A signed audit chain built in memory: entries, checkpoints signed by a test key, and a
// compromised writer's rewrite of the entries with the chain recomputed.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { chainEntry, GENESIS_HASH, hashOf } from '../../functions/core/audit-chain.js';
import {
  checkpointBytes,
  type ExportSegment,
  nextCheckpoint,
  type SignedCheckpoint,
} from '../../functions/core/audit-checkpoint.js';
import type { AuditEntry, AuditRecord } from '../../functions/core/model.js';

export function testKey(type: 'ed25519' | 'ec' = 'ed25519') {
  const { privateKey, publicKey } =
    type === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function auditRecord(i: number): AuditRecord {
  return {
    at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)).toISOString(),
    actor: `analyst${i % 3}@example.com`,
    event: 'ActionApproved',
    actionId: `act-${i}`,
    investigationId: 'inv-1',
    before: 'Pending',
    after: 'Approved',
    comment: `entry ${i}`,
  } as AuditRecord;
}

/** `count` chained entries from `startSeq`, after `prevHash`. */
export function chain(count: number, start = { seq: 0, hash: GENESIS_HASH }): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let { seq, hash } = start;
  for (let i = 0; i < count; i += 1) {
    const entry = chainEntry(auditRecord(seq + 1), seq + 1, hash);
    entries.push(entry);
    ({ seq, hash } = entry);
  }
  return entries;
}

/** Signs like the KMS key (ECDSA over SHA-256, DER) or the local Ed25519 key. */
export function signCheckpoint(
  entry: AuditEntry,
  previous: SignedCheckpoint | undefined,
  key: KeyObject,
  at = new Date(Date.parse(entry.at) + 1000),
): SignedCheckpoint {
  const checkpoint = nextCheckpoint(entry, at, previous);
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return {
    ...checkpoint,
    signature: sign(algorithm, checkpointBytes(checkpoint), key).toString('base64'),
  };
}

/** An export of `count` entries with a checkpoint every `every` entries (and at the end). */
export function signedExport(count: number, every: number, key: KeyObject): ExportSegment[] {
  const entries = chain(count);
  const segments: ExportSegment[] = [];
  let previous: SignedCheckpoint | undefined;
  for (let from = 0; from < count; from += every) {
    const part = entries.slice(from, from + every);
    const checkpoint = signCheckpoint(part.at(-1) as AuditEntry, previous, key);
    segments.push({ checkpoint, entries: part });
    previous = checkpoint;
  }
  return segments;
}

/** A writer's rewrite: entry `seq` gets a new comment, and every hash from it on is recomputed. */
export function rewriteAndRecompute(entries: readonly AuditEntry[], seq: number): AuditEntry[] {
  let prevHash: string | undefined;
  return entries.map((entry) => {
    if (entry.seq < seq) return entry;
    const changed = {
      ...entry,
      ...(entry.seq === seq && { comment: 'nothing to see here' }),
      prevHash: prevHash ?? entry.prevHash,
    };
    const { hash: _, ...unhashed } = changed;
    const rehashed = { ...changed, hash: hashOf(unhashed) };
    prevHash = rehashed.hash;
    return rehashed;
  });
}
