// One approval of an action that needs several, below its quorum: appended to `approvals.received`
// by one conditional write. The count as read stands for the list as read (it only grows), so a
// write on a changed list fails and the caller reads again. The approval's audit record is owed
// by the same write (the outbox).
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Action, Approval, AuditRecord } from '../../core/model.js';
import { actionOf } from './action-items.js';
import { owedUpdate } from './audit-outbox.js';
import { isConditionalCheckFailed } from './errors.js';
import type { Item } from './items.js';
import { keys } from './keys.js';

/** Appends `approval` while the action is Pending, unexpired and has exactly `seen` approvals; undefined when it is not. */
export async function appendApproval(
  doc: DynamoDBDocumentClient,
  table: string,
  write: { actionId: string; approval: Approval; seen: number; now: Date; audit: AuditRecord },
): Promise<Action | undefined> {
  const { actionId, approval, seen, now } = write;
  const at = now.toISOString();
  const owed = owedUpdate(write.audit);
  try {
    const out = await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.action(actionId),
        UpdateExpression: [
          'SET approvals.received = list_append(approvals.received, :approval)',
          'updatedAt = :at',
          ...owed.sets,
        ].join(', '),
        ConditionExpression:
          'attribute_exists(pk) AND #status = :pending AND pendingUntil > :at AND size(approvals.received) = :seen',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':approval': [approval],
          ':at': at,
          ':pending': 'Pending',
          ':seen': seen,
          ...owed.values,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return actionOf(out.Attributes as Item);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return undefined;
  }
}
