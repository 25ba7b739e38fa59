// The local stand-in for DynamoDB TTL, which dynalite lacks: items whose TTL passed are deleted.
// (A wait that ran out while the runtime was down needs nothing here: the replayed execution's
// first pass finds the lapsed actions and expires them.)
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../functions/adapters/dynamodb/table.js';
import { logger } from '../../functions/observability.js';

export interface SweepResult {
  deleted: number;
}

export async function sweep(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: Date,
): Promise<SweepResult> {
  // DynamoDB TTL, which dynalite lacks. A Scan is what TTL does internally; it runs off any
  // request path, once per sweep.
  let deleted = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#ttl < :now',
        ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
        ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: startKey,
      }),
    );
    const keys = page.Items ?? [];
    for (let i = 0; i < keys.length; i += 25) {
      await doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [tableName]: keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })),
          },
        }),
      );
    }
    deleted += keys.length;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  if (deleted) logger.info('TTL sweep', { deleted });
  return { deleted };
}
