// Reads one page of a list that spans month buckets, newest first, reading O(limit) items.
import {
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type HistoryWindow, windowStart } from '../../core/model.js';
import type { StoredPage } from '../../core/ports.js';
import type { CursorCodec, Position } from './cursor.js';
import type { Item } from './items.js';
import { timeline } from './keys.js';
import { TABLE } from './table.js';

export interface Filter {
  expression: string;
  names: Record<string, string>;
  values: Record<string, NativeAttributeValue>;
}

interface PageQuery {
  tableName: string;
  index?: { name: string; partitionKey: string; sortKey: string };
  /** Partition key attribute and values, in reading order. */
  partitionKey: string;
  sortKey: string;
  partitions: string[];
  /** Only sort keys above (or at) this value. */
  sortKeyFrom?: { value: string; inclusive: boolean };
  filter?: Filter;
  limit: number;
  cursor?: string;
  /** What the cursor is bound to: a cursor of another list or filter is rejected. */
  scope: string;
  cursors: CursorCodec;
}

/** Upper bound on items evaluated per page, so a selective filter cannot make a request read more. */
const READ_BUDGET_FACTOR = 5;

export async function readPage(
  doc: DynamoDBDocumentClient,
  q: PageQuery,
): Promise<StoredPage<Item>> {
  const start: Position | undefined =
    q.cursor !== undefined ? q.cursors.decode(q.cursor, q.scope) : undefined;
  let partitionIndex = start?.bucket ? q.partitions.indexOf(start.bucket) : 0;
  if (partitionIndex < 0) partitionIndex = q.partitions.length; // bucket left the window
  let startKey: Item | undefined = start?.key;
  const items: Item[] = [];
  let budget = Math.max(q.limit * READ_BUDGET_FACTOR, 50);

  const keyNames = [q.partitionKey, q.sortKey, 'pk', 'sk'];
  const keyOf = (item: Item) => Object.fromEntries(keyNames.map((k) => [k, String(item[k])]));

  while (partitionIndex < q.partitions.length && budget > 0) {
    const partition = q.partitions[partitionIndex] as string;
    const names: Record<string, string> = { '#p': q.partitionKey, ...q.filter?.names };
    const values: Record<string, NativeAttributeValue> = { ':p': partition, ...q.filter?.values };
    let condition = '#p = :p';
    if (q.sortKeyFrom) {
      names['#s'] = q.sortKey;
      values[':s'] = q.sortKeyFrom.value;
      condition += q.sortKeyFrom.inclusive ? ' AND #s >= :s' : ' AND #s > :s';
    }
    const remaining = q.limit - items.length;
    const pageSize = Math.min(budget, q.filter ? Math.max(remaining * 2, 25) : remaining);
    const out = await doc.send(
      new QueryCommand({
        TableName: q.tableName,
        IndexName: q.index?.name,
        KeyConditionExpression: condition,
        FilterExpression: q.filter?.expression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: pageSize,
        ExclusiveStartKey: startKey,
      }),
    );
    budget -= out.ScannedCount ?? pageSize;
    const found = out.Items ?? [];
    if (found.length >= remaining) {
      items.push(...found.slice(0, remaining));
      const last = items[items.length - 1] as Item;
      // Page is full: continue after the last item returned (more may follow it in this partition).
      return {
        items,
        nextCursor: q.cursors.encode({ scope: q.scope, bucket: partition, key: keyOf(last) }),
      };
    }
    items.push(...found);
    if (out.LastEvaluatedKey) {
      startKey = out.LastEvaluatedKey;
    } else {
      partitionIndex += 1;
      startKey = undefined;
    }
  }
  if (partitionIndex >= q.partitions.length) return { items };
  const bucket = q.partitions[partitionIndex] as string;
  const position: Position = { scope: q.scope, bucket };
  if (startKey)
    position.key = Object.fromEntries(Object.entries(startKey).map(([k, v]) => [k, String(v)]));
  return { items, nextCursor: q.cursors.encode(position) };
}

