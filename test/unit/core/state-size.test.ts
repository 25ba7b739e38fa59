// The estimate ingest uses to refuse alerts whose investigation state would pass Step Functions'
// 256 KiB limit: bytes as Step Functions counts them, which state is largest, and the budget.
import {
  estimateInvestigationState,
  oversizedAlertReason,
  payloadBytes,
  STATE_SIZE_BUDGET_BYTES,
  STATE_SIZE_LIMIT_BYTES,
} from '../../../functions/core/state-size.js';
import { anAlert, filesWithLongIds } from '../../fixtures/alerts.js';

const NOW = new Date('2026-11-01T12:00:00.000Z');

describe('payloadBytes', () => {
  it('counts the UTF-8 bytes of the JSON text, not its characters', () => {
    expect(payloadBytes({ a: 'é' })).toBe('{"a":"é"}'.length + 1);
    expect(payloadBytes('x'.repeat(10))).toBe(12);
    expect(payloadBytes(undefined)).toBe(4);
  });
});

describe('estimateInvestigationState', () => {
  it('keeps 16 KiB of the 256 KiB limit as a margin', () => {
    expect(STATE_SIZE_LIMIT_BYTES).toBe(262_144);
    expect(STATE_SIZE_BUDGET_BYTES).toBe(262_144 - 16_384);
  });

  it('finds the planned actions the largest state of an alert full of threats', () => {
    const estimate = estimateInvestigationState(anAlert('a', filesWithLongIds(500)), NOW);

    expect(estimate).toEqual({ largest: 'actions', bytes: expect.any(Number), fits: false });
    expect(estimate.bytes).toBeGreaterThan(STATE_SIZE_LIMIT_BYTES);
  });

  it('finds the evidence the largest state of an alert with no threat (no actions)', () => {
    const clean = filesWithLongIds(50).map((e) => ({ ...e, verdict: 'clean' as const }));

    expect(estimateInvestigationState(anAlert('a', clean), NOW)).toMatchObject({
      largest: 'evidence',
      fits: true,
    });
  });

  it('lets a 100-entity alert through, and grows with the entities', () => {
    const hundred = estimateInvestigationState(anAlert('a', filesWithLongIds(100)), NOW);
    const two = estimateInvestigationState(anAlert('a', filesWithLongIds(2)), NOW);

    expect(hundred.fits).toBe(true);
    expect(hundred.bytes).toBeGreaterThan(two.bytes * 20);
  });
});

describe('oversizedAlertReason', () => {
  it('says what is too large, by how much, and what to do', () => {
    const reason = oversizedAlertReason({ largest: 'actions', bytes: 300_000, fits: false }, 500);

    expect(reason).toBe(
      "The alert is too large to investigate: with 500 entities its actions would make a workflow state of 300000 bytes, over the 245760 an investigation may carry (Step Functions' 262144-byte limit less a 16384-byte margin). Send its entities as several smaller alerts.",
    );
  });
});
