import {
  type Approval,
  AUTOMATION_ACTOR,
  AutomationLevel,
  approvalFor,
} from '../../../functions/core/automation.js';
import type { Verdict } from '../../../functions/core/model.js';

describe('approvalFor: what the automation level does with a verdict', () => {
  // full: malicious evidence is remediated without approval, the rest waits for an operator;
  // semi: an operator approves everything; none: investigate only, propose nothing.
  const POLICY: [AutomationLevel, Verdict, Approval][] = [
    ['full', 'malicious', 'automatic'],
    ['full', 'suspicious', 'operator'],
    ['full', 'clean', 'operator'],
    ['full', 'unknown', 'operator'],
    ['semi', 'malicious', 'operator'],
    ['semi', 'suspicious', 'operator'],
    ['semi', 'clean', 'operator'],
    ['semi', 'unknown', 'operator'],
    ['none', 'malicious', 'notProposed'],
    ['none', 'suspicious', 'notProposed'],
    ['none', 'clean', 'notProposed'],
    ['none', 'unknown', 'notProposed'],
  ];

  it('has a row for every level × verdict', () => {
    expect(POLICY).toHaveLength(AutomationLevel.options.length * 4);
    expect([...new Set(POLICY.map(([level]) => level))].sort()).toEqual(
      [...AutomationLevel.options].sort(),
    );
  });

  it.each(POLICY)('level %s with a %s verdict → %s', (level, verdict, expected) => {
    // Act
    const approval = approvalFor(level, verdict);

    // Assess
    expect(approval).toBe(expected);
  });

  it('decides automatically only at full automation for malicious evidence', () => {
    const automatic = POLICY.filter(
      ([level, verdict]) => approvalFor(level, verdict) === 'automatic',
    );

    expect(automatic.map(([l, v]) => `${l}/${v}`)).toEqual(['full/malicious']);
  });

  it('records automatic decisions as made by "Automation"', () => {
    expect(AUTOMATION_ACTOR).toBe('Automation');
  });

  it.each(['full', 'semi', 'none'])('accepts the level %s', (level) => {
    expect(AutomationLevel.safeParse(level).success).toBe(true);
  });

  it.each(['Full', 'SEMI', 'off', '', 'auto', ' full'])('rejects the level %j', (level) => {
    expect(AutomationLevel.safeParse(level).success).toBe(false);
  });
});
