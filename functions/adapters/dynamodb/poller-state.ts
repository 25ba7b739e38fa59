// The Defender alert poller's one item: the watermark and the walk in progress, written with a
// version check so two runs that overlap cannot move it back.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PollerState, PollerStateStore } from '../../services/defender-alerts.js';
import { isConditionalCheckFailed } from './errors.js';
import { keys } from './keys.js';

export class DynamoPollerState implements PollerStateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(): Promise<PollerState & { version: number }> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.defenderPoller,
        ConsistentRead: true,
      }),
    );
    if (!Item) return { version: 0 };
    return {
      version: Number(Item.version ?? 0),
      ...(typeof Item.watermark === 'string' && { watermark: Item.watermark }),
      ...(Item.walk && { walk: Item.walk as PollerState['walk'] }),
    };
  }

  async save(state: PollerState, version: number, now: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.defenderPoller,
            ...state,
            version: version + 1,
            updatedAt: now.toISOString(),
          },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
          ...(version > 0 && { ExpressionAttributeValues: { ':version': version } }),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
