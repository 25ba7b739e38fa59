// Deduplication of remediations: one single-item conditional write per cluster or target.
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimResult, DedupStore } from '../../core/ports.js';
import { isConditionalCheckFailed } from './errors.js';
import { epochSeconds, keys } from './keys.js';

export class DynamoDedupStore implements DedupStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string; dedupWindowSeconds: number },
  ) {}

  /**
   * Claims the right to remediate `dedupKey` for an action approved at `approvedAt`. Wins when
   * nobody claimed it within the window before now, or when this same action holds the claim
   * (a retried task wins again).
   */
  async claim(
    request: { dedupKey: string; actionId: string; approvedAt: string },
    now: Date,
  ): Promise<ClaimResult> {
    const key = keys.dedup(request.dedupKey);
    const approvedAtEpoch = epochSeconds(request.approvedAt);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.settings.tableName,
          Item: {
            ...key,
            dedupKey: request.dedupKey,
            actionId: request.actionId,
            approvedAt: request.approvedAt,
            approvedAtEpoch,
            expiresAt: approvedAtEpoch + this.settings.dedupWindowSeconds,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR approvedAtEpoch < :cutoff OR actionId = :self',
          ExpressionAttributeValues: {
            ':cutoff': epochSeconds(now) - this.settings.dedupWindowSeconds,
            ':self': request.actionId,
          },
        }),
      );
      return { won: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const out = await this.doc.send(
      new GetCommand({ TableName: this.settings.tableName, Key: key, ConsistentRead: true }),
    );
    return {
      won: false,
      duplicateOf: String(out.Item?.actionId),
      approvedAt: String(out.Item?.approvedAt),
    };
  }
}
