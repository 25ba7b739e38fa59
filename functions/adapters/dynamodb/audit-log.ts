// The audit log: append-only, hash chained, verifiable. Entries live in one partition by seq.
import {
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type ChainVerdict,
  chainEntry,
  GENESIS_HASH,
  verifyEntries,
} from '../../core/audit-chain.js';
import {
  type AuditEntry,
  type AuditRecord,
  HISTORY_WINDOWS,
  type HistoryWindow,
} from '../../core/model.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { isConditionalCheckFailed } from './errors.js';
import { keys } from './keys.js';

type Item = Record<string, NativeAttributeValue>;

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
  'hash',
  'prevHash',
] as const;

function fromItem(item: Item): AuditEntry {
  return Object.fromEntries(
    ENTRY_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as AuditEntry;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AuditLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string; maxAppendAttempts?: number },
  ) {}

  private get table() {
    return this.settings.tableName;
  }

  private async last(): Promise<AuditEntry | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item && fromItem(item);
  }

  /**
   * Appends one entry after the current last one. Concurrent appenders race for the next seq
   * with a conditional put; the loser re-reads the tail and tries again.
   */
  async append(record: AuditRecord): Promise<AuditEntry> {
    const attempts = this.settings.maxAppendAttempts ?? 200;
    for (let attempt = 1; ; attempt += 1) {
      const tail = await this.last();
      const entry = chainEntry(record, (tail?.seq ?? 0) + 1, tail?.hash ?? GENESIS_HASH);
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...keys.audit(entry.seq), ...entry },
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

  /** Entries in the window, newest first. Seqs grow with time, so the read stops at the window's start. */
  async list(
    request: { window: HistoryWindow; limit: number; cursor?: string },
    now: Date,
  ): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    const from = new Date(
      now.getTime() - HISTORY_WINDOWS[request.window] * 86_400_000,
    ).toISOString();
    const scope = `audit|${request.window}`;
    const start =
      request.cursor !== undefined ? decodeCursor(request.cursor, scope).key : undefined;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditPartition },
        ScanIndexForward: false,
        Limit: request.limit,
        ExclusiveStartKey: start,
      }),
    );
    const items = (out.Items ?? []).map(fromItem);
    const inWindow = items.filter((e) => e.at >= from);
    const more = out.LastEvaluatedKey && inWindow.length === items.length;
    const last = inWindow[inWindow.length - 1];
    return {
      items: inWindow,
      nextCursor: more && last ? encodeCursor({ scope, key: keys.audit(last.seq) }) : undefined,
    };
  }

  /** Recomputes the whole chain, oldest first, a page at a time. */
  async verify(): Promise<ChainVerdict> {
    let position = { prevHash: GENESIS_HASH, seq: 0 };
    let checked = 0;
    let startKey: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.auditPartition },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      const verdict = verifyEntries((out.Items ?? []).map(fromItem), position);
      checked += verdict.checked;
      if (!verdict.ok) return { ok: false, checked, firstBrokenSeq: verdict.firstBrokenSeq };
      position = verdict.last;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return { ok: true, checked };
  }
}
