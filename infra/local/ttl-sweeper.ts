// Local stand-ins for what AWS does on its own: DynamoDB TTL deletes expired items, and a wait
// whose TimeoutSeconds ran out fails with States.Timeout even if the runtime was restarted since.
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { QUEUE } from '../../functions/adapters/dynamodb/keys.js';
import { TABLE } from '../../functions/adapters/dynamodb/table.js';
import { logger } from '../../functions/observability.js';
import type { LocalStepFunctions } from './engine/index.js';

export interface SweepResult {
  timedOut: number;
  deleted: number;
}

export async function sweep(
  doc: DynamoDBDocumentClient,
  tableName: string,
  engine: LocalStepFunctions,
  now: Date,
): Promise<SweepResult> {
  let timedOut = 0;
  // Pending actions whose expiry passed: their key in the queue index sorts below `now`.
  const lapsed = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: TABLE.queueIndex.name,
      KeyConditionExpression: 'queuePk = :pending AND queueSk <= :now',
      ExpressionAttributeValues: { ':pending': QUEUE.pending, ':now': now.toISOString() },
      Limit: 100,
    }),
  );
  for (const item of lapsed.Items ?? []) {
    if (typeof item.taskToken !== 'string') continue;
    try {
      await engine.sendTaskFailure({
        taskToken: item.taskToken,
        error: 'States.Timeout',
        cause: 'The pending action expired',
      });
      timedOut += 1;
    } catch {
      // No execution waits on that token any more (it timed out or was replayed): nothing to do.
    }
  }
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
  if (timedOut || deleted) logger.info('TTL sweep', { timedOut, deleted });
  return { timedOut, deleted };
}
