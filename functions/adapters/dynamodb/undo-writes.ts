// Writing an undo's request and its failure on a Completed action, each one conditional write that
// also owes its audit record.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Action, AuditRecord, UndoFailure, UndoRequest } from '../../core/model.js';
import { actionOf } from './action-items.js';
import { DynamoActionQueries } from './action-queries.js';
import { owedUpdate } from './audit-outbox.js';
import { isConditionalCheckFailed } from './errors.js';
import type { Item } from './items.js';
import { keys } from './keys.js';

export class DynamoUndoWrites extends DynamoActionQueries {
  async requestUndo(
    actionId: string,
    request: UndoRequest,
    lapsedBefore: Date,
    audit: AuditRecord,
  ): Promise<Action> {
    const owed = owedUpdate(audit);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: `SET undoRequested = :request, updatedAt = :at, ${owed.sets.join(', ')} REMOVE undoFailure, tracking`,
          ConditionExpression:
            'attribute_exists(pk) AND #status = :completed AND undoable = :yes AND (attribute_not_exists(undoRequested) OR undoRequested.#at < :lapsed)',
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: {
            ':request': request,
            ':at': request.at,
            ':completed': 'Completed',
            ':yes': true,
            ':lapsed': lapsedBefore.toISOString(),
            ...owed.values,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return actionOf(out.Attributes as Item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.existing(actionId);
    throw new ConflictError(
      current.status !== 'Completed'
        ? `Action ${actionId} is ${current.status}; only a Completed action can be undone`
        : current.undoable
          ? `Action ${actionId} is being undone (asked by ${current.undoRequested?.by} at ${current.undoRequested?.at})`
          : `Action ${actionId} (${current.type}) cannot be undone`,
      current,
    );
  }

  async failUndo(actionId: string, failure: UndoFailure, audit: AuditRecord): Promise<Action> {
    const owed = owedUpdate(audit);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: `SET undoFailure = :failure, updatedAt = :at, ${owed.sets.join(', ')} REMOVE undoRequested, tracking`,
          ConditionExpression: '#status = :completed AND undoRequested.#at = :requestedAt',
          ExpressionAttributeNames: { '#status': 'status', '#at': 'at' },
          ExpressionAttributeValues: {
            ':failure': failure,
            ':at': failure.at,
            ':completed': 'Completed',
            ':requestedAt': failure.requestedAt,
            ...owed.values,
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return actionOf(out.Attributes as Item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.existing(actionId);
    if (current.undoFailure?.requestedAt === failure.requestedAt) return current;
    throw new ConflictError(
      `Action ${actionId} is ${current.status}; its undo asked at ${failure.requestedAt} is no longer pending`,
      current,
    );
  }

  /** The stored action after a refused write: absent means it never existed. */
  protected async existing(actionId: string): Promise<Action> {
    const current = await this.get(actionId);
    if (!current) throw new NotFoundError(`Action ${actionId} not found`);
    return current;
  }
}
