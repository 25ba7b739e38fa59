// Moves the audit records that state changes owe (the outbox on each action's item) into the hash
// chain and clears them. Two paths, and no record is ever taken by both:
// - inline: a call appends the records its OWN writes owe, right after them, with no lease (the
//   chain's seq condition orders concurrent appenders; no other call owns those records), and only
//   while they are younger than INLINE_WINDOW_MS;
// - the sweep (the reconciler's schedule): one lease holder takes the records older than
//   SWEEP_GRACE_MS, the leftovers of calls that failed or died. Before appending it looks them up
//   among the entries appended since they were written (an append whose clear was lost), so
//   nothing is appended twice.
import { randomUUID } from 'node:crypto';
import { type OwedRecord, recordIdOf } from '../core/audit-chain.js';
import type { AuditEntry, AuditRecord } from '../core/model.js';
import type { ActionStore, AuditLog, Clock } from '../core/ports.js';
import { logger } from '../observability.js';
import { forEachLimited } from './limited.js';

export interface AppenderPorts {
  actions: Pick<ActionStore, 'auditOwed' | 'auditOwedBy' | 'clearAuditOwed'>;
  audit: Pick<
    AuditLog,
    'append' | 'tail' | 'appendedSince' | 'acquireAppender' | 'releaseAppender'
  >;
  clock: Clock;
  /** Run by the lease holder after its batches (services/audit-seal.ts signs a checkpoint). */
  afterAppend?: () => Promise<void>;
}

/** What a call's own writes owe: filled as it writes (only by writes that moved), appended after. */
export interface OwedByCall {
  owed?: AuditRecord[];
}

export interface SweepOptions {
  /** Actions read from the outbox per batch (oldest owed first). */
  batchSize?: number;
  /** After this long no new batch is started; the next run takes the rest. */
  budgetMs?: number;
}

export interface SweepSummary {
  appended: number;
  /** Another sweep held the lease (it takes the leftovers). */
  busy: boolean;
}

/** An inline appender appends nothing older than this: past it the record is the sweep's. */
export const INLINE_WINDOW_MS = 5_000;
/** The sweep takes records older than this: well past any inline append (window plus SDK retries). */
export const SWEEP_GRACE_MS = 15_000;
/** Clocks of different functions may differ by this much: the look-up reaches that far back. */
const CLOCK_SKEW_MS = 5_000;
/** The sweep's lease lasts its budget plus this: a dead holder's lease lapses soon after its run would have ended. */
const LEASE_MARGIN_MS = 5_000;
/** Items read and cleared at once (the chain itself is appended in order, one by one). */
const CONCURRENCY = 8;

const recordOf = ({ recordId: _, ...record }: OwedRecord): AuditRecord => record;
const byTime = (a: OwedRecord, b: OwedRecord) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);
const ageMs = (record: OwedRecord, now: Date) => now.getTime() - Date.parse(record.at);

interface ItemRecords {
  actionId: string;
  records: OwedRecord[];
}

/**
 * The inline run after a call's writes: appends the records they owe, then clears each item once.
 * A failure only leaves the records in the outbox, where the sweep finds them.
 */
export async function appendOwedSoon(
  ports: AppenderPorts,
  owed: readonly AuditRecord[] | undefined,
): Promise<void> {
  if (!owed?.length) return;
  try {
    await appendOwn(ports, owed);
  } catch (error) {
    logger.warn('Owed audit records not appended now; the reconciler appends them', {
      errorName: (error as Error).name,
      reason: (error as Error).message,
    });
  }
}

async function appendOwn(ports: AppenderPorts, owed: readonly AuditRecord[]): Promise<void> {
  const own = new Map<string, Set<string>>();
  for (const record of owed) {
    own.set(record.actionId, (own.get(record.actionId) ?? new Set()).add(recordIdOf(record)));
  }
  // Still owed: a record already cleared (or never written) is not appended.
  const items = await forEachLimited([...own], CONCURRENCY, async ([actionId, ids]) => ({
    actionId,
    records: (await ports.actions.auditOwedBy(actionId)).filter((r) => ids.has(r.recordId)),
  }));
  await appendAndClear(ports, items, {
    appendable: (record) => ageMs(record, ports.clock()) < INLINE_WINDOW_MS,
    inChain: new Set(),
  });
}

