// Investigations: created once per alert, listed by time, read with all their actions in one Query.
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mergeEvidence } from '../../core/alert.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import type { Entity, HistoryWindow, Investigation } from '../../core/model.js';
import type {
  InvestigationPatch,
  InvestigationRecord,
  InvestigationStore,
  ReopenOrWake,
  StoredPage,
  WakeReceipt,
} from '../../core/ports.js';
import { actionOf, trackingOfItems } from './action-items.js';
import type { CursorCodec } from './cursor.js';
import { isConditionalCheckFailed } from './errors.js';
import { reopenOrWake } from './investigation-reopening.js';
import { fieldsOf, type Item, putIfAbsent } from './items.js';
import { epochSeconds, keys, timeline } from './keys.js';
import { equalityFilter, partitionPages, readTimelinePage } from './paging.js';

const FIELDS = [
  'id',
  'alertIds',
  'title',
  'severity',
  'detectionSource',
  'status',
  'createdAt',
  'updatedAt',
  'endedAt',
  'pendingSeconds',
  'pendingUntil',
  'counts',
  'origin',
  'noActionReason',
] as const;

/** BatchGetItem's limit. */
const BATCH_GET = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const investigationOf = (item: Item) => fieldsOf<Investigation>(item, FIELDS);

interface InvestigationStoreSettings {
  tableName: string;
  historyRetentionSeconds: number;
  /** Signs and checks the list cursors. */
  cursors: CursorCodec;
}