/** Every item a query matches, a page at a time: each partition in turn, sort keys descending. */
export async function* queryPages(
  doc: DynamoDBDocumentClient,
  q: Pick<
    PageQuery,
    'tableName' | 'index' | 'partitionKey' | 'sortKey' | 'partitions' | 'sortKeyFrom' | 'filter'
  >,
): AsyncGenerator<Item[]> {
  for (const partition of q.partitions) {
    const names: Record<string, string> = { '#p': q.partitionKey, ...q.filter?.names };
    const values: Record<string, NativeAttributeValue> = { ':p': partition, ...q.filter?.values };
    let condition = '#p = :p';
    if (q.sortKeyFrom) {
      names['#s'] = q.sortKey;
      values[':s'] = q.sortKeyFrom.value;
      condition += q.sortKeyFrom.inclusive ? ' AND #s >= :s' : ' AND #s > :s';
    }
    let startKey: Item | undefined;
    do {
      const out = await doc.send(
        new QueryCommand({
          TableName: q.tableName,
          IndexName: q.index?.name,
          KeyConditionExpression: condition,
          FilterExpression: q.filter?.expression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          ExclusiveStartKey: startKey,
        }),
      );
      yield out.Items ?? [];
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
}

/** A FilterExpression that requires each given attribute to hold one of its values. */
export function oneOfFilter(
  conditions: Record<string, readonly NativeAttributeValue[] | undefined>,
): Filter | undefined {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, NativeAttributeValue> = {};
  Object.entries(conditions).forEach(([attribute, given], i) => {
    if (given === undefined || given.length === 0) return;
    names[`#f${i}`] = attribute;
    const placeholders = given.map((value, j) => {
      values[`:f${i}_${j}`] = value;
      return `:f${i}_${j}`;
    });
    parts.push(`#f${i} IN (${placeholders.join(', ')})`);
  });
  if (parts.length === 0) return undefined;
  return { expression: parts.join(' AND '), names, values };
}

/** Every item of one partition, a page at a time, in sort key order (consistent reads). */
export async function* partitionPages(
  doc: DynamoDBDocumentClient,
  tableName: string,
  pk: string,
): AsyncGenerator<Item[]> {
  let startKey: Item | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    yield out.Items ?? [];
    startKey = out.LastEvaluatedKey;
  } while (startKey);
}

/** A page of a timeline (history or investigations): its month buckets in the window, newest first. */
export function readTimelinePage(
  doc: DynamoDBDocumentClient,
  q: Pick<PageQuery, 'tableName' | 'filter' | 'limit' | 'cursor' | 'scope' | 'cursors'> & {
    bucketOf: (iso: string) => string;
    window: HistoryWindow;
    now: Date;
  },
): Promise<StoredPage<Item>> {
  const from = windowStart(q.window, q.now);
  const { timelineIndex } = TABLE;
  return readPage(doc, {
    tableName: q.tableName,
    index: timelineIndex,
    partitionKey: timelineIndex.partitionKey,
    sortKey: timelineIndex.sortKey,
    partitions: timeline.monthsBetween(from, q.now.toISOString()).map(q.bucketOf),
    sortKeyFrom: { value: from, inclusive: true },
    filter: q.filter,
    limit: q.limit,
    cursor: q.cursor,
    scope: q.scope,
    cursors: q.cursors,
  });
}

/** A FilterExpression that requires each given attribute to equal its value. */
export function equalityFilter(
  conditions: Record<string, NativeAttributeValue | undefined>,
  extra?: Filter,
): Filter | undefined {
  const parts: string[] = extra ? [extra.expression] : [];
  const names: Record<string, string> = { ...extra?.names };
  const values: Record<string, NativeAttributeValue> = { ...extra?.values };
  Object.entries(conditions).forEach(([attribute, value], i) => {
    if (value === undefined) return;
    names[`#f${i}`] = attribute;
    values[`:f${i}`] = value;
    parts.push(`#f${i} = :f${i}`);
  });
  if (parts.length === 0) return undefined;
  return { expression: parts.join(' AND '), names, values };
}
