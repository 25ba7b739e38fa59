// Reading actions: one by id, the pending and history lists, and the two queue reads the
// reconciler makes (the owed callbacks and what is pending, by severity).
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { presentAction } from '../../core/action-status.js';
import { NotFoundError } from '../../core/errors.js';
import type { Action, HistoryWindow, Severity } from '../../core/model.js';
import { type PendingStats, pendingStatsOf } from '../../core/pending-stats.js';
import type { ActionPageRequest, StoredPage } from '../../core/ports.js';
import type { RemediationTracking } from '../../core/remediation.js';
import { actionFilter, actionOf } from './action-items.js';
import type { CursorCodec } from './cursor.js';
import type { Item } from './items.js';
import { keys, QUEUE, timeline } from './keys.js';
import { partitionPages, readPage, readTimelinePage } from './paging.js';
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
}

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

  /** The action as a reader sees it at `now` (a lapsed Pending reads as Expired); 404 if absent. */
  async read(actionId: string, now: Date): Promise<Action> {
    const action = await this.get(actionId);
    if (!action) throw new NotFoundError(`Action ${actionId} not found`);
    return presentAction(action, now);
  }

  /** BatchGetItem, 100 keys a call; keys DynamoDB leaves unprocessed are asked again, after a pause. */
  async readMany(actionIds: readonly string[], now: Date): Promise<Map<string, Action>> {
    const found = new Map<string, Action>();
    const unique = [...new Set(actionIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET) {
      let wanted: Item[] | undefined = unique.slice(i, i + BATCH_GET).map(keys.action);
      for (let round = 0; wanted?.length; round += 1) {
        if (round > 0) await sleep(Math.min(50 * 2 ** round, 1000));
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: { [this.table]: { Keys: wanted, ConsistentRead: true } },
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

  protected async getItem(actionId: string): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.action(actionId), ConsistentRead: true }),
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
    const tracked = new Map<string, RemediationTracking>();
    for await (const page of partitionPages(
      this.doc,
      this.table,
      keys.investigation(investigationId).pk,
    )) {
      for (const item of page) {
        // A Running remediation's, or the retries of a Completed action's undo.
        if ((item.status === 'Running' || item.status === 'Completed') && item.tracking) {
          tracked.set(item.id as string, item.tracking as RemediationTracking);
        }
      }
    }
    return tracked;
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

  /** Pending actions, newest first; expired ones are never listed (their key is below `now`). */
  async listPending(request: ActionPageRequest, now: Date): Promise<StoredPage<Action>> {
    const { status: _ignored, ...filters } = request.filters ?? {};
    const page = await readPage(this.doc, {
      tableName: this.table,
      index: TABLE.queueIndex,
      partitionKey: TABLE.queueIndex.partitionKey,
      sortKey: TABLE.queueIndex.sortKey,
      partitions: [QUEUE.pending],
      sortKeyFrom: { value: now.toISOString(), inclusive: false },
      filter: actionFilter(filters),
      limit: request.limit,
      cursor: request.cursor,
      scope: `pending|${JSON.stringify(filters)}`,
      cursors: this.settings.cursors,
    });
    return { items: page.items.map(actionOf), nextCursor: page.nextCursor };
  }

  /** Decided and finished actions in the window, most recently decided first. */
  async listHistory(
    request: ActionPageRequest & { window: HistoryWindow },
    now: Date,
  ): Promise<StoredPage<Action>> {
    const filters = request.filters ?? {};
    const page = await readTimelinePage(this.doc, {
      tableName: this.table,
      bucketOf: timeline.history,
      window: request.window,
      now,
      filter: actionFilter(filters),
      limit: request.limit,
      cursor: request.cursor,
      scope: `history|${request.window}|${JSON.stringify(filters)}`,
      cursors: this.settings.cursors,
    });
    return {
      items: page.items.map((item) => presentAction(actionOf(item), now)),
      nextCursor: page.nextCursor,
    };
  }
}
