// An updated alert's evidence merged into what its investigation keeps.
import { mergeEvidence } from '../../../functions/core/alert.js';
import { file } from '../../fixtures/alerts.js';

describe('mergeEvidence', () => {
  it('adds new entities and keeps the known ones, with the worse verdict', () => {
    // Prepare
    const kept = [{ ...file('a', 'suspicious'), category: 'endpoint' }, file('b', 'malicious')];

    // Act
    const merged = mergeEvidence(kept, [
      file('a', 'malicious'),
      file('b', 'clean'),
      file('c', 'suspicious'),
    ]);

    // Assess
    expect(merged.changed).toBe(true);
    expect(merged.evidence.map((e) => [e.id, e.verdict])).toEqual([
      ['a', 'malicious'],
      ['b', 'malicious'],
      ['c', 'suspicious'],
    ]);
    // What the analysis added to a known entity stays.
    expect(merged.evidence[0]).toMatchObject({ category: 'endpoint' });
  });

  it('changes nothing for an update that brings nothing new', () => {
    const kept = [file('a', 'malicious')];

    expect(mergeEvidence(kept, [file('a', 'suspicious')])).toEqual({
      evidence: kept,
      changed: false,
    });
  });

  it('tells apart the same id on another device', () => {
    const merged = mergeEvidence(
      [file('a', 'malicious', 'dev-1')],
      [file('a', 'malicious', 'dev-2')],
    );

    expect(merged.evidence).toHaveLength(2);
  });
});
