// Decision links' uses: one item per used link (its nonce), written once, gone by TTL after the
// link lapsed (reads never rely on that: a lapsed link is refused by its signed expiry first).
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LinkStore, LinkUse } from '../../core/ports.js';
import { putIfAbsent } from './items.js';
import { epochSeconds, keys } from './keys.js';

export class DynamoLinkStore implements LinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string },
  ) {}

  async usageOf(nonce: string): Promise<LinkUse | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.settings.tableName,
        Key: keys.decisionLink(nonce),
        ConsistentRead: true,
      }),
    );
    if (!out.Item) return undefined;
    return { by: out.Item.usedBy, at: out.Item.usedAt, actionId: out.Item.actionId };
  }

  markUsed(nonce: string, use: LinkUse, expiresAt: string): Promise<boolean> {
    return putIfAbsent(this.doc, this.settings.tableName, {
      ...keys.decisionLink(nonce),
      usedBy: use.by,
      usedAt: use.at,
      actionId: use.actionId,
      expiresAt: epochSeconds(expiresAt),
    });
  }
}
