// Events of an enabled source that could not be mapped: one item per event id, kept 30 days and
// listed newest first from their month buckets, so nothing an operator sent is lost silently.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { REJECTED_ALERT_RETENTION_DAYS, type RejectedAlert } from '../../core/model.js';
import type { RejectedAlertStore, StoredPage } from '../../core/ports.js';
import type { CursorCodec } from './cursor.js';
import { fieldsOf, type Item, putIfAbsent } from './items.js';
import { epochSeconds, keys, timeline } from './keys.js';
import { readTimelinePage } from './paging.js';

const FIELDS = [
  'id',
  'receivedAt',
  'source',
  'detailType',
  'eventId',
  'reason',
  'problems',
  'body',
  'truncated',
] as const;

const RETENTION_SECONDS = REJECTED_ALERT_RETENTION_DAYS * 86_400;

export class DynamoRejectedAlerts implements RejectedAlertStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly settings: { tableName: string; cursors: CursorCodec },
  ) {}

  async record(rejected: RejectedAlert): Promise<void> {
    // A redelivered event keeps its first record: the put only creates.
    await putIfAbsent(this.doc, this.settings.tableName, {
      ...keys.rejectedAlert(rejected.id),
      ...rejected,
      timelinePk: timeline.rejectedAlerts(rejected.receivedAt),
      timelineSk: `${rejected.receivedAt}#${rejected.id}`,
      expiresAt: epochSeconds(rejected.receivedAt) + RETENTION_SECONDS,
    });
  }

  /** Rejected events of the last 30 days, newest first. */
  async list(
    request: { limit: number; cursor?: string },
    now: Date,
  ): Promise<StoredPage<RejectedAlert>> {
    const page = await readTimelinePage(this.doc, {
      tableName: this.settings.tableName,
      bucketOf: timeline.rejectedAlerts,
      // The window is the retention: TTL may lag, so older items are left out by the read.
      window: '30d',
      now,
      limit: request.limit,
      cursor: request.cursor,
      scope: 'rejected-alerts',
      cursors: this.settings.cursors,
    });
    return {
      items: page.items.map((item: Item) => fieldsOf<RejectedAlert>(item, FIELDS)),
      nextCursor: page.nextCursor,
    };
  }
}
