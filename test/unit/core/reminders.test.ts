// When a pending action is brought to people again, and to whom: a reminder past its severity's
// SLA, then one escalation per further SLA period along its severity's channel order.
import {
  channelsOfLevel,
  DEFAULT_SLA_MINUTES,
  dueLevel,
  eventOfLevel,
} from '../../../functions/core/reminders.js';

const T0 = new Date('2026-12-01T08:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('dueLevel', () => {
  const critical = { severity: 'critical' as const, createdAt: T0.toISOString() };

  it('is nothing within the SLA, a reminder past it, and one more each further period', () => {
    expect(dueLevel(critical, DEFAULT_SLA_MINUTES, later(14))).toBe(0);
    expect(dueLevel(critical, DEFAULT_SLA_MINUTES, later(15))).toBe(1);
    expect(dueLevel(critical, DEFAULT_SLA_MINUTES, later(31))).toBe(2);
    expect(dueLevel({ ...critical, severity: 'low' }, DEFAULT_SLA_MINUTES, later(31))).toBe(0);
  });

  it('names the first level a Reminder and the rest Escalations', () => {
    expect([1, 2, 3].map(eventOfLevel)).toEqual(['Reminder', 'Escalation', 'Escalation']);
  });
});

describe('channelsOfLevel', () => {
  const configured = ['webhook', 'slack', 'teams'];

  it('without an order, reminds every channel once and escalates nowhere', () => {
    expect(channelsOfLevel(1, 'high', {}, configured)).toEqual(configured);
    expect(channelsOfLevel(2, 'high', {}, configured)).toEqual([]);
  });

  it("with an order, goes to the level's channel, and nowhere past the order's end", () => {
    const order = { critical: ['slack', 'teams'] };

    expect(channelsOfLevel(1, 'critical', order, configured)).toEqual(['slack']);
    expect(channelsOfLevel(2, 'critical', order, configured)).toEqual(['teams']);
    expect(channelsOfLevel(3, 'critical', order, configured)).toEqual([]);
    expect(channelsOfLevel(1, 'low', order, configured)).toEqual(configured);
  });
});
