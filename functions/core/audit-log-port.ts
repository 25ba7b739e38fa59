// The audit log's port: the hash chain the appenders write and readers verify (its own file:
// core/ports.ts stays under the length limit).
import type { ChainVerdict } from './audit-chain.js';
import type { AuditEntry, AuditRecord, HistoryWindow } from './model.js';
import type { StoredPage } from './ports.js';

/** The audit log: append-only, hash chained, verifiable. */
export interface AuditLog {
  /**
   * Appends after the last entry; `recordId` and `appendedAt` are kept with the entry (outside
   * its hash) so a later appender can find it. `after`: the last entry as the caller knows it
   * (null: the chain is empty), saving a read; a wrong guess costs a retry, never a broken chain.
   */
  append(
    record: AuditRecord,
    recordId?: string,
    after?: AuditEntry | null,
    appendedAt?: string,
  ): Promise<AuditEntry>;
  /** The last entry, if any. */
  tail(): Promise<AuditEntry | undefined>;
  /** The record ids of the entries appended at or after `from` (ISO time, appender's clock). */
  appendedSince(from: string): Promise<Set<string>>;
  /** Makes `owner` the one sweeping appender until `until`, unless another holds an unexpired lease. */
  acquireAppender(owner: string, now: Date, until: Date): Promise<boolean>;
  /** Gives the lease back (nothing if it lapsed and another holds it). */
  releaseAppender(owner: string): Promise<void>;
  list(
    request: { window: HistoryWindow; limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<AuditEntry>>;
  verify(): Promise<ChainVerdict>;
}
