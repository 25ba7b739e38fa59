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
} as const;

/** The CreateTable request for dynalite (CDK declares the same table in infra/aws). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const attr = (name: string) => ({ AttributeName: name, AttributeType: 'S' as const });
  const keys = (pk: string, sk: string) => [
    { AttributeName: pk, KeyType: 'HASH' as const },
    { AttributeName: sk, KeyType: 'RANGE' as const },
  ];
  const { queueIndex: q, timelineIndex: t } = TABLE;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      attr(TABLE.partitionKey),
      attr(TABLE.sortKey),
      attr(q.partitionKey),
      attr(q.sortKey),
      attr(t.partitionKey),
      attr(t.sortKey),
    ],
    KeySchema: keys(TABLE.partitionKey, TABLE.sortKey),
    GlobalSecondaryIndexes: [q, t].map((index) => ({
      IndexName: index.name,
      KeySchema: keys(index.partitionKey, index.sortKey),
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