export class DynamoInvestigationStore implements InvestigationStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: InvestigationStoreSettings,
  ) {}

  private get table() {
    return this.settings.tableName;
  }

  /** Creates the investigation once; a second delivery of the same alert finds it and creates nothing. */
  async createOnce(
    record: InvestigationRecord,
  ): Promise<{ investigation: Investigation; created: boolean }> {
    const { investigation, evidence } = record;
    const created = await putIfAbsent(this.doc, this.table, {
      ...keys.investigation(investigation.id),
      ...investigation,
      evidence,
      timelinePk: timeline.investigations(investigation.createdAt),
      timelineSk: `${investigation.createdAt}#${investigation.id}`,
      expiresAt: epochSeconds(investigation.createdAt) + this.settings.historyRetentionSeconds,
    });
    if (created) return { investigation, created };
    const existing = await this.get(investigation.id);
    return { investigation: existing.investigation, created };
  }

  async find(investigationId: string): Promise<Investigation | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.investigation(investigationId),
        ConsistentRead: true,
      }),
    );
    return out.Item && investigationOf(out.Item);
  }

  /** The investigation, its evidence, all its actions and their tracking, read from its one partition. */
  async get(investigationId: string) {
    const items: Item[] = [];
    for await (const page of partitionPages(
      this.doc,
      this.table,
      keys.investigation(investigationId).pk,
    )) {
      items.push(...page);
    }
    const head = items.find((i) => i.sk === 'INV');
    if (!head) throw new NotFoundError(`Investigation ${investigationId} not found`);
    const actionItems = items.filter((i) => String(i.sk).startsWith(keys.actionPrefix));
    const actions = actionItems
      .map(actionOf)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const evidence = (head.evidence ?? []) as Entity[];
    return {
      investigation: investigationOf(head),
      evidence,
      actions,
      tracking: trackingOfItems(actionItems),
      ...(typeof head.threatsFound === 'boolean' && { threatsFound: head.threatsFound }),
    };
  }

  /** BatchGetItem of the head items, 100 keys a call, id and title only; unprocessed keys asked again. */
  async titles(investigationIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(investigationIds)];
    for (let i = 0; i < unique.length; i += BATCH_GET) {
      let wanted: Item[] | undefined = unique.slice(i, i + BATCH_GET).map(keys.investigation);
      for (let round = 0; wanted?.length; round += 1) {
        if (round > 0) await sleep(Math.min(50 * 2 ** round, 1000));
        const out: BatchGetCommandOutput = await this.doc.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: wanted,
                ProjectionExpression: '#id, title',
                ExpressionAttributeNames: { '#id': 'id' },
              },
            },
          }),
        );
        for (const item of out.Responses?.[this.table] ?? []) {
          found.set(String(item.id), String(item.title));
        }
        wanted = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }

  async update(
    investigationId: string,
    patch: InvestigationPatch,
    options: { ifWakes?: number } = {},
  ): Promise<Investigation> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined && v !== null);
    const removed = Object.entries(patch).flatMap(([k, v]) => (v === null ? [k] : []));
    const wakes = options.ifWakes;
    const values = {
      ...Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
      ...(wakes !== undefined && { ':ifWakes': wakes, ':noWakes': 0 }),
    };
    const item = await this.updateExisting(
      investigationId,
      {
        UpdateExpression: [
          ...(entries.length > 0
            ? [`SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`]
            : []),
          ...(removed.length > 0 ? [`REMOVE ${removed.map((k) => `#${k}`).join(', ')}`] : []),
        ].join(' '),
        ExpressionAttributeNames: Object.fromEntries(
          [...entries.map(([k]) => k), ...removed, ...(wakes === undefined ? [] : ['wakes'])].map(
            (k) => [`#${k}`, k],
          ),
        ),
        // DynamoDB refuses an empty ExpressionAttributeValues (a patch that only removes fields).
        ...(Object.keys(values).length > 0 && { ExpressionAttributeValues: values }),
      },
      wakes === undefined
        ? undefined
        : '(#wakes = :ifWakes OR (attribute_not_exists(#wakes) AND :ifWakes = :noWakes))',
    );
    return investigationOf(item);
  }

  async mergeEvidence(investigationId: string, incoming: Entity[], now: Date) {
    const reopening = await reopenOrWake(this.doc, this.table, investigationId, now, (head) => {
      const merged = mergeEvidence((head.evidence ?? []) as Entity[], incoming);
      if (!merged.changed) return 'unchanged';
      return {
        set: ['evidence = :evidence'],
        remove: ['threatsFound'],
        values: { ':evidence': merged.evidence },
      };
    });
    return reopening.outcome === 'woken' ? { ...reopening, outcome: 'merged' as const } : reopening;
  }

  async wakeOrReopen(investigationId: string, now: Date): Promise<ReopenOrWake> {
    const reopening = await reopenOrWake(this.doc, this.table, investigationId, now, () => ({
      set: [],
      remove: [],
      values: {},
    }));
    if (reopening.outcome === 'unchanged') throw new Error('An undo always changes something');
    return reopening;
  }

  async registerWait(investigationId: string, taskToken: string): Promise<{ wakes: number }> {
    const item = await this.updateExisting(investigationId, {
      UpdateExpression: 'SET waitToken = :token, waitSince = :now',
      ExpressionAttributeValues: { ':token': taskToken, ':now': new Date().toISOString() },
    });
    return { wakes: Number(item.wakes ?? 0) };
  }

  async wake(investigationId: string): Promise<WakeReceipt> {
    const item = await this.updateExisting(investigationId, {
      UpdateExpression: 'ADD wakes :one',
      ExpressionAttributeValues: { ':one': 1 },
    });
    return typeof item.waitToken === 'string' ? { waitToken: item.waitToken } : {};
  }

  /**
   * One update of an investigation that must exist (404 otherwise); answers the item after it.
   * `condition`: what must hold besides (a ConflictError when it does not).
   */
  private async updateExisting(
    investigationId: string,
    update: Pick<
      UpdateCommandInput,
      'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
    condition?: string,
  ): Promise<Item> {
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.investigation(investigationId),
          ConditionExpression: `attribute_exists(pk)${condition ? ` AND ${condition}` : ''}`,
          ReturnValues: 'ALL_NEW',
          ...update,
        }),
      )
      .catch(async (error) => {
        if (!isConditionalCheckFailed(error)) throw error;
        if (condition && (await this.find(investigationId))) {
          throw new ConflictError(`Investigation ${investigationId} changed meanwhile`);
        }
        throw new NotFoundError(`Investigation ${investigationId} not found`);
      });
    return out.Attributes as Item;
  }

  /**
   * Eventually consistent (half the read units): wakes only grow, so a stale count is a lower one,
   * and a lower count only makes the loop take one more pass (its wait resumes at once, or its
   * conclusion's `ifWakes` condition fails), never miss a change.
   */
  async wakesOf(investigationId: string): Promise<number> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.investigation(investigationId),
        ProjectionExpression: 'wakes',
      }),
    );
    return Number(out.Item?.wakes ?? 0);
  }

  async markStarted(investigationId: string, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.investigation(investigationId),
          UpdateExpression: 'SET startedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(startedAt)',
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Investigations created in the window, newest first. */
  async list(
    request: { window: HistoryWindow; status?: string; limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<Investigation>> {
    const page = await readTimelinePage(this.doc, {
      tableName: this.table,
      bucketOf: timeline.investigations,
      window: request.window,
      now,
      filter: equalityFilter({ status: request.status }),
      limit: request.limit,
      cursor: request.cursor,
      scope: `investigations|${request.window}|${request.status ?? ''}`,
      cursors: this.settings.cursors,
    });
    return { items: page.items.map(investigationOf), nextCursor: page.nextCursor };
  }
}
