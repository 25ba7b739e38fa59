// The audit log: append-only, hash chained, verifiable. Entries live in one partition by seq.
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ChainVerdict,
  chainEntry,
  GENESIS_HASH,
  verifyEntries,
} from '../../core/audit-chain.js';
import type { AppenderLease, ChainTail } from '../../core/audit-log-port.js';
import {
  type AuditEntry,
  type AuditRecord,
  type HistoryWindow,
  windowStart,
} from '../../core/model.js';
import type { AuditLog, StoredPage } from '../../core/ports.js';
import type { CursorCodec } from './cursor.js';
import { isConditionalCheckFailed } from './errors.js';
import { fieldsOf, type Item } from './items.js';
import { keys } from './keys.js';
import { partitionPages } from './paging.js';

const ENTRY_FIELDS = [
  'seq',
  'at',
  'actor',
  'event',
  'actionId',
  'investigationId',
  'before',
  'after',
  'comment',
  'policy',
  'via',
  'hash',
  'prevHash',
] as const;

export const entryOf = (item: Item) => fieldsOf<AuditEntry>(item, ENTRY_FIELDS);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: {
      tableName: string;
      maxAppendAttempts?: number;
      cursors: CursorCodec;
    },
  ) {}

  private get table() {
    return this.settings.tableName;
  }

  /** The newest entries first, from `ExclusiveStartKey` on when given. */
  private newestFirst(
    read: Pick<QueryCommandInput, 'Limit' | 'ExclusiveStartKey' | 'ConsistentRead'>,
  ) {
    return this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition },
        ScanIndexForward: false,
        ...read,
      }),
    );
  }

  async tail(): Promise<AuditEntry | undefined> {
    const out = await this.newestFirst({ Limit: 1, ConsistentRead: true });
    const item = out.Items?.[0];
    return item && entryOf(item);
  }

  /**
   * Appends one entry after the current last one. Concurrent appenders race for the next seq
   * with a conditional put; the loser re-reads the tail and tries again.
   */
  async append(
    record: AuditRecord,
    recordId?: string,
    after?: ChainTail | null,
    appendedAt?: string,
  ): Promise<AuditEntry> {
    const attempts = this.settings.maxAppendAttempts ?? 200;
    for (let attempt = 1; ; attempt += 1) {
      const tail = attempt === 1 && after !== undefined ? (after ?? undefined) : await this.tail();
      const entry = chainEntry(record, (tail?.seq ?? 0) + 1, tail?.hash ?? GENESIS_HASH);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: {
              ...keys.audit(entry.seq),
              ...entry,
              ...(recordId && { recordId }),
              ...(appendedAt && { appendedAt }),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return entry;
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= attempts) throw error;
        await sleep(Math.random() * Math.min(100, 2 * attempt));
      }
    }
  }

  async appendedSince(from: string): Promise<Set<string>> {
    const found = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.newestFirst({
        Limit: 50,
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      for (const item of out.Items ?? []) {
        // Appended before `from` (or before entries were stamped): the rest is older still.
        if (typeof item.appendedAt !== 'string' || item.appendedAt < from) return found;
        if (item.recordId) found.add(String(item.recordId));
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return found;
  }

  /**
   * The lease item keeps its last holder (`owner`) after a release; a settled release also names
   * it `settledBy` and leaves the chain's tail. A holder that crashed, failed, or released with an
   * older version (which removed `owner`) leaves them apart: the next holder looks back.
   */
  async acquireAppender(owner: string, now: Date, until: Date): Promise<AppenderLease | false> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.auditAppender,
          UpdateExpression: 'SET #owner = :owner, leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ':until': until.toISOString(),
            ':now': now.toISOString(),
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const old = out.Attributes ?? {};
      const previousSettled =
        typeof old.owner === 'string' && old.settledBy === old.owner && !old.leaseUntil;
      const tail =
        previousSettled && typeof old.tailSeq === 'number' && typeof old.tailHash === 'string'
          ? { seq: old.tailSeq, hash: old.tailHash }
          : undefined;
      return { previousSettled, ...(tail && { tail }) };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return false;
    }
  }

  /** Conditional on the lease being `owner`'s: a holder whose lease lapsed releases nothing. */
  async releaseAppender(owner: string, settled?: { tail?: ChainTail }): Promise<void> {
    const tail = settled?.tail;
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.auditAppender,
          // A settled run that did not learn the tail leaves none: an older one may be stale.
          UpdateExpression: !settled
            ? 'REMOVE leaseUntil'
            : tail
              ? 'REMOVE leaseUntil SET settledBy = :owner, tailSeq = :seq, tailHash = :hash'
              : 'REMOVE leaseUntil, tailSeq, tailHash SET settledBy = :owner',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':owner': owner,
            ...(tail && { ':seq': tail.seq, ':hash': tail.hash }),
          },
        }),
      )
      .catch((error) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
  }

  /** Entries in the window, newest first. Seqs grow with time, so the read stops at the window's start. */
  async list(
    request: { window: HistoryWindow; limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<AuditEntry>> {
    const from = windowStart(request.window, now);
    const scope = `audit|${request.window}`;
    const start =
      request.cursor !== undefined
        ? this.settings.cursors.decode(request.cursor, scope).key
        : undefined;
    const out = await this.newestFirst({ Limit: request.limit, ExclusiveStartKey: start });
    const items = (out.Items ?? []).map(entryOf);
    const inWindow = items.filter((e) => e.at >= from);
    const more = out.LastEvaluatedKey && inWindow.length === items.length;
    const last = inWindow[inWindow.length - 1];
    return {
      items: inWindow,
      nextCursor:
        more && last
          ? this.settings.cursors.encode({ scope, key: keys.audit(last.seq) })
          : undefined,
    };
  }

  /** Recomputes the whole chain, oldest first, a page at a time. */
  async verify(): Promise<ChainVerdict> {
    let position = { prevHash: GENESIS_HASH, seq: 0 };
    let checked = 0;
    for await (const page of partitionPages(this.doc, this.table, keys.auditPartition)) {
      const verdict = verifyEntries(page.map(entryOf), position);
      checked += verdict.checked;
      if (!verdict.ok) return { ok: false, checked, firstBrokenSeq: verdict.firstBrokenSeq };
      position = verdict.last;
    }
    return { ok: true, checked };
  }
}
