// The local EventBridge stand-in's content filtering: the rule patterns match as EventBridge's do.
import { type EventPattern, matchesPattern } from '../../../functions/ingest/event-pattern.js';

const finding = {
  source: 'aws.guardduty',
  'detail-type': 'GuardDuty Finding',
  detail: {
    severity: 8.2,
    type: 'Trojan:EC2/BlackholeTraffic!DNS',
    status: 'InProgress',
    service: { archived: false, count: 3 },
    findings: [{ RecordState: 'ACTIVE' }, { RecordState: 'ARCHIVED' }],
  },
};

describe('matchesPattern', () => {
  it.each<[string, EventPattern, boolean]>([
    [
      'exact values, nested',
      { source: ['aws.guardduty'], detail: { service: { archived: [false] } } },
      true,
    ],
    ['a value not listed', { source: ['aws.securityhub'] }, false],
    ['numeric range met', { detail: { severity: [{ numeric: ['>=', 7] }] } }, true],
    ['numeric range missed', { detail: { severity: [{ numeric: ['>=', 9] }] } }, false],
    ['both bounds', { detail: { severity: [{ numeric: ['>', 4, '<', 9] }] } }, true],
    ['prefix', { detail: { type: [{ prefix: 'Trojan:' }] } }, true],
    ['anything-but a value', { detail: { status: [{ 'anything-but': 'Close' }] } }, true],
    [
      'anything-but the value it is',
      { detail: { status: [{ 'anything-but': ['InProgress'] }] } },
      false,
    ],
    [
      'anything-but a prefix',
      { detail: { type: [{ 'anything-but': { prefix: 'Recon:' } }] } },
      true,
    ],
    ['equals-ignore-case', { detail: { status: [{ 'equals-ignore-case': 'inprogress' }] } }, true],
    ['exists true', { detail: { severity: [{ exists: true }] } }, true],
    ['exists false on a present field', { detail: { severity: [{ exists: false }] } }, false],
    ['exists false on an absent field', { detail: { missing: [{ exists: false }] } }, true],
    ['an absent field', { detail: { missing: ['x'] } }, false],
    [
      'an array matches when any element does',
      { detail: { findings: { RecordState: ['ARCHIVED'] } } },
      true,
    ],
    ['no element matches', { detail: { findings: { RecordState: ['SUPPRESSED'] } } }, false],
    ['a number is not its text', { detail: { severity: ['8.2'] } }, false],
  ])('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, finding)).toBe(expected);
  });

  it('never matches what is not an object, nor through a prototype', () => {
    expect(matchesPattern({ source: ['x'] }, 'x')).toBe(false);
    expect(matchesPattern({ toString: [{ exists: true }] }, {})).toBe(false);
    expect(matchesPattern({ detail: { constructor: [{ exists: true }] } }, { detail: {} })).toBe(
      false,
    );
  });
});
