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
import type { AuditRecord } from '../../core/model.js';
import { isConditionalCheckFailed } from './errors.js';
import type { Item } from './items.js';
import { keys, OUTBOX } from './keys.js';
import { TABLE } from './table.js';

const OWED = 'auditOwed';

const outboxSkOf = (record: OwedRecord) => `${record.at}#${record.recordId}`;

/** The attributes of a new item that owes `record`. */
export function owedItemFields(record: AuditRecord): Item {
  const owed = owedRecordOf(record);
  return { [OWED]: [owed], outboxPk: OUTBOX, outboxSk: outboxSkOf(owed) };
}

/** The SET clauses (and their values) that add `record` to an item's owed records. */
export function owedUpdate(record: AuditRecord): {
  sets: string[];
  values: Record<string, NativeAttributeValue>;
} {
  const owed = owedRecordOf(record);
  return {
    sets: [
      `${OWED} = list_append(if_not_exists(${OWED}, :noneOwed), :auditRecord)`,
      'outboxPk = :outbox',
      'outboxSk = if_not_exists(outboxSk, :outboxSk)',
    ],
    values: {
      ':noneOwed': [],
      ':auditRecord': [owed],
      ':outbox': OUTBOX,
      ':outboxSk': outboxSkOf(owed),
    },
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
    return (out.Item?.[OWED] as OwedRecord[] | undefined) ?? [];
  }

  /**
   * Drops the owed records `recordIds` (the first ones of the list: writes only add at its end).
   * Conditional on the list still starting with them, so a repeated clear drops nothing else.
   */
  async clear(actionId: string, recordIds: readonly string[]): Promise<void> {
    const first = recordIds[0];
    if (first === undefined) return;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const owed = await this.owedBy(actionId);
      if (owed[0]?.recordId !== first) return;
      const rest = owed.slice(recordIds.length);
      const next = rest[0];
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: keys.action(actionId),
            UpdateExpression: next
              ? `REMOVE ${recordIds.map((_, i) => `${OWED}[${i}]`).join(', ')} SET outboxSk = :next`
              : `REMOVE ${OWED}, outboxPk, outboxSk`,
            ConditionExpression: `${OWED}[0].recordId = :first AND size(${OWED}) = :size`,
            ExpressionAttributeValues: {
              ':first': first,
              ':size': owed.length,
              ...(next && { ':next': outboxSkOf(next) }),
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
