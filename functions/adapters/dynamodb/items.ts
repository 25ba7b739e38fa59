// What every store does with items: reads the domain fields back, and creates an item only once.
import {
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors.js';

export type Item = Record<string, NativeAttributeValue>;

/** The item's domain fields (keys and index attributes left out), as the domain object. */
export function fieldsOf<T>(item: Item, fields: readonly string[]): T {
  return Object.fromEntries(
    fields.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as T;
}

/** Puts the item unless its key exists: true when this call created it. */
export async function putIfAbsent(
  doc: DynamoDBDocumentClient,
  tableName: string,
  item: Item,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    return false;
  }
}