/**
 * Appends the items' records oldest first (one action's records keep their order), skipping those
 * the chain already holds, then clears each item once. Stops appending at the first record that
 * is no longer `appendable`.
 */
async function appendAndClear(
  ports: AppenderPorts,
  items: readonly ItemRecords[],
  rules: { appendable: (record: OwedRecord) => boolean; inChain: ReadonlySet<string> },
): Promise<number> {
  const records = items.flatMap((item) => item.records).sort(byTime);
  const done = new Set<string>();
  let appended = 0;
  let tail: AuditEntry | null | undefined;
  for (const record of records) {
    if (rules.inChain.has(record.recordId)) {
      done.add(record.recordId);
      continue;
    }
    if (!rules.appendable(record)) break;
    if (tail === undefined) tail = (await ports.audit.tail()) ?? null;
    tail = await ports.audit.append(
      recordOf(record),
      record.recordId,
      tail,
      ports.clock().toISOString(),
    );
    done.add(record.recordId);
    appended += 1;
  }
  await forEachLimited(items, CONCURRENCY, async ({ actionId, records: owed }) => {
    const cleared = owed.filter((r) => done.has(r.recordId)).map((r) => r.recordId);
    if (cleared.length) await ports.actions.clearAuditOwed(actionId, cleared);
  });
  return appended;
}

/** The sweep: appends the leftovers older than the grace, within the budget, under the lease. */
export async function appendOwedAudit(
  ports: AppenderPorts,
  options: SweepOptions = {},
): Promise<SweepSummary> {
  const { batchSize = 25, budgetMs = 5_000 } = options;
  const started = Date.now();
  const owner = randomUUID();
  const now = ports.clock();
  const until = new Date(now.getTime() + budgetMs + LEASE_MARGIN_MS);
  if (!(await ports.audit.acquireAppender(owner, now, until))) return { appended: 0, busy: true };
  let appended = 0;
  try {
    while (Date.now() - started < budgetMs) {
      // Items written within the grace may hold records their writers still append.
      const writtenBefore = new Date(ports.clock().getTime() - SWEEP_GRACE_MS);
      const ids = await ports.actions.auditOwed(batchSize, writtenBefore);
      const moved = await sweepBatch(ports, ids, until);
      appended += moved.appended;
      if (moved.taken === 0 || ids.length < batchSize) break;
    }
    await ports.afterAppend?.();
  } finally {
    await ports.audit.releaseAppender(owner);
  }
  return { appended, busy: false };
}

async function sweepBatch(
  ports: AppenderPorts,
  actionIds: readonly string[],
  leaseUntil: Date,
): Promise<{ appended: number; taken: number }> {
  const now = ports.clock();
  const read = await forEachLimited([...new Set(actionIds)], CONCURRENCY, async (actionId) => ({
    actionId,
    // An item's younger records may still be its writer's to append: only the older ones are taken.
    records: (await ports.actions.auditOwedBy(actionId)).filter(
      (r) => ageMs(r, now) >= SWEEP_GRACE_MS,
    ),
  }));
  const items = read.filter((item) => item.records.length > 0);
  const oldest = items
    .flatMap((item) => item.records)
    .sort(byTime)
    .at(0);
  if (!oldest) return { appended: 0, taken: 0 };
  const since = new Date(Date.parse(oldest.at) - CLOCK_SKEW_MS).toISOString();
  const inChain = await ports.audit.appendedSince(since);
  const already = items.flatMap((i) => i.records).filter((r) => inChain.has(r.recordId)).length;
  if (already > 0) logger.info('Audit sweep cleared records already in the chain', { already });
  const appended = await appendAndClear(ports, items, {
    // A holder past its lease appends nothing more: another sweep may hold it by now.
    appendable: () => ports.clock().getTime() < leaseUntil.getTime() - LEASE_MARGIN_MS,
    inChain,
  });
  return { appended, taken: items.length };
}
