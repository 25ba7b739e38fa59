// The audit log's port: the hash chain the appenders write and readers verify (its own file:
// core/ports.ts stays under the length limit).
import type { ChainVerdict } from './audit-chain.js';
import type { AuditEntry, AuditRecord, HistoryWindow } from './model.js';
import type { StoredPage } from './ports.js';

/** The last entry of the chain, as much of it as the next append needs. */
export type ChainTail = Pick<AuditEntry, 'seq' | 'hash'>;

/** What an appender finds when it takes the lease. */
export interface AppenderLease {
  /** The previous holder released it settled: no record of its runs is appended and still owed. */
  previousSettled: boolean;
  /** The chain's tail as that settled holder left it (a stale one costs a retry, never a fork). */
  tail?: ChainTail;
}

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
    after?: ChainTail | null,
    appendedAt?: string,
  ): Promise<AuditEntry>;
  /** The last entry, if any. */
  tail(): Promise<AuditEntry | undefined>;
  /** The record ids of the entries appended at or after `from` (ISO time, appender's clock). */
  appendedSince(from: string): Promise<Set<string>>;
  /**
   * Makes `owner` the one sweeping appender until `until`, unless another holds an unexpired lease
   * (false). Answers what the previous holder left: whether it settled (see `releaseAppender`) and,
   * if so, the chain's tail as it left it.
   */
  acquireAppender(owner: string, now: Date, until: Date): Promise<AppenderLease | false>;
  /**
   * Gives the lease back (nothing if it lapsed and another holds it). `settled`: the run left no
   * record both appended and still owed, so the next holder need not look its records up in the
   * chain; `tail` is the chain's last entry as the run left it.
   */
  releaseAppender(owner: string, settled?: { tail?: ChainTail }): Promise<void>;
  list(
    request: { window: HistoryWindow; limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<AuditEntry>>;
  verify(): Promise<ChainVerdict>;
}
