// Actions: registration with their task token, decisions, status transitions and the two lists.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { presentAction, sourcesOf } from '../../core/action-status.js';
import { ConflictError, ExpiredError, NotFoundError } from '../../core/errors.js';
import {
  type Action,
  type ActionResult,
  type ActionStatus,
  type Decision,
  HISTORY_WINDOWS,
  type HistoryWindow,
} from '../../core/model.js';
import { isConditionalCheckFailed } from './errors.js';
import { epochSeconds, keys, QUEUE, timeline } from './keys.js';
import { equalityFilter, type Filter, readPage } from './paging.js';
import { TABLE } from './table.js';

type Item = Record<string, NativeAttributeValue>;

export interface ActionFilters {
  category?: string;
  type?: string;
  status?: string;
  severity?: string;
  source?: string;
  investigationId?: string;
  /** Text in the target's display name (case-insensitive). */
  q?: string;
}

export interface ListRequest {
  filters?: ActionFilters;
  limit: number;
  cursor?: string;
}

export interface ActionPage {
  items: Action[];
  nextCursor?: string;
}

export interface DecideRequest {
  verdict: 'approve' | 'reject';
  by: string;
  comment?: string;
}

export interface StoreSettings {
  tableName: string;
  /** How long a decided action is kept (the history retention), in seconds. */
  historyRetentionSeconds: number;
}

const ACTION_FIELDS = [
  'id',
  'investigationId',
  'alertId',
  'type',
  'category',
  'target',
  'severity',
  'source',
  'status',
  'decision',
  'skippedBecause',
  'result',
  'undoable',
  'createdAt',
  'updatedAt',
] as const;

