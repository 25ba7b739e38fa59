// The Defender alert poller: reads the alerts Microsoft Graph changed since the watermark
// (alerts_v2, newest first, page by page through @odata.nextLink) and publishes each one to the bus
// as `actioncenter.defender` / `Defender XDR Alert`, the Graph resource as the detail. Progress is
// saved only after a page's alerts are published, so a failed publish leaves the page to be read
// and published again by the next run (ingest dedups the repeats). The watermark moves when a walk
// reaches its last page (pages come newest first); a walk cut short by the time budget or by
// throttling resumes from its saved next link. An updated alert has a later lastUpdateDateTime,
// so it is read and published again and its adapter merges the new evidence.
import { createHash } from 'node:crypto';
import {
  alertsQuery,
  DEFENDER_EVENT,
  entryBytes,
  graphInstant,
  instantOf,
  later,
  nextWatermark,
  PUT_EVENTS_MAX_BYTES,
  putEventsBatches,
} from '../core/defender-poll.js';
import { REJECTED_BODY_LIMIT, type RejectedAlert } from '../core/model.js';
import type { Clock, RejectedAlertStore } from '../core/ports.js';
import { countMetric, logger } from '../observability.js';

/** A walk through the pages of one query, saved after each published page. */
export interface AlertsWalk {
  /** The watermark the walk's query started from. */
  from: string;
  /** The next page to read: the first query's path or Graph's @odata.nextLink. */
  nextLink: string;
  /** The latest lastUpdateDateTime read so far. */
  latestSeen?: string;
  /** When the walk's first page was asked for (ms since the epoch). */
  startedAt: number;
}

export interface PollerState {
  /** Alerts changed after this instant are still to read; absent before the first walk ends. */
  watermark?: string;
  walk?: AlertsWalk;
}

/** The poller's own item; `save` is conditional on the version read, so two runs never interleave. */
export interface PollerStateStore {
  read(): Promise<PollerState & { version: number }>;
  /** False when another run saved first (this one then stops). */
  save(state: PollerState, version: number, now: Date): Promise<boolean>;
}

export interface AlertsPage {
  alerts: unknown[];
  nextLink?: string;
}

/** Graph's alerts_v2 pages (adapters/microsoft/alerts.ts). */
export interface GraphAlertsReader {
  /** One page; throws GraphThrottled when Graph asks to wait longer than `maxWaitMs`. */
  page(url: string, maxWaitMs: number): Promise<AlertsPage>;
}

/** Graph said to come back later than this run can wait. */
export class GraphThrottled extends Error {
  override readonly name = 'GraphThrottled';
}

export interface EventEntry {
  source: string;
  detailType: string;
  detail: string;
}

/** PutEvents: the entries it did not accept, by index, with EventBridge's code. */
export interface EventPublisher {
  putEvents(entries: EventEntry[]): Promise<{ index: number; code: string; message: string }[]>;
}

export interface DefenderPollPorts {
  graph: GraphAlertsReader;
  publisher: EventPublisher;
  state: PollerStateStore;
  rejectedAlerts: Pick<RejectedAlertStore, 'record'>;
  clock: Clock;
  /** How far back the first run reads. */
  firstLookbackMs: number;
}

export interface PollResult {
  outcome: 'caughtUp' | 'timeBudget' | 'throttled' | 'superseded';
  pages: number;
  published: number;
  tooLarge: number;
  watermark?: string;
}

/** No page is started with less than this left: a page's call with its retries fits in it. */
export const PAGE_RESERVE_MS = 30_000;
const PUBLISH_ATTEMPTS = 3;

