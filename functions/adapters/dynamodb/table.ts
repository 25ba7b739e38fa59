// The single table's shape: key and index names shared by the stores, CDK and the local runtime.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds. TTL only cleans storage; reads never trust it to have run. */
  ttlAttribute: 'expiresAt',
  /** Work queues: pending actions (newest first) and decisions whose callback is still owed. */
  queueIndex: { name: 'queue', partitionKey: 'queuePk', sortKey: 'queueSk' },
  /** Month buckets over time: history of actions, and investigations. */
  timelineIndex: { name: 'timeline', partitionKey: 'timelinePk', sortKey: 'timelineSk' },
  /**
   * Actions owing audit records (the outbox), oldest owed first. Its own sparse index: a decided
   * action owes its record while it is in the queue index's CALLBACK partition. Keys only: the
   * appender reads the records from the item itself, consistently.
   */
  outboxIndex: { name: 'outbox', partitionKey: 'outboxPk', sortKey: 'outboxSk' },
} as const;

/** Indexes whose items carry only the keys (the others carry all attributes). */
const KEYS_ONLY: readonly string[] = [TABLE.outboxIndex.name];

/** Every index of the table, for CDK, IAM and the local table. */
export const INDEXES = [TABLE.queueIndex, TABLE.timelineIndex, TABLE.outboxIndex].map((index) => ({
  ...index,
  keysOnly: KEYS_ONLY.includes(index.name),
}));

/** The CreateTable request for dynalite (CDK declares the same table in infra/aws). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attr = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const keys = (pk: string, sk: string) => [
    { AttributeName: pk, KeyType: 'HASH' as const },
    { AttributeName: sk, KeyType: 'RANGE' as const },
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      attr(TABLE.partitionKey),
      attr(TABLE.sortKey),
      ...INDEXES.flatMap((index) => [attr(index.partitionKey), attr(index.sortKey)]),
    ],
    KeySchema: keys(TABLE.partitionKey, TABLE.sortKey),
    GlobalSecondaryIndexes: INDEXES.map(indexInput),
  };
}

function indexInput(index: (typeof INDEXES)[number]) {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: index.keysOnly ? ('KEYS_ONLY' as const) : ('ALL' as const) },
  };
}
