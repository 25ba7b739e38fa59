// A page of an action list read straight from the index that keeps its order (the queue index for
// `expiry`, the timeline index for `decidedAt`): O(limit) items a page, and `total` counted by
// DynamoDB (Select COUNT) without reading the items into the function.
import {
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import type { SortKey, SortOrder } from '../../core/action-order.js';
import type { Position } from './cursor.js';
import type { Item } from './items.js';
import { keys } from './keys.js';
import type { Filter } from './paging.js';

export interface IndexedList {
  index: { name: string; partitionKey: string; sortKey: string };
  /** The partitions holding the list, in ascending order of their sort keys. */
  partitions: readonly string[];
  /** The partition an index sort key's value (its part before `#`) lives in. */
  partitionOf: (value: string) => string;
  /** Only sort keys above (or at) this value. */
  sortKeyFrom: { value: string; inclusive: boolean };
  filter?: Filter;
}

/** Where a page stopped: after a sort key, or at the start of a partition not yet read. */
export type IndexPosition = Pick<Position, 'after' | 'bucket'>;

export interface IndexPage {
  items: Item[];
  next?: IndexPosition;
}

/** At most this many items per item asked are evaluated a page, so a selective filter cannot make one request read the whole list. */
const READ_BUDGET_FACTOR = 5;
const MIN_READ_BUDGET = 50;

/** The index sort key of a list position: `${value}#${id}`. */
const indexSortKey = (after: SortKey) => `${after[0]}#${after[2]}`;

/** The list position of an index sort key (`value` holds no `#`: it is a time). */
function positionOf(sortKey: string): [string, string, string] {
  const at = sortKey.indexOf('#');
  return [sortKey.slice(0, at), '', sortKey.slice(at + 1)];
}

function keyCondition(list: IndexedList, partition: string) {
  const { sortKeyFrom } = list;
  return {
    KeyConditionExpression: `#p = :p AND #s ${sortKeyFrom.inclusive ? '>=' : '>'} :s`,
    ExpressionAttributeNames: {
      '#p': list.index.partitionKey,
      '#s': list.index.sortKey,
      ...list.filter?.names,
    },
    ExpressionAttributeValues: {
      ':p': partition,
      ':s': sortKeyFrom.value,
      ...list.filter?.values,
    } as Record<string, NativeAttributeValue>,
    FilterExpression: list.filter?.expression,
  };
}

/**
 * Where reading resumes after `from`, in reading order (the partitions as `order` reads them): the
 * partition's index and the ExclusiveStartKey in it; `done` when nothing can follow. The start key
 * is rebuilt from the action id (table keys) and the sort key (index keys): it need not exist any
 * more, but it must lie inside the key condition, or DynamoDB rejects it.
 */
function resumeAt(
  list: IndexedList,
  reading: readonly string[],
  order: SortOrder,
  from: IndexPosition | undefined,
): { index: number; startKey?: Item } | 'done' {
  if (from?.after) {
    const sortKey = indexSortKey(from.after);
    const { value, inclusive } = list.sortKeyFrom;
    const inRange = inclusive ? sortKey >= value : sortKey > value;
    // Below the range (expired, or out of the window since): all of it follows (asc), none (desc).
    if (!inRange) return order === 'asc' ? { index: 0 } : 'done';
    const partition = list.partitionOf(from.after[0]);
    const index = reading.indexOf(partition);
    if (index < 0) return nextPartition(reading, order, partition);
    const { partitionKey, sortKey: sortKeyName } = list.index;
    return {
      index,
      startKey: {
        ...keys.action(from.after[2]),
        [partitionKey]: partition,
        [sortKeyName]: sortKey,
      },
    };
  }
  if (from?.bucket) {
    const index = reading.indexOf(from.bucket);
    return index < 0 ? nextPartition(reading, order, from.bucket) : { index };
  }
  return { index: 0 };
}

/** The first partition read after one no longer in the list (it left the window). */
function nextPartition(reading: readonly string[], order: SortOrder, gone: string) {
  const index = reading.findIndex((p) => (order === 'asc' ? p > gone : p < gone));
  return index < 0 ? ('done' as const) : { index };
}

/**
 * Up to `limit` items of the list after `from`, in the index's order (`desc`: sort keys and
 * partitions descending), and where the next page starts if more may follow. One item past the
 * page is read to know whether one follows; past the read budget the page stops short, and `next`
 * resumes after the last item DynamoDB evaluated.
 */
export async function readIndexPage(
  doc: DynamoDBDocumentClient,
  tableName: string,
  list: IndexedList,
  page: { order: SortOrder; limit: number; from?: IndexPosition },
): Promise<IndexPage> {
  const { order, limit } = page;
  const reading = order === 'asc' ? list.partitions : [...list.partitions].reverse();
  const resume = resumeAt(list, reading, order, page.from);
  if (resume === 'done') return { items: [] };
  let { index, startKey } = resume;
  const items: Item[] = [];
  let budget = Math.max(limit * READ_BUDGET_FACTOR, MIN_READ_BUDGET);
  while (index < reading.length && items.length <= limit && budget > 0) {
    const wanted = limit + 1 - items.length;
    const out: QueryCommandOutput = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: list.index.name,
        ...keyCondition(list, reading[index] as string),
        ScanIndexForward: order === 'asc',
        Limit: Math.min(budget, list.filter ? Math.max(wanted * 2, 25) : wanted),
        ExclusiveStartKey: startKey,
      }),
    );
    budget -= out.ScannedCount ?? 0;
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
    if (!startKey) index += 1;
  }
  if (items.length > limit) {
    const shown = items.slice(0, limit);
    const last = shown[shown.length - 1] as Item;
    return { items: shown, next: { after: positionOf(String(last[list.index.sortKey])) } };
  }
  if (index >= reading.length) return { items };
  // The budget ran out: resume after what DynamoDB evaluated last, or at the next partition.
  if (startKey) return { items, next: { after: positionOf(String(startKey[list.index.sortKey])) } };
  return { items, next: { bucket: reading[index] as string } };
}

/**
 * How many items the list holds, counted by DynamoDB a page at a time (Select COUNT: no item
 * leaves the table), stopping once it passes `bound`: then the total is `bound`, a lower bound.
 */
export async function countIndex(
  doc: DynamoDBDocumentClient,
  tableName: string,
  list: IndexedList,
  bound: number,
): Promise<{ total: number; totalIsLowerBound: boolean }> {
  let count = 0;
  for (const partition of list.partitions) {
    let startKey: Item | undefined;
    do {
      const out: QueryCommandOutput = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: list.index.name,
          ...keyCondition(list, partition),
          Select: 'COUNT',
          // Without a filter, scanning one past the bound is enough to know it is passed.
          ...(!list.filter && { Limit: bound + 1 - count }),
          ExclusiveStartKey: startKey,
        }),
      );
      count += out.Count ?? 0;
      if (count > bound) return { total: bound, totalIsLowerBound: true };
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return { total: count, totalIsLowerBound: false };
}