/** Polls until caught up, throttled, or out of time (`deadline`, ms since the epoch). */
export async function pollDefenderAlerts(
  ports: DefenderPollPorts,
  deadline: number,
): Promise<PollResult> {
  const now = () => ports.clock().getTime();
  const stored = await ports.state.read();
  let version = stored.version;
  let watermark = stored.watermark;
  const from = watermark ?? instantOf(now() - ports.firstLookbackMs);
  let walk: AlertsWalk = stored.walk ?? { from, nextLink: alertsQuery(from), startedAt: now() };
  const result: PollResult = { outcome: 'caughtUp', pages: 0, published: 0, tooLarge: 0 };
  logger.info('Defender alert poll started', {
    watermark,
    from: walk.from,
    resumed: stored.walk !== undefined,
  });
  for (;;) {
    const left = deadline - now();
    if (left < PAGE_RESERVE_MS) {
      result.outcome = 'timeBudget';
      break;
    }
    let page: AlertsPage;
    try {
      page = await ports.graph.page(walk.nextLink, Math.min(30_000, left - PAGE_RESERVE_MS));
    } catch (error) {
      if (!(error instanceof GraphThrottled)) throw error;
      logger.warn('Microsoft Graph is throttling the alert poller; the next run resumes', {
        error: error.message,
      });
      result.outcome = 'throttled';
      break;
    }
    result.pages += 1;
    countMetric('DefenderAlertPages');
    const { published, tooLarge } = await publish(page.alerts, ports);
    result.published += published;
    result.tooLarge += tooLarge;
    const latestSeen = page.alerts.reduce<string | undefined>(
      (latest, alert) => later(latest, graphInstant(lastUpdateOf(alert))),
      walk.latestSeen,
    );
    let next: PollerState;
    if (page.nextLink) {
      walk = { ...walk, nextLink: page.nextLink, ...(latestSeen && { latestSeen }) };
      next = { ...(watermark && { watermark }), walk };
    } else {
      watermark = nextWatermark(walk.from, latestSeen, walk.startedAt);
      next = { watermark };
    }
    if (!(await ports.state.save(next, version, ports.clock()))) {
      logger.warn('Another run of the Defender alert poller saved first; this one stops');
      result.outcome = 'superseded';
      break;
    }
    version += 1;
    if (!page.nextLink) break;
  }
  result.watermark = watermark;
  logger.info('Defender alert poll ended', { ...result });
  return result;
}

function lastUpdateOf(alert: unknown): unknown {
  return typeof alert === 'object' && alert !== null
    ? (alert as { lastUpdateDateTime?: unknown }).lastUpdateDateTime
    : undefined;
}

function idOf(alert: unknown): string | undefined {
  const id = typeof alert === 'object' && alert !== null ? (alert as { id?: unknown }).id : null;
  return typeof id === 'string' ? id : undefined;
}

/** Publishes a page's alerts; throws unless every one that fits an event was accepted. */
async function publish(
  alerts: unknown[],
  ports: DefenderPollPorts,
): Promise<{ published: number; tooLarge: number }> {
  const details: string[] = [];
  let tooLarge = 0;
  for (const alert of alerts) {
    const detail = JSON.stringify(alert);
    if (entryBytes(detail) > PUT_EVENTS_MAX_BYTES) {
      tooLarge += 1;
      await keepTooLarge(alert, detail, ports);
    } else {
      details.push(detail);
    }
  }
  for (const batch of putEventsBatches(details)) {
    let entries: EventEntry[] = batch.map((detail) => ({ ...DEFENDER_EVENT, detail }));
    for (let attempt = 1; entries.length > 0; attempt += 1) {
      const failures = await ports.publisher.putEvents(entries);
      if (failures.length === 0) break;
      if (attempt === PUBLISH_ATTEMPTS) {
        const first = failures[0];
        throw new Error(
          `PutEvents refused ${failures.length} Defender alerts after ${attempt} attempts (${first?.code}: ${first?.message}); the page is read again next run`,
        );
      }
      entries = failures.flatMap((f) => entries[f.index] ?? []);
    }
    countMetric('DefenderAlertsPublished', batch.length);
  }
  return { published: details.length, tooLarge };
}

/**
 * An alert too large for one event (256 KiB) cannot reach ingest: it is kept as a rejected alert
 * (GET /alerts/rejected, the page's Rejected alerts view), logged and counted.
 */
async function keepTooLarge(alert: unknown, detail: string, ports: DefenderPollPorts) {
  const id = idOf(alert);
  const bytes = entryBytes(detail);
  const receivedAt = ports.clock().toISOString();
  const rejected: RejectedAlert = {
    id: `rej-${createHash('sha256')
      .update(`defender|${id}|${String(lastUpdateOf(alert))}`)
      .digest('hex')
      .slice(0, 32)}`,
    receivedAt,
    source: DEFENDER_EVENT.source,
    detailType: DEFENDER_EVENT.detailType,
    reason: `The Defender alert is too large for an EventBridge event: ${bytes} bytes, over the ${PUT_EVENTS_MAX_BYTES} PutEvents takes. Review it in the Microsoft Defender portal.`,
    problems: [`id: ${String(id).slice(0, 900)}`, `size: ${bytes} bytes`],
    body: detail.slice(0, REJECTED_BODY_LIMIT),
    truncated: detail.length > REJECTED_BODY_LIMIT,
  };
  await ports.rejectedAlerts.record(rejected);
  logger.error('Defender alert too large to publish; kept as a rejected alert', {
    alertId: id,
    bytes,
    rejectedId: rejected.id,
  });
  countMetric('DefenderAlertsTooLarge');
  // The RejectedAlerts alarm watches this one.
  countMetric('AlertsRejected');
}