/** The stored item's `expiresAt` is the TTL (epoch seconds); the action's own is `pendingUntil`. */
export function fromItem(item: Item): Action {
  const action = Object.fromEntries(
    ACTION_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as Action;
  action.expiresAt = item.pendingUntil as string;
  return action;
}

function toItem(action: Action, taskToken?: string): Item {
  const { expiresAt, ...fields } = action;
  return {
    ...keys.action(action.id),
    ...fields,
    pendingUntil: expiresAt,
    expiresAt: epochSeconds(expiresAt),
    searchName: action.target.displayName.toLowerCase(),
    taskToken,
  };
}

/** The item of a pending action waiting on `taskToken`: listed in the pending queue until its expiry. */
export function pendingActionItem(action: Action, taskToken?: string): Item {
  return {
    ...toItem(action, taskToken),
    queuePk: QUEUE.pending,
    queueSk: `${action.expiresAt}#${action.id}`,
  };
}

/** The item of an action decided at `decidedAt`: in history, kept for the retention. */
export function decidedActionItem(
  action: Action,
  decidedAt: string,
  retentionSeconds: number,
): Item {
  return {
    ...toItem(action),
    expiresAt: epochSeconds(decidedAt) + retentionSeconds,
    timelinePk: timeline.history(decidedAt),
    timelineSk: `${decidedAt}#${action.id}`,
  };
}

export class ActionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: StoreSettings,
  ) {}

  private get table() {
    return this.settings.tableName;
  }

  private retentionUntil(at: string) {
    return epochSeconds(at) + this.settings.historyRetentionSeconds;
  }

  async get(actionId: string): Promise<Action | undefined> {
    const item = await this.getItem(actionId);
    return item && fromItem(item);
  }

  /** The action as a reader sees it at `now` (a lapsed Pending reads as Expired); 404 if absent. */
  async read(actionId: string, now: Date): Promise<Action> {
    const action = await this.get(actionId);
    if (!action) throw new NotFoundError(`Action ${actionId} not found`);
    return presentAction(action, now);
  }

  private async getItem(actionId: string): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.action(actionId), ConsistentRead: true }),
    );
    return out.Item;
  }

  /**
   * Registers a pending action with the task token its workflow waits on. Idempotent: the
   * same action id registers once, and a retried registration re-associates the new token.
   * If the action was already decided, the decision's callback becomes owed again to the new
   * token (the caller or the reconciler delivers it).
   */
  async registerPending(
    action: Action,
    taskToken: string,
  ): Promise<{ action: Action; created: boolean }> {
    const item = pendingActionItem(action, taskToken);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { action, created: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const key = keys.action(action.id);
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET taskToken = :t',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':t': taskToken, ':pending': 'Pending' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { action: fromItem(out.Attributes as Item), created: false };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET taskToken = :t, queuePk = :owed, queueSk = :sk',
          ConditionExpression: '#status IN (:approved, :rejected)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':t': taskToken,
            ':owed': QUEUE.callbackOwed,
            ':sk': `${new Date().toISOString()}#${action.id}`,
            ':approved': 'Approved',
            ':rejected': 'Rejected',
          },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch(async (error) => {
        if (!isConditionalCheckFailed(error)) throw error;
        return { Attributes: await this.getItem(action.id) };
      });
    return { action: fromItem(out.Attributes as Item), created: false };
  }

  /** Stores an action that needs no operator (approved by automation), idempotently. */
  async putDecided(action: Action): Promise<Action> {
    const at = action.decision?.at ?? action.createdAt;
    const item = decidedActionItem(action, at, this.settings.historyRetentionSeconds);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return action;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return fromItem((await this.getItem(action.id)) as Item);
    }
  }

  /**
   * Records an operator's decision exactly once: one conditional write that succeeds only while
   * the action is Pending and unexpired. Returns the task token to the caller only, and leaves
   * the callback owed until `callbackDelivered`.
   */
  async decide(
    actionId: string,
    request: DecideRequest,
    now: Date,
  ): Promise<{ action: Action; taskToken?: string }> {
    const at = now.toISOString();
    const decision: Decision = { by: request.by, at, automated: false };
    if (request.comment !== undefined) decision.comment = request.comment;
    const status: ActionStatus = request.verdict === 'approve' ? 'Approved' : 'Rejected';
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression:
            'SET #status = :status, decision = :decision, updatedAt = :at, expiresAt = :retain, ' +
            'queuePk = :owed, queueSk = :queueSk, timelinePk = :tpk, timelineSk = :tsk',
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending AND expiresAt > :now',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':decision': decision,
            ':at': at,
            ':retain': this.retentionUntil(at),
            ':owed': QUEUE.callbackOwed,
            ':queueSk': `${at}#${actionId}`,
            ':tpk': timeline.history(at),
            ':tsk': `${at}#${actionId}`,
            ':pending': 'Pending',
            ':now': epochSeconds(now),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = out.Attributes as Item;
      return { action: fromItem(item), taskToken: item.taskToken as string | undefined };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.get(actionId);
    if (!current) throw new NotFoundError(`Action ${actionId} not found`);
    const seen = presentAction(current, now);
    if (current.status === 'Pending') {
      throw new ExpiredError(`Action ${actionId} expired at ${current.expiresAt}`, seen);
    }
    throw new ConflictError(`Action ${actionId} is already ${current.status}`, seen);
  }

  /** The decision's callback reached the workflow: nothing is owed any more. */
  async callbackDelivered(actionId: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: 'REMOVE queuePk, queueSk, taskToken',
          ConditionExpression: 'queuePk = :owed',
          ExpressionAttributeValues: { ':owed': QUEUE.callbackOwed },
        }),
      )
      .catch((error) => {
        if (!isConditionalCheckFailed(error)) throw error;
      });
  }

  /** Decisions whose callback is still owed, oldest first, with their tokens (for the reconciler). */
  async callbacksOwed(limit: number): Promise<{ action: Action; taskToken?: string }[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.queueIndex.name,
        KeyConditionExpression: 'queuePk = :owed',
        ExpressionAttributeValues: { ':owed': QUEUE.callbackOwed },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map((item) => ({
      action: fromItem(item),
      taskToken: item.taskToken as string | undefined,
    }));
  }

  /**
   * The pending action waiting longest: the queue sorts PENDING by expiry, and every action waits
   * the same pending TTL, so the first key after `now` is the oldest one not yet expired.
   */
  async oldestPending(now: Date): Promise<Action | undefined> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: TABLE.queueIndex.name,
        KeyConditionExpression: 'queuePk = :pending AND queueSk > :now',
        ExpressionAttributeValues: { ':pending': QUEUE.pending, ':now': now.toISOString() },
        ScanIndexForward: true,
        Limit: 1,
      }),
    );
    const item = out.Items?.[0];
    return item && fromItem(item);
  }

  /**
   * Moves an action to `to`, conditional on it being in a status from which `to` is legal.
   * Idempotent: an action already in `to` is returned as it is (a replayed task does no harm).
   */
  async transition(
    actionId: string,
    to: ActionStatus,
    now: Date,
    patch: {
      result?: ActionResult;
      skippedBecause?: Action['skippedBecause'];
      decision?: Decision;
    } = {},
  ): Promise<Action> {
    const at = now.toISOString();
    const from = sourcesOf(to);
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, NativeAttributeValue> = { ':to': to, ':at': at };
    const sets = ['#status = :to', 'updatedAt = :at'];
    const removes: string[] = [];
    from.forEach((s, i) => {
      values[`:from${i}`] = s;
    });
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    if (to === 'Expired') {
      // Leaving Pending without a decision: out of the queue, into history, kept for retention.
      sets.push(
        'timelinePk = if_not_exists(timelinePk, :tpk)',
        'timelineSk = if_not_exists(timelineSk, :tsk)',
      );
      sets.push('expiresAt = :retain');
      values[':tpk'] = timeline.history(at);
      values[':tsk'] = `${at}#${actionId}`;
      values[':retain'] = this.retentionUntil(at);
      removes.push('queuePk', 'queueSk', 'taskToken');
    }
    const condition = `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.action(actionId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(out.Attributes as Item);
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    const current = await this.get(actionId);
    if (!current) throw new NotFoundError(`Action ${actionId} not found`);
    if (current.status === to) return current;
    throw new ConflictError(
      `Action ${actionId} is ${current.status}; it cannot become ${to}`,
      current,
    );
  }

  /** Pending actions, newest first; expired ones are never listed (their key is below `now`). */
  async listPending(request: ListRequest, now: Date): Promise<ActionPage> {
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
    });
    return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
  }

  /** Decided and finished actions in the window, most recently decided first. */
  async listHistory(
    request: ListRequest & { window: HistoryWindow },
    now: Date,
  ): Promise<ActionPage> {
    const from = new Date(
      now.getTime() - HISTORY_WINDOWS[request.window] * 86_400_000,
    ).toISOString();
    const filters = request.filters ?? {};
    const page = await readPage(this.doc, {
      tableName: this.table,
      index: TABLE.timelineIndex,
      partitionKey: TABLE.timelineIndex.partitionKey,
      sortKey: TABLE.timelineIndex.sortKey,
      partitions: timeline.monthsBetween(from, now.toISOString()).map((m) => `HISTORY#${m}`),
      sortKeyFrom: { value: from, inclusive: true },
      filter: actionFilter(filters),
      limit: request.limit,
      cursor: request.cursor,
      scope: `history|${request.window}|${JSON.stringify(filters)}`,
    });
    return {
      items: page.items.map((item) => presentAction(fromItem(item), now)),
      nextCursor: page.nextCursor,
    };
  }
}

function actionFilter(filters: ActionFilters): Filter | undefined {
  const { q, ...equal } = filters;
  const text: Filter | undefined =
    q === undefined || q === ''
      ? undefined
      : { expression: 'contains(searchName, :q)', names: {}, values: { ':q': q.toLowerCase() } };
  return equalityFilter(equal, text);
}
