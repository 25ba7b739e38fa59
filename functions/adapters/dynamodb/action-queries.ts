// Reading actions: one by id, the pending and history lists, and the two queue reads the
// reconciler makes (the owed callbacks and what is pending, by severity).

import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import {
  type ActionOrder,
  DEFAULT_ORDER,
  INDEX_ORDERED,
  matchesText,
  pageOf,
} from '../../core/action-order.js';
import { presentAction } from '../../core/action-status.js';
import { NotFoundError } from '../../core/errors.js';
import { type Action, type HistoryWindow, type Severity, windowStart } from '../../core/model.js';
import { type PendingStats, pendingStatsOf } from '../../core/pending-stats.js';
import type {
  ActionFilters,
  ActionListPage,
  ActionPageRequest,
  ReadOptions,
} from '../../core/ports.js';
import type { RemediationTracking } from '../../core/remediation.js';
import { actionFilter, actionOf, trackingOfItems } from './action-items.js';
import type { CursorCodec } from './cursor.js';
import { countIndex, type IndexedList, readIndexPage } from './index-page.js';
import type { Item } from './items.js';
import { keys, QUEUE, timeline } from './keys.js';
import { partitionPages, queryPages } from './paging.js';
import { TABLE } from './table.js';

/** BatchGetItem's limit. */
const BATCH_GET = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ActionStoreSettings {
  tableName: string;
  /** How long a decided action is kept (the history retention), in seconds. */
  historyRetentionSeconds: number;
  /** Signs and checks the list cursors. */
  cursors: CursorCodec;
  /** The most actions a list reads (LIST_READ_BOUND); past it `total` is a lower bound. */
  listReadBound?: number;
}

/** A list reads at most this many matching actions; the CSV export stops at the same number. */
export const LIST_READ_BOUND = 10_000;

/** The read side of the action store; DynamoActionStore adds the writes. */
export class DynamoActionQueries {
  constructor(
    protected readonly doc: DynamoDBDocumentClient,
    protected readonly settings: ActionStoreSettings,
  ) {}

  protected get table() {
    return this.settings.tableName;
  }

  async get(actionId: string): Promise<Action | undefined> {
    const item = await this.getItem(actionId);
    return item && actionOf(item);
  }

  /**
   * The action as a reader sees it at `now` (a lapsed Pending reads as Expired); 404 if absent.
   * An eventually consistent read that finds nothing (an action created a moment ago) is repeated
   * consistently.
   */
  async read(actionId: string, now: Date, options: ReadOptions = {}): Promise<Action> {
    const consistent = options.consistent ?? true;
    const item =
      (await this.getItem(actionId, consistent)) ??
      (consistent ? undefined : await this.getItem(actionId));
    if (!item) throw new NotFoundError(`Action ${actionId} not found`);
    return presentAction(actionOf(item), now);
  }

