// The Defender alert poller's rules, pure: the Graph alerts_v2 query, Graph's time stamps (seven
// fractional digits, compared exactly so an alert is never read again for a lost digit), where
// the next walk starts, and how alerts are packed into PutEvents calls.

/** The bus event of a Defender alert: the Graph `alert` resource as the detail. */
export const DEFENDER_EVENT = {
  source: 'actioncenter.defender',
  detailType: 'Defender XDR Alert',
} as const;

/** PutEvents takes at most 10 entries and 256 KiB of entries per call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** Alerts asked for per page ($top). */
export const ALERTS_PAGE_SIZE = 100;

/**
 * How far before the walk's start the next walk begins at the latest: an alert Graph makes
 * visible a little after its lastUpdateDateTime, or one updated while the walk ran, is read again.
 */
export const WATERMARK_OVERLAP_MS = 60_000;

const GRAPH_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,7})\d*)?(Z|[+-]00:00)$/;

/**
 * A Graph DateTimeOffset as `yyyy-mm-ddThh:mm:ss.fffffffZ` (UTC, seven fractional digits), so
 * that text order is time order; undefined when it is not a date-time.
 */
export function graphInstant(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const exact = GRAPH_TIME.exec(value);
  if (exact) return `${exact[1]}.${(exact[2] ?? '').padEnd(7, '0')}Z`;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return instantOf(ms);
}

/** Milliseconds since the epoch as a Graph instant. */
export function instantOf(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, -1)}0000Z`;
}

/** The first page of alerts changed after `watermark` (OData literal: an unquoted DateTimeOffset). */
export function alertsQuery(watermark: string, pageSize = ALERTS_PAGE_SIZE): string {
  const filter = encodeURIComponent(`lastUpdateDateTime gt ${watermark}`);
  return `/v1.0/security/alerts_v2?$filter=${filter}&$top=${pageSize}`;
}

/**
 * Where the walk after this one starts: the latest change it read, but no later than the overlap
 * before it began (pages come newest first, so only a finished walk may move the watermark).
 */
export function nextWatermark(
  from: string,
  latestSeen: string | undefined,
  walkStartedAt: number,
): string {
  if (latestSeen === undefined) return from;
  const cap = instantOf(walkStartedAt - WATERMARK_OVERLAP_MS);
  const next = latestSeen < cap ? latestSeen : cap;
  return next > from ? next : from;
}

/** The later of two instants. */
export const later = (a: string | undefined, b: string | undefined) =>
  a === undefined ? b : b === undefined || a >= b ? a : b;

/** A PutEvents entry as EventBridge sizes it: Source, DetailType and Detail in UTF-8. */
export function entryBytes(detail: string): number {
  return (
    Buffer.byteLength(DEFENDER_EVENT.source) +
    Buffer.byteLength(DEFENDER_EVENT.detailType) +
    Buffer.byteLength(detail)
  );
}

/** Details packed into PutEvents calls in order: at most 10 and 256 KiB each. */
export function putEventsBatches(details: readonly string[]): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const detail of details) {
    const size = entryBytes(detail);
    if (batch.length === PUT_EVENTS_MAX_ENTRIES || bytes + size > PUT_EVENTS_MAX_BYTES) {
      if (batch.length > 0) batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(detail);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
