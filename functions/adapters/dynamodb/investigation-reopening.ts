// A change an investigation's workflow must act on (an updated alert's evidence, an undo request):
// an open investigation is woken (its wakes counted, the wait to resume answered); a concluded one
// is reopened under a new execution name (`<id>-u<n>`). Concluding and this exclude each other:
// whichever lands first, the other sees it.
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../core/errors.js';
import type { ReopenOrWake } from '../../core/ports.js';
import { isConditionalCheckFailed } from './errors.js';
import type { Item } from './items.js';
import { keys } from './keys.js';

/** What the change writes besides the wake or the reopening; `unchanged`: nothing to do. */
export type ChangeOf = (
  head: Item,
) => { set: string[]; remove: string[]; values: Item } | 'unchanged';

export type Reopening = ReopenOrWake | { outcome: 'unchanged'; executionName: string };

export async function reopenOrWake(
  doc: DynamoDBDocumentClient,
  table: string,
  investigationId: string,
  now: Date,
  changeOf: ChangeOf,
): Promise<Reopening> {
  const Key = keys.investigation(investigationId);
  for (let attempt = 1; ; attempt += 1) {
    const head = await doc.send(new GetCommand({ TableName: table, Key, ConsistentRead: true }));
    if (!head.Item) throw new NotFoundError(`Investigation ${investigationId} not found`);
    const revision = Number(head.Item.evidenceRevision ?? 0);
    const executionName = String(head.Item.executionName ?? investigationId);
    const change = changeOf(head.Item);
    if (change === 'unchanged') return { outcome: 'unchanged', executionName };
    const reopenedAs = `${investigationId}-u${revision + 1}`;
    const ended = typeof head.Item.endedAt === 'string';
    const set = ['evidenceRevision = :next', 'updatedAt = :now', ...change.set];
    try {
      const out = await doc.send(
        new UpdateCommand({
          TableName: table,
          Key,
          UpdateExpression: ended
            ? `SET ${[...set, 'executionName = :execution', '#status = :running'].join(', ')} REMOVE ${['endedAt', ...change.remove].join(', ')}`
            : `SET ${set.join(', ')}${change.remove.length ? ` REMOVE ${change.remove.join(', ')}` : ''} ADD wakes :one`,
          ConditionExpression: `${ended ? 'attribute_exists(endedAt)' : 'attribute_not_exists(endedAt)'} AND (evidenceRevision = :revision OR (attribute_not_exists(evidenceRevision) AND :revision = :zero))`,
          ExpressionAttributeNames: ended ? { '#status': 'status' } : undefined,
          ExpressionAttributeValues: {
            ...change.values,
            ':next': revision + 1,
            ':revision': revision,
            ':zero': 0,
            ':now': now.toISOString(),
            ...(ended ? { ':running': 'Running', ':execution': reopenedAs } : { ':one': 1 }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      if (ended) return { outcome: 'reopened', executionName: reopenedAs };
      const token = out.Attributes?.waitToken;
      return {
        outcome: 'woken',
        executionName,
        ...(typeof token === 'string' && { waitToken: token }),
      };
    } catch (error) {
      // The workflow concluded, or another change landed first: read again and apply anew.
      if (!isConditionalCheckFailed(error) || attempt >= 5) throw error;
    }
  }
}
