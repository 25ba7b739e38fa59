// The blocked domains' reference records (core/domain-holds.ts): one item per domain list and
// domain, its holders a string set changed only by conditional updates.
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainHold, DomainHoldStore } from '../../core/domain-holds.js';
import { isConditionalCheckFailed } from './errors.js';
import { keys } from './keys.js';

function holdOf(item: Record<string, unknown> | undefined): DomainHold | undefined {
  if (!item) return undefined;
  const holders = item.holders instanceof Set ? [...(item.holders as Set<string>)] : [];
  return { added: item.added === true, holders: holders.sort() };
}

export class DynamoDomainHolds implements DomainHoldStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string },
  ) {}

  join(listId: string, domain: string, actionId: string): Promise<DomainHold | undefined> {
    return this.update(listId, domain, 'ADD holders :holder', { ':holder': new Set([actionId]) });
  }

  async create(listId: string, domain: string, actionId: string, added: boolean): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.settings.tableName,
          Item: {
            ...keys.domainHold(listId, domain),
            listId,
            domain,
            added,
            holders: new Set([actionId]),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async markAdded(listId: string, domain: string): Promise<void> {
    await this.update(listId, domain, 'SET added = :added', { ':added': true });
  }

  leave(listId: string, domain: string, actionId: string): Promise<DomainHold | undefined> {
    return this.update(listId, domain, 'DELETE holders :holder', {
      ':holder': new Set([actionId]),
    });
  }

  async release(listId: string, domain: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.settings.tableName,
          Key: keys.domainHold(listId, domain),
          ConditionExpression: 'attribute_not_exists(holders)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** The update on an existing record, answering it as it is afterwards; undefined when absent. */
  private async update(
    listId: string,
    domain: string,
    expression: string,
    values: Record<string, unknown>,
  ): Promise<DomainHold | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.settings.tableName,
          Key: keys.domainHold(listId, domain),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return holdOf(out.Attributes);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }
}
