// The audit chain's signed checkpoints (their own partition), and reads of the chain by seq.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SignedCheckpoint } from '../../core/audit-checkpoint.js';
import type { AuditCheckpoints } from '../../core/audit-seal-ports.js';
import type { AuditEntry } from '../../core/model.js';
import { entryOf } from './audit-log.js';
import { fieldsOf, type Item, putIfAbsent } from './items.js';
import { keys } from './keys.js';
import { partitionPages } from './paging.js';

const CHECKPOINT_FIELDS = ['seq', 'hash', 'at', 'previous', 'signature'] as const;
const checkpointOf = (item: Item) => fieldsOf<SignedCheckpoint>(item, CHECKPOINT_FIELDS);

/** BatchGetItem's limit. */
const BATCH = 100;

export class DynamoAuditCheckpoints implements AuditCheckpoints {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string },
  ) {}

  private get table() {
    return this.settings.tableName;
  }

  async latest(): Promise<SignedCheckpoint | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditCheckpointPartition },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item && { ...checkpointOf(item), previous: item.previous ?? null };
  }

  async list(): Promise<SignedCheckpoint[]> {
    const all: SignedCheckpoint[] = [];
    for await (const page of partitionPages(this.doc, this.table, keys.auditCheckpointPartition))
      all.push(...page.map((item) => ({ ...checkpointOf(item), previous: item.previous ?? null })));
    return all;
  }

  put(checkpoint: SignedCheckpoint): Promise<boolean> {
    return putIfAbsent(this.doc, this.table, {
      ...keys.auditCheckpoint(checkpoint.seq),
      ...checkpoint,
    });
  }

  /** Only seq and hash: what a checkpoint is compared with. */
  async entriesAt(seqs: readonly number[]): Promise<Map<number, Pick<AuditEntry, 'seq' | 'hash'>>> {
    const found = new Map<number, Pick<AuditEntry, 'seq' | 'hash'>>();
    const unique = [...new Set(seqs)];
    for (let i = 0; i < unique.length; i += BATCH) {
      let wanted: Item[] | undefined = unique.slice(i, i + BATCH).map((seq) => keys.audit(seq));
      while (wanted?.length) {
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: wanted,
                ConsistentRead: true,
                ProjectionExpression: 'seq, #hash',
                ExpressionAttributeNames: { '#hash': 'hash' },
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.table] ?? []) {
          found.set(item.seq, { seq: item.seq, hash: item.hash });
        }
        wanted = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async range(from: number, to: number): Promise<AuditEntry[]> {
    return this.read(from, to);
  }

  async after(seq: number): Promise<AuditEntry[]> {
    return this.read(seq + 1);
  }

  private async read(from: number, to?: number): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression:
            to === undefined ? 'pk = :pk AND sk >= :from' : 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': keys.auditPartition,
            ':from': keys.audit(from).sk,
            ...(to !== undefined && { ':to': keys.audit(to).sk }),
          },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      entries.push(...(out.Items ?? []).map(entryOf));
      start = out.LastEvaluatedKey;
    } while (start);
    return entries;
  }
}
