// The audit outbox: a change's audit record rides on the action's own conditional write (a list
// of owed records on the item), so the two cannot be separated; the appender moves them into the
// chain and clears them. The sparse outbox index lists the items that owe records.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type OwedRecord, owedRecordOf } from '../../core/audit-chain.js';
import { investigationIdOf } from '../../core/ids.js';
import type { AuditRecord } from '../../core/model.js';
import { isConditionalCheckFailed } from './errors.js';
import type { Item } from './items.js';
import { keys, OUTBOX } from './keys.js';
import { TABLE } from './table.js';

const OWED = 'auditOwed';

/**
 * As the item keeps a record: a list [at, actor, event, before, after, comment?, policy?, via?]
 * (null where a later member follows), without what the item's key already says (the action and
 * its investigation) or what is computed from the record (its id). A smaller item costs fewer
 * write units on every write while the record is owed.
 */
type StoredRecord = [
  string,
  string,
  string,
  string | null,
  string,
  (string | null)?,
  (string[] | null)?,
  (AuditRecord['via'] | null)?,
];

/** Positions in a stored record that the clear's condition reads. */
const AT = 0;
const AFTER = 4;

function storedOf(r: AuditRecord): StoredRecord {
  const stored: StoredRecord = [r.at, r.actor, r.event, r.before, r.after];
  const optional = [r.comment ?? null, r.policy?.length ? r.policy : null, r.via ?? null];
  while (optional.length > 0 && optional.at(-1) === null) optional.pop();
  stored.push(...(optional as []));
  return stored;
}

function owedOf(actionId: string, stored: StoredRecord): OwedRecord {
  const [at, actor, event, before, after, comment, policy, via] = stored;
  return owedRecordOf({
    at,
    actor,
    event: event as AuditRecord['event'],
    actionId,
    investigationId: investigationIdOf(actionId),
    before: before as AuditRecord['before'],
    after: after as AuditRecord['after'],
    ...(typeof comment === 'string' && { comment }),
    ...(policy?.length && { policy }),
    ...(via && { via }),
  });
}

/** The attributes of a new item that owes `record`. */
export function owedItemFields(record: AuditRecord): Item {
  return { [OWED]: [storedOf(record)], outboxPk: OUTBOX };
}

/** The SET clauses (and their values) that add `record` to an item's owed records. */
export function owedUpdate(record: AuditRecord): {
  sets: string[];
  values: Record<string, NativeAttributeValue>;
} {
  return {
    sets: [
      `${OWED} = list_append(if_not_exists(${OWED}, :noneOwed), :auditRecord)`,
      'outboxPk = :outbox',
    ],
    values: { ':noneOwed': [], ':auditRecord': [storedOf(record)], ':outbox': OUTBOX },
  };
}

export class DynamoAuditOutbox {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async owed(limit: number): Promise<string[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.outboxIndex.name,
        KeyConditionExpression: 'outboxPk = :outbox',
        ExpressionAttributeValues: { ':outbox': OUTBOX },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => String(item.sk).slice(keys.actionPrefix.length));
  }

  async owedBy(actionId: string): Promise<OwedRecord[]> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.action(actionId),
        ProjectionExpression: OWED,
        ConsistentRead: true,
      }),
    );
    const stored = (out.Item?.[OWED] as StoredRecord[] | undefined) ?? [];
    return stored.map((record) => owedOf(actionId, record));
  }

  /**
   * Drops the owed records `recordIds` wherever they are in the list. Conditional on each still
   * being at the index it was read at, so a concurrent add (at the end) or clear is read again.
   * `read`: the records as the caller just read them (the first attempt's, instead of a read).
   */
  async clear(
    actionId: string,
    recordIds: readonly string[],
    read?: readonly OwedRecord[],
  ): Promise<void> {
    const drop = new Set(recordIds);
    // A stale `read` costs one attempt: three reads are tried after it, as without it.
    for (let attempt = read ? 0 : 1; attempt <= 3; attempt += 1) {
      const owed = attempt === 0 && read ? read : await this.owedBy(actionId);
      const at = owed.flatMap((record, i) => (drop.has(record.recordId) ? [i] : []));
      if (at.length === 0) return;
      const rest = owed.filter((record) => !drop.has(record.recordId));
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.action(actionId),
            UpdateExpression: rest.length
              ? `REMOVE ${at.map((i) => `${OWED}[${i}]`).join(', ')}`
              : `REMOVE ${OWED}, outboxPk`,
            ConditionExpression: [
              `size(${OWED}) = :size`,
              // A record's id is its action, event, time and status: the same time and status here.
              ...at.flatMap((i, n) => [
                `${OWED}[${i}][${AT}] = :at${n}`,
                `${OWED}[${i}][${AFTER}] = :after${n}`,
              ]),
            ].join(' AND '),
            ExpressionAttributeValues: {
              ':size': owed.length,
              ...Object.fromEntries(
                at.flatMap((i, n) => [
                  [`:at${n}`, owed[i]?.at],
                  [`:after${n}`, owed[i]?.after],
                ]),
              ),
            },
          }),
        );
        return;
      } catch (error) {
        // A write added a record meanwhile (or another appender cleared): read again.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    throw new Error(`The owed audit records of ${actionId} kept changing while being cleared`);
  }
}
