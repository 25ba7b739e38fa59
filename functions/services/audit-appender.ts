// The one appender: moves the audit records that state changes owe (the outbox on each action's
// item) into the hash chain, in order, and clears them. One holder of a lease appends at a time,
// so appends never race for the chain's next seq; a holder that stopped between appending and
// clearing is caught up by the next one, so nothing is lost and nothing is appended twice.
import { randomUUID } from 'node:crypto';
import type { OwedRecord } from '../core/audit-chain.js';
import type { AuditRecord } from '../core/model.js';
import type { ActionStore, AuditLog, Clock } from '../core/ports.js';
import { logger } from '../observability.js';
import { forEachLimited } from './limited.js';

export interface AppenderPorts {
  actions: Pick<ActionStore, 'auditOwed' | 'auditOwedBy' | 'clearAuditOwed'>;
  audit: Pick<
    AuditLog,
    'append' | 'tail' | 'appendedFrom' | 'acquireAppender' | 'startBatch' | 'releaseAppender'
  >;
  clock: Clock;
  /** Run by the lease holder after its batches (services/audit-seal.ts signs a checkpoint). */
  afterAppend?: () => Promise<void>;
}

export interface AppendOptions {
  /** Actions whose records this call owes: appended first, and waited for while another appends. */
  first?: readonly string[];
  /** Actions read from the outbox per batch (oldest owed first). */
  batchSize?: number;
  /** After this long no new batch is started; the next run takes the rest. */
  budgetMs?: number;
  /** How long to wait for another appender's lease. */
  waitMs?: number;
}

export interface AppendSummary {
  appended: number;
  /** Another appender held the lease throughout the wait (it appends what this call owes). */
  busy: boolean;
}

/** Longer than any run (its budget plus one batch), so only a dead holder's lease lapses. */
const LEASE_SECONDS = 30;
const POLL_MS = 25;
/** Items read and cleared at once by one batch (the chain itself is appended in order, one by one). */
const READ_CONCURRENCY = 8;

/** A workflow task waits longer than an API call: its function has minutes, and reads follow it. */
export const WORKFLOW_APPEND_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const recordOf = ({ recordId: _, ...record }: OwedRecord): AuditRecord => record;

/** Appends what is owed, `first` first, within the budget. */
export async function appendOwedAudit(
  ports: AppenderPorts,
  options: AppendOptions = {},
): Promise<AppendSummary> {
  const { first = [], batchSize = 25, budgetMs = 5_000, waitMs = 0 } = options;
  const started = Date.now();
  const owner = randomUUID();
  const lease = await acquire(ports, owner, first, started + waitMs);
  if (!lease) return { appended: 0, busy: true };
  let settled = false;
  let appended = 0;
  try {
    if (lease.unsettledFrom !== undefined) await catchUp(ports, lease.unsettledFrom);
    if (first.length > 0) appended += await appendBatch(ports, owner, first);
    while (Date.now() - started < budgetMs) {
      const owing = await ports.actions.auditOwed(batchSize);
      const moved = owing.length ? await appendBatch(ports, owner, owing) : 0;
      appended += moved;
      if (moved === 0 || owing.length < batchSize) break;
    }
    await ports.afterAppend?.();
    settled = true;
  } finally {
    await ports.audit.releaseAppender(owner, settled);
  }
  return { appended, busy: false };
}

/**
 * The inline run after a write: what this call owes, then whatever else is, at once. A failure
 * only leaves the records in the outbox, where the next run (the reconciler's at the latest) finds them.
 */
export async function appendOwedSoon(
  ports: AppenderPorts,
  first: readonly string[],
  waitMs = 3_000,
): Promise<void> {
  // Nothing of this call's to append: whoever holds the lease, or the reconciler, takes the rest.
  if (first.length === 0) return;
  try {
    await appendOwedAudit(ports, { first, budgetMs: 1_000, waitMs });
  } catch (error) {
    logger.warn('Owed audit records not appended now; the reconciler appends them', {
      errorName: (error as Error).name,
      reason: (error as Error).message,
    });
  }
}

/** Takes the lease, waiting while another holds it; stops waiting once `first` owes nothing. */
async function acquire(
  ports: AppenderPorts,
  owner: string,
  first: readonly string[],
  waitUntil: number,
) {
  for (;;) {
    const now = ports.clock();
    const lease = await ports.audit.acquireAppender(
      owner,
      now,
      new Date(now.getTime() + LEASE_SECONDS * 1000),
    );
    if (lease.acquired) return lease;
    if (Date.now() >= waitUntil) return undefined;
    if (first.length > 0 && !(await owesAny(ports, first))) return undefined;
    await sleep(POLL_MS);
  }
}

async function owesAny(ports: AppenderPorts, actionIds: readonly string[]): Promise<boolean> {
  for (const id of actionIds) {
    if ((await ports.actions.auditOwedBy(id)).length > 0) return true;
  }
  return false;
}

/**
 * A previous holder stopped inside a batch: the records it appended (entries from `from` on)
 * may still be owed. Clears them without appending them again.
 */
async function catchUp(ports: AppenderPorts, from: number): Promise<void> {
  const inChain = new Map<string, Set<string>>();
  for (const { actionId, recordId } of await ports.audit.appendedFrom(from)) {
    inChain.set(actionId, (inChain.get(actionId) ?? new Set()).add(recordId));
  }
  for (const [actionId, ids] of inChain) {
    const owed = await ports.actions.auditOwedBy(actionId);
    const end = owed.findIndex((record) => !ids.has(record.recordId));
    const done = owed.slice(0, end === -1 ? owed.length : end);
    if (done.length)
      await ports.actions.clearAuditOwed(
        actionId,
        done.map((r) => r.recordId),
      );
  }
  logger.info('Audit appender caught up after an interrupted run', { from });
}

/** Appends the records the actions owe, oldest first, then clears them. */
async function appendBatch(
  ports: AppenderPorts,
  owner: string,
  actionIds: readonly string[],
): Promise<number> {
  const read = await forEachLimited(
    [...new Set(actionIds)],
    READ_CONCURRENCY,
    async (actionId) => ({
      actionId,
      records: await ports.actions.auditOwedBy(actionId),
    }),
  );
  const owed = read.filter((o) => o.records.length > 0);
  // Stable: one action's records keep the order of its writes.
  const records = owed
    .flatMap((o) => o.records)
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (!records.length) return 0;
  let tail = await ports.audit.tail();
  await ports.audit.startBatch(owner, (tail?.seq ?? 0) + 1);
  for (const record of records) {
    tail = await ports.audit.append(recordOf(record), record.recordId, tail ?? null);
  }
  await forEachLimited(owed, READ_CONCURRENCY, ({ actionId, records: cleared }) =>
    ports.actions.clearAuditOwed(
      actionId,
      cleared.map((r) => r.recordId),
    ),
  );
  return records.length;
}
