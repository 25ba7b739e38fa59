// Notification batches already sent (services/notify.ts): one item per batch, written once after
// the send, gone by TTL after its trigger can no longer retry it.
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationClaims } from '../../core/ports.js';
import { putIfAbsent } from './items.js';
import { epochSeconds, keys } from './keys.js';

export class DynamoNotificationClaims implements NotificationClaims {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string },
  ) {}

  async wasSent(key: string): Promise<boolean> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.settings.tableName,
        Key: keys.notificationBatch(key),
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined;
  }

  claim(key: string, keepUntil: string): Promise<boolean> {
    return putIfAbsent(this.doc, this.settings.tableName, {
      ...keys.notificationBatch(key),
      expiresAt: epochSeconds(keepUntil),
    });
  }
}
