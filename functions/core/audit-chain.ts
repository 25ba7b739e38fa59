// The tamper-evident audit chain: hash = sha256(prevHash + canonical JSON of the entry without hash).
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from './model.js';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashOf(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256')
    .update(entry.prevHash + canonicalJson(entry))
    .digest('hex');
}

export function chainEntry(record: AuditRecord, seq: number, prevHash: string): AuditEntry {
  const unhashed = { ...record, seq, prevHash };
  return { ...unhashed, hash: hashOf(unhashed) };
}

export interface ChainVerdict {
  ok: boolean;
  checked: number;
  firstBrokenSeq?: number;
}

/** Checks entries given in ascending seq order, continuing a chain whose last hash is `prevHash`. */
export function verifyEntries(
  entries: readonly AuditEntry[],
  start: { prevHash: string; seq: number } = { prevHash: GENESIS_HASH, seq: 0 },
): ChainVerdict & { last: { prevHash: string; seq: number } } {
  let { prevHash, seq } = start;
  let checked = 0;
  for (const entry of entries) {
    const { hash, ...unhashed } = entry;
    checked += 1;
    if (entry.seq !== seq + 1 || entry.prevHash !== prevHash || hashOf(unhashed) !== hash) {
      return { ok: false, checked, firstBrokenSeq: seq + 1, last: { prevHash, seq } };
    }
    prevHash = hash;
    seq = entry.seq;
  }
  return { ok: true, checked, last: { prevHash, seq } };
}

/** An audit record owed by the write that made it, until the appender moves it into the chain. */
export type OwedRecord = AuditRecord & { recordId: string };

/**
 * The record's identity: one state change (action, event, time, resulting status, by whom) makes
 * one record, so an appender that finds this id in the chain already appended it. The actor tells
 * apart two approvals of one action below its quorum in the same millisecond.
 */
export function recordIdOf(record: AuditRecord): string {
  return createHash('sha256')
    .update(canonicalJson([record.actionId, record.event, record.at, record.after, record.actor]))
    .digest('hex')
    .slice(0, 32);
}

export const owedRecordOf = (record: AuditRecord): OwedRecord => ({
  ...record,
  recordId: recordIdOf(record),
});
