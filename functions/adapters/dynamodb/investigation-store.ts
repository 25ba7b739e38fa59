// Investigations: created once per alert, listed by time, read with all their actions in one Query.
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../../core/errors.js';
import {
  type Action,
  type Entity,
  HISTORY_WINDOWS,
  type HistoryWindow,
  type Investigation,
} from '../../core/model.js';
import { fromItem as actionFromItem } from './action-store.js';
import { isConditionalCheckFailed } from './errors.js';
import { epochSeconds, keys, timeline } from './keys.js';
import { equalityFilter, readPage } from './paging.js';
import { TABLE } from './table.js';

type Item = Record<string, NativeAttributeValue>;

/** Evidence: the alert's entities with their verdicts, kept for the investigation page. */
export type Evidence = Entity[];

export interface InvestigationRecord {
  investigation: Investigation;
  evidence: Evidence;
}

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
  'counts',
] as const;

function fromItem(item: Item): Investigation {
  return Object.fromEntries(
    FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]]),
  ) as Investigation;
}

export interface InvestigationStoreSettings {
  tableName: string;
  historyRetentionSeconds: number;
}

export type InvestigationPatch = Partial<
  Pick<Investigation, 'status' | 'updatedAt' | 'endedAt' | 'pendingSeconds' | 'counts'> & {
    /** The analyzed evidence replaces the alert's entities recorded at ingest. */
    evidence: Evidence;
  }
>;

export class InvestigationStore {
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
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...keys.investigation(investigation.id),
            ...investigation,
            evidence,
            timelinePk: timeline.investigations(investigation.createdAt),
            timelineSk: `${investigation.createdAt}#${investigation.id}`,
            expiresAt:
              epochSeconds(investigation.createdAt) + this.settings.historyRetentionSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { investigation, created: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      const existing = await this.get(investigation.id);
      return { investigation: existing.investigation, created: false };
    }
  }

  async find(investigationId: string): Promise<Investigation | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.investigation(investigationId),
        ConsistentRead: true,
      }),
    );
    return out.Item && fromItem(out.Item);
  }

  /** The investigation, its evidence and all its actions, read from its one partition. */
  async get(
    investigationId: string,
  ): Promise<{ investigation: Investigation; evidence: Evidence; actions: Action[] }> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.investigation(investigationId).pk },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    const head = items.find((i) => i.sk === 'INV');
    if (!head) throw new NotFoundError(`Investigation ${investigationId} not found`);
    const actions = items
      .filter((i) => String(i.sk).startsWith(keys.actionPrefix))
      .map(actionFromItem)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    return { investigation: fromItem(head), evidence: (head.evidence ?? []) as Evidence, actions };
  }

  async update(investigationId: string, patch: InvestigationPatch): Promise<Investigation> {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    const out = await this.doc
      .send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.investigation(investigationId),
          UpdateExpression: `SET ${entries.map(([k]) => `#${k} = :${k}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(entries.map(([k]) => [`#${k}`, k])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([k, v]) => [`:${k}`, v])),
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error) => {
        if (isConditionalCheckFailed(error)) {
          throw new NotFoundError(`Investigation ${investigationId} not found`);
        }
        throw error;
      });
    return fromItem(out.Attributes as Item);
  }

  /** Investigations created in the window, newest first. */
  async list(
    request: { window: HistoryWindow; status?: string; limit: number; cursor?: string },
    now: Date,
  ): Promise<{ items: Investigation[]; nextCursor?: string }> {
    const from = new Date(
      now.getTime() - HISTORY_WINDOWS[request.window] * 86_400_000,
    ).toISOString();
    const page = await readPage(this.doc, {
      tableName: this.table,
      index: TABLE.timelineIndex,
      partitionKey: TABLE.timelineIndex.partitionKey,
      sortKey: TABLE.timelineIndex.sortKey,
      partitions: timeline.monthsBetween(from, now.toISOString()).map((m) => `INVESTIGATIONS#${m}`),
      sortKeyFrom: { value: from, inclusive: true },
      filter: equalityFilter({ status: request.status }),
      limit: request.limit,
      cursor: request.cursor,
      scope: `investigations|${request.window}|${request.status ?? ''}`,
    });
    return { items: page.items.map(fromItem), nextCursor: page.nextCursor };
  }
}