  /** BatchGetItem, 100 keys a call; keys DynamoDB leaves unprocessed are asked again, after a pause. */
  async readMany(
    actionIds: readonly string[],
    now: Date,
    options: ReadOptions = {},
  ): Promise<Map<string, Action>> {
    const found = new Map<string, Action>();
    const unique = [...new Set(actionIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET) {
      let wanted: Item[] | undefined = unique.slice(i, i + BATCH_GET).map(keys.action);
      for (let round = 0; wanted?.length; round += 1) {
        if (round > 0) await sleep(Math.min(50 * 2 ** round, 1000));
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: { Keys: wanted, ConsistentRead: options.consistent ?? true },
            },
          }),
        );
        for (const item of out.Responses?.[this.table] ?? []) {
          const action = presentAction(actionOf(item), now);
          found.set(action.id, action);
        }
        wanted = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  protected async getItem(actionId: string, consistent = true): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.action(actionId),
        ConsistentRead: consistent,
      }),
    );
    return out.Item;
  }

  /** Decisions whose wake is still owed, oldest first (for the reconciler). */
  async callbacksOwed(limit: number): Promise<Action[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.queueIndex.name,
        KeyConditionExpression: 'queuePk = :owed',
        ExpressionAttributeValues: { ':owed': QUEUE.callbackOwed },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(actionOf);
  }

  /** The Running actions of an investigation with their tracking, from its one partition. */
  async trackingOf(investigationId: string): Promise<Map<string, RemediationTracking>> {
    const items: Item[] = [];
    for await (const page of partitionPages(
      this.doc,
      this.table,
      keys.investigation(investigationId).pk,
    )) {
      items.push(...page);
    }
    return trackingOfItems(items);
  }

  /** Every pending action not yet expired, read a page at a time for its severity and age only. */
  async pendingStats(now: Date): Promise<PendingStats> {
    const items = await this.pendingQueue(now, { projection: 'severity, createdAt' });
    return pendingStatsOf(
      items.map((i) => ({ severity: i.severity as Severity, createdAt: String(i.createdAt) })),
      now,
    );
  }

  /**
   * Pending actions, soonest expiry first (with one TTL, oldest first), up to `limit`, with the
   * reminder level each was sent (0: none; see ActionStore.markNotified).
   */
  async pendingOldestFirst(
    now: Date,
    limit: number,
  ): Promise<{ action: Action; notifiedLevel: number }[]> {
    const items = await this.pendingQueue(now, { limit });
    return items.map((item) => ({
      action: actionOf(item),
      notifiedLevel: Number(item.notifiedLevel ?? 0),
    }));
  }

  /** The pending queue's items not yet expired, soonest expiry first: all, or the first `limit`. */
  private async pendingQueue(
    now: Date,
    options: { limit?: number; projection?: string },
  ): Promise<Item[]> {
    const found: Item[] = [];
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    let start: Item | undefined;
    do {
      const out: QueryCommandOutput = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: TABLE.queueIndex.name,
          KeyConditionExpression: 'queuePk = :pending AND queueSk > :now',
          ExpressionAttributeValues: { ':pending': QUEUE.pending, ':now': now.toISOString() },
          ScanIndexForward: true,
          ...(options.limit !== undefined && { Limit: options.limit - found.length }),
          ...(options.projection && { ProjectionExpression: options.projection }),
          ExclusiveStartKey: start,
        }),
      );
      found.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }

  /**
   * Pending actions in `order` (default: critical first, then the oldest first); expired ones are
   * never listed (their key is below `now`). By expiry, a page is read from the queue index;
   * otherwise every matching action is read (the pending set is bounded: an action waits a week
   * at most), sorted, and the page cut after the cursor's key.
   */
  async listPending(request: ActionPageRequest, now: Date): Promise<ActionListPage> {
    const { status: _ignored, ...filters } = request.filters ?? {};
    const order = request.order ?? DEFAULT_ORDER.pending;
    const list: IndexedList = {
      index: TABLE.queueIndex,
      partitions: [QUEUE.pending],
      partitionOf: () => QUEUE.pending,
      sortKeyFrom: { value: now.toISOString(), inclusive: false },
      filter: actionFilter(filters),
    };
    const scope = scopeOf('pending', order, filters);
    if (servedByIndex(order, filters.q)) {
      return this.indexedPage(list, request, order, scope, (action) => action);
    }
    const matching = await this.readMatching(list, filters.q, (action) => action);
    return this.sortedPage(matching, request, order, scope);
  }

  /**
   * Decided and finished actions in the window, in `order` (default: the most recently decided
   * first, read from the timeline index a page at a time). In another order past the read bound,
   * the list holds the most recently decided actions of the window.
   */
  async listHistory(
    request: ActionPageRequest & { window: HistoryWindow },
    now: Date,
  ): Promise<ActionListPage> {
    const filters = request.filters ?? {};
    const order = request.order ?? DEFAULT_ORDER.history;
    const from = windowStart(request.window, now);
    const list: IndexedList = {
      index: TABLE.timelineIndex,
      partitions: timeline.monthsBetween(from, now.toISOString()).reverse().map(timeline.history),
      partitionOf: timeline.history,
      sortKeyFrom: { value: from, inclusive: true },
      filter: actionFilter(filters),
    };
    const present = (action: Action) => presentAction(action, now);
    const scope = scopeOf(`history|${request.window}`, order, filters);
    if (servedByIndex(order, filters.q)) {
      return this.indexedPage(list, request, order, scope, present);
    }
    const matching = await this.readMatching(list, filters.q, present);
    return this.sortedPage(matching, request, order, scope);
  }

  /** A page read from the list's index in its own order, and the list counted by DynamoDB. */
  private async indexedPage(
    list: IndexedList,
    request: ActionPageRequest,
    order: ActionOrder,
    scope: string,
    present: (action: Action) => Action,
  ): Promise<ActionListPage> {
    const { cursors } = this.settings;
    const from = request.cursor === undefined ? undefined : cursors.decode(request.cursor, scope);
    const bound = this.settings.listReadBound ?? LIST_READ_BOUND;
    // Counted with the first page (a COUNT reads the whole list, up to the bound); the pages after
    // it carry that count in their cursor, so paging stays O(limit) a page.
    const [page, counted] = await Promise.all([
      readIndexPage(this.doc, this.table, list, {
        order: order.order,
        limit: request.limit,
        from: from && { after: from.after, bucket: from.bucket },
      }),
      from?.total
        ? { total: from.total[0], totalIsLowerBound: from.total[1] }
        : countIndex(this.doc, this.table, list, bound),
    ]);
    const total: [number, boolean] = [counted.total, counted.totalIsLowerBound];
    return {
      items: page.items.map((item) => present(actionOf(item))),
      ...(page.next && { nextCursor: cursors.encode({ scope, ...page.next, total }) }),
      ...counted,
    };
  }

  /** The actions a list query and its text match, up to the read bound. */
  private async readMatching(
    list: IndexedList,
    text: string | undefined,
    present: (action: Action) => Action,
  ): Promise<{ actions: Action[]; complete: boolean }> {
    const bound = this.settings.listReadBound ?? LIST_READ_BOUND;
    const actions: Action[] = [];
    const query = {
      tableName: this.table,
      index: list.index,
      partitionKey: list.index.partitionKey,
      sortKey: list.index.sortKey,
      // Newest first, so that past the bound the list holds the newest.
      partitions: [...list.partitions].reverse(),
      sortKeyFrom: list.sortKeyFrom,
      filter: list.filter,
    };
    for await (const items of queryPages(this.doc, query)) {
      for (const item of items) {
        const action = present(actionOf(item));
        if (!matchesText(action, text)) continue;
        if (actions.length === bound) return { actions, complete: false };
        actions.push(action);
      }
    }
    return { actions, complete: true };
  }

  private sortedPage(
    matching: { actions: Action[]; complete: boolean },
    request: ActionPageRequest,
    order: ActionOrder,
    scope: string,
  ): ActionListPage {
    const { cursors } = this.settings;
    const after = request.cursor === undefined ? undefined : cursors.decode(request.cursor, scope);
    const page = pageOf(matching.actions, order, request.limit, after?.after);
    return {
      items: page.items,
      ...(page.lastKey && { nextCursor: cursors.encode({ scope, after: [...page.lastKey] }) }),
      total: matching.actions.length,
      totalIsLowerBound: !matching.complete,
    };
  }
}

/** Whether the list's index keeps `order` (see INDEX_ORDERED): not when text is searched too. */
function servedByIndex(order: ActionOrder, text: string | undefined): boolean {
  return INDEX_ORDERED.has(order.sort) && !text?.trim();
}

/**
 * What a cursor is bound to: the list, its order and filters, hashed so that many filter values
 * still fit the cursor; a cursor of another list, order or filter is a 400.
 */
function scopeOf(list: string, order: ActionOrder, filters: ActionFilters): string {
  const text = JSON.stringify([list, order.sort, order.order, filters]);
  return `${list.split('|')[0]}|${createHash('sha256').update(text).digest('base64url')}`;
}
