// The one appender: moves the audit records that state changes owe (the outbox on each action's
// item) into the hash chain, oldest first, and clears them. Only the lease holder appends, so the
// chain has one writer and no call that changes an action touches it. It runs when a write owes a
// record (DynamoDB Streams in AWS, the local table's write hook locally) and on the reconciler's
// schedule. When the previous lease holder did not settle (it crashed or failed between an append
// and its clear), it looks the records up among the entries appended since they were written before
// appending, so nothing is appended twice; after a settled holder that look-up is skipped.
import { randomUUID } from 'node:crypto';
import type { OwedRecord } from '../core/audit-chain.js';
import type { ChainTail } from '../core/audit-log-port.js';
import type { AuditRecord } from '../core/model.js';
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

/** Clocks of different functions may differ by this much: the look-up reaches that far back. */
const CLOCK_SKEW_MS = 5_000;
/** The sweep's lease lasts its budget plus this: a dead holder's lease lapses soon after its run would have ended. */
const LEASE_MARGIN_MS = 5_000;
/** Items read and cleared at once (the chain itself is appended in order, one by one). */
const CONCURRENCY = 8;

const recordOf = ({ recordId: _, ...record }: OwedRecord): AuditRecord => record;
const byTime = (a: OwedRecord, b: OwedRecord) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

interface ItemRecords {
  actionId: string;
  records: OwedRecord[];
}

/** What one lease holder's run knows. */
interface RunState {
  /** The previous holder did not settle: owed records are looked up in the chain first. */
  lookBack: boolean;
  /** The chain's last entry as this run knows it (null: empty; undefined: not read yet). */
  tail: ChainTail | null | undefined;
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
  run: RunState,
): Promise<number> {
  const records = items.flatMap((item) => item.records).sort(byTime);
  const done = new Set<string>();
  let appended = 0;
  for (const record of records) {
    if (rules.inChain.has(record.recordId)) {
      done.add(record.recordId);
      continue;
    }
    if (!rules.appendable(record)) break;
    if (run.tail === undefined) run.tail = (await ports.audit.tail()) ?? null;
    const entry = await ports.audit.append(
      recordOf(record),
      record.recordId,
      run.tail,
      ports.clock().toISOString(),
    );
    run.tail = { seq: entry.seq, hash: entry.hash };
    done.add(record.recordId);
    appended += 1;
  }
  await forEachLimited(items, CONCURRENCY, async ({ actionId, records: owed }) => {
    const cleared = owed.filter((r) => done.has(r.recordId)).map((r) => r.recordId);
    // The records as just read: the clear's condition checks they are still where they were.
    if (cleared.length) await ports.actions.clearAuditOwed(actionId, cleared, owed);
  });
  return appended;
}

/** Rounds of a run: a record written while the holder released its lease is taken by the next. */
const ROUNDS = 3;

/**
 * Appends what is owed, under the lease, within the budget. Another run holding the lease takes
 * the records (busy). After releasing, a run looks once more: a record written while it finished
 * would otherwise wait for the next trigger. A run settles its release when it leaves no record
 * both appended and owed: it ended without error and, if it had to look back, it drained the
 * outbox (so the records the previous holder may have left appended are all cleared).
 */
export async function appendOwedAudit(
  ports: AppenderPorts,
  options: SweepOptions = {},
): Promise<SweepSummary> {
  const { batchSize = 25, budgetMs = 5_000 } = options;
  const started = Date.now();
  let appended = 0;
  for (let round = 1; round <= ROUNDS; round += 1) {
    const owner = randomUUID();
    const now = ports.clock();
    const until = new Date(now.getTime() + budgetMs + LEASE_MARGIN_MS);
    const lease = await ports.audit.acquireAppender(owner, now, until);
    if (!lease) return { appended, busy: true };
    const run: RunState = { lookBack: !lease.previousSettled, tail: lease.tail };
    let settled = false;
    try {
      let drained = false;
      while (Date.now() - started < budgetMs) {
        const ids = await ports.actions.auditOwed(batchSize);
        const moved = await sweepBatch(ports, ids, until, run);
        appended += moved.appended;
        drained = ids.length < batchSize;
        if (moved.taken === 0 || drained) break;
      }
      await ports.afterAppend?.();
      settled = !run.lookBack || drained;
    } finally {
      await ports.audit.releaseAppender(
        owner,
        settled ? { ...(run.tail && { tail: run.tail }) } : undefined,
      );
    }
    if (Date.now() - started >= budgetMs || (await ports.actions.auditOwed(1)).length === 0) break;
  }
  return { appended, busy: false };
}

async function sweepBatch(
  ports: AppenderPorts,
  actionIds: readonly string[],
  leaseUntil: Date,
  run: RunState,
): Promise<{ appended: number; taken: number }> {
  const read = await forEachLimited([...new Set(actionIds)], CONCURRENCY, async (actionId) => ({
    actionId,
    records: await ports.actions.auditOwedBy(actionId),
  }));
  const items = read.filter((item) => item.records.length > 0);
  const oldest = items
    .flatMap((item) => item.records)
    .sort(byTime)
    .at(0);
  if (!oldest) return { appended: 0, taken: 0 };
  let inChain: ReadonlySet<string> = new Set();
  if (run.lookBack) {
    const since = new Date(Date.parse(oldest.at) - CLOCK_SKEW_MS).toISOString();
    inChain = await ports.audit.appendedSince(since);
    const already = items.flatMap((i) => i.records).filter((r) => inChain.has(r.recordId)).length;
    if (already > 0) logger.info('Audit sweep cleared records already in the chain', { already });
  }
  const appended = await appendAndClear(
    ports,
    items,
    {
      // A holder past its lease appends nothing more: another sweep may hold it by now.
      appendable: () => ports.clock().getTime() < leaseUntil.getTime() - LEASE_MARGIN_MS,
      inChain,
    },
    run,
  );
  return { appended, taken: items.length };
}
