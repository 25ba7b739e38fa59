// What bounds an investigation's size: bytes as Step Functions and DynamoDB count them, and the
// evidence budget ingest checks an alert against before it opens an investigation.
import type { Entity } from '../../../functions/core/model.js';
import {
  EVIDENCE_BUDGET_BYTES,
  ITEM_SIZE_LIMIT_BYTES,
  measureEvidence,
  oversizedAlertReason,
  payloadBytes,
  STATE_SIZE_LIMIT_BYTES,
} from '../../../functions/core/state-size.js';
import { anAlert, file, filesWithLongIds } from '../../fixtures/alerts.js';

/** `count` malicious files whose ids and names take the 1024 characters an entity allows. */
const filesWithLongestIds = (count: number): Entity[] =>
  Array.from({ length: count }, (_, i) => ({
    ...file(`${i}-`.padEnd(1024, 'f'), 'malicious'),
    displayName: `${i}-`.padEnd(1024, 'n'),
  }));

describe('payloadBytes', () => {
  it('counts the UTF-8 bytes of the JSON text, not its characters', () => {
    expect(payloadBytes({ a: 'é' })).toBe('{"a":"é"}'.length + 1);
    expect(payloadBytes('x'.repeat(10))).toBe(12);
    expect(payloadBytes(undefined)).toBe(4);
  });

  it("keeps Step Functions' 256 KiB state limit", () => {
    expect(STATE_SIZE_LIMIT_BYTES).toBe(262_144);
  });
});

describe('measureEvidence', () => {
  it("keeps 32 KiB of DynamoDB's 400 KiB item limit as a margin", () => {
    expect(ITEM_SIZE_LIMIT_BYTES).toBe(409_600);
    expect(EVIDENCE_BUDGET_BYTES).toBe(409_600 - 32_768);
  });

  it('fits 500 entities with realistic 71-character ids', () => {
    const size = measureEvidence(anAlert('a', filesWithLongIds(500)));

    expect(size.fits).toBe(true);
    expect(size.bytes).toBeLessThanOrEqual(EVIDENCE_BUDGET_BYTES);
  });

  it('does not fit 500 entities with 1024-character ids and names', () => {
    const size = measureEvidence(anAlert('a', filesWithLongestIds(500)));

    expect(size.fits).toBe(false);
    expect(size.bytes).toBeGreaterThan(500 * 2048);
  });

  it('grows with the entities', () => {
    const two = measureEvidence(anAlert('a', filesWithLongIds(2)));
    const hundred = measureEvidence(anAlert('a', filesWithLongIds(100)));

    expect(hundred.bytes).toBeGreaterThan(two.bytes * 20);
  });
});

describe('oversizedAlertReason', () => {
  it('names the byte counts and says what to do', () => {
    const reason = oversizedAlertReason({ bytes: 1_100_000, fits: false }, 500);

    expect(reason).toBe(
      "The alert is too large to investigate: its 500 entities make 1100000 bytes of evidence, over the 376832 an investigation may keep (DynamoDB's 409600-byte item limit less a 32768-byte margin). Send its entities as several smaller alerts, or with shorter ids and names.",
    );
  });
});
