// The poller's pure rules: Graph's seven-digit time stamps, the alerts_v2 query, where the next
// walk starts, and how alerts fill PutEvents calls.
import { describe, expect, it } from '@jest/globals';
import {
  alertsQuery,
  entryBytes,
  graphInstant,
  instantOf,
  nextWatermark,
  PUT_EVENTS_MAX_BYTES,
  putEventsBatches,
} from '../../../functions/core/defender-poll.js';

describe('Graph instants', () => {
  it('keep all seven fractional digits Graph gives, padding shorter ones, so text order is time order', () => {
    expect(graphInstant('2021-05-02T14:19:01.3266667Z')).toBe('2021-05-02T14:19:01.3266667Z');
    expect(graphInstant('2021-05-02T14:19:01.3Z')).toBe('2021-05-02T14:19:01.3000000Z');
    expect(graphInstant('2021-05-02T14:19:01Z')).toBe('2021-05-02T14:19:01.0000000Z');
    expect(graphInstant('2021-05-02T14:19:01.3+00:00')).toBe('2021-05-02T14:19:01.3000000Z');
    expect(graphInstant('2021-05-02T16:19:01.3+02:00')).toBe('2021-05-02T14:19:01.3000000Z');
    const earlier = graphInstant('2021-05-02T14:19:01.3Z') ?? '';
    const later = graphInstant('2021-05-02T14:19:01.30001Z') ?? '';
    expect(earlier < later).toBe(true);
  });

  it('are undefined for what is not a date-time', () => {
    expect(graphInstant('yesterday')).toBeUndefined();
    expect(graphInstant(null)).toBeUndefined();
    expect(instantOf(Date.parse('2026-12-01T12:00:00.123Z'))).toBe('2026-12-01T12:00:00.1230000Z');
  });
});

describe('the alerts_v2 query', () => {
  it('filters on lastUpdateDateTime greater than the watermark, an unquoted DateTimeOffset, 100 a page', () => {
    const query = alertsQuery('2026-12-01T12:00:00.0000000Z');

    expect(query).toBe(
      '/v1.0/security/alerts_v2?$filter=lastUpdateDateTime%20gt%202026-12-01T12%3A00%3A00.0000000Z&$top=100',
    );
    expect(new URL(query, 'https://graph.microsoft.com').searchParams.get('$filter')).toBe(
      'lastUpdateDateTime gt 2026-12-01T12:00:00.0000000Z',
    );
  });
});

describe('the next watermark', () => {
  const started = Date.parse('2026-12-01T12:00:00Z');
  const from = '2026-12-01T10:00:00.0000000Z';

  it('is the latest change read when it is older than a minute before the walk began', () => {
    expect(nextWatermark(from, '2026-12-01T11:30:00.1234567Z', started)).toBe(
      '2026-12-01T11:30:00.1234567Z',
    );
  });

  it('is a minute before the walk began when a later change was read', () => {
    expect(nextWatermark(from, '2026-12-01T11:59:30.0000000Z', started)).toBe(
      '2026-12-01T11:59:00.0000000Z',
    );
  });

  it('stays where it was when nothing was read, and never goes back', () => {
    expect(nextWatermark(from, undefined, started)).toBe(from);
    expect(
      nextWatermark('2026-12-01T11:59:50.0000000Z', '2026-12-01T11:59:55.0000000Z', started),
    ).toBe('2026-12-01T11:59:50.0000000Z');
  });
});

describe('PutEvents batches', () => {
  it('hold at most 10 entries, in order', () => {
    const details = Array.from({ length: 23 }, (_, i) => JSON.stringify({ id: String(i) }));

    const batches = putEventsBatches(details);

    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(details);
  });

  it('hold at most 256 KiB of entries, counted as EventBridge counts them', () => {
    const detail = JSON.stringify({ id: 'a', description: 'x'.repeat(100 * 1024) });

    const batches = putEventsBatches([detail, detail, detail, detail, detail]);

    expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    for (const batch of batches) {
      expect(batch.reduce((sum, d) => sum + entryBytes(d), 0)).toBeLessThanOrEqual(
        PUT_EVENTS_MAX_BYTES,
      );
    }
    expect(entryBytes('{}')).toBe('actioncenter.defender'.length + 'Defender XDR Alert'.length + 2);
  });
});
