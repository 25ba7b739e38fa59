// When a pending action is brought to people again. Past its severity's SLA (NOTIFY_SLA_MINUTES)
// it is due a Reminder; each further SLA period without a decision, an Escalation to the next
// channel of its severity's order (NOTIFY_ESCALATION). Level 1 is the reminder, level n > 1 the
// (n-1)th escalation; a level is sent once, and only the highest one due.

import type { Severity } from './model.js';
import type { NotificationEvent } from './notification-messages.js';

/** Minutes an action may wait, by severity, before its reminder. */
export type SlaMinutes = Record<Severity, number>;

export const DEFAULT_SLA_MINUTES: SlaMinutes = {
  critical: 15,
  high: 60,
  medium: 240,
  low: 1440,
  informational: 1440,
};

/** Channel names in the order reminders then escalations go to them, by severity. */
export type EscalationOrder = Partial<Record<Severity, readonly string[]>>;

/** The level due to an action that has waited since `createdAt` (0: none yet). */
export function dueLevel(
  action: { severity: Severity; createdAt: string },
  sla: SlaMinutes,
  now: Date,
): number {
  const waitedMinutes = (now.getTime() - Date.parse(action.createdAt)) / 60_000;
  return Math.max(0, Math.floor(waitedMinutes / sla[action.severity]));
}

export const eventOfLevel = (level: number): NotificationEvent =>
  level <= 1 ? 'Reminder' : 'Escalation';

/**
 * The channels a level goes to. Without an order for the severity, a reminder goes to every
 * channel and nothing escalates; with one, level n goes to its nth channel, and levels past the
 * order's end to nobody (its last channel was told already).
 */
export function channelsOfLevel(
  level: number,
  severity: Severity,
  order: EscalationOrder,
  configured: readonly string[],
): string[] {
  const chain = order[severity];
  if (!chain || chain.length === 0) return level === 1 ? [...configured] : [];
  const name = chain[level - 1];
  return name !== undefined && configured.includes(name) ? [name] : [];
}
