// Reminders and escalations of actions still pending (core/reminders.ts), run on a schedule: the
// oldest pending actions whose severity's SLA passed get the level now due, once (a conditional
// write on the action), grouped into one message per investigation, level and severity, sent to
// the level's channels with fresh decision links.
import { NotFoundError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import type { ActionStore, InvestigationStore } from '../core/ports.js';
import {
  channelsOfLevel,
  dueLevel,
  type EscalationOrder,
  eventOfLevel,
  type SlaMinutes,
} from '../core/reminders.js';
import { forEachLimited } from './limited.js';
import { deliver, messageOf, type NotifyPorts, type NotifySummary } from './notify.js';

export interface ReminderPorts extends Omit<NotifyPorts, 'investigations' | 'claims'> {
  actions: Pick<ActionStore, 'pendingOldestFirst' | 'markNotified'>;
  investigations: Pick<InvestigationStore, 'get'>;
  sla: SlaMinutes;
  escalation: EscalationOrder;
}

/** Pending actions looked at per run, oldest first (the rest wait for the next run). */
const BATCH = 500;
const CONCURRENCY = 8;

export async function remindOverdue(ports: ReminderPorts): Promise<NotifySummary> {
  const summary: NotifySummary = { messages: 0, failed: 0 };
  if (ports.channels.length === 0) return summary;
  const now = ports.clock();
  const due = (await ports.actions.pendingOldestFirst(now, BATCH))
    .map((c) => ({ ...c, level: dueLevel(c.action, ports.sla, now) }))
    .filter((c) => c.level > c.notifiedLevel);
  // Claimed once per level, whatever other run races this one.
  const groups = new Map<string, { level: number; actions: Action[] }>();
  await forEachLimited(due, CONCURRENCY, async ({ action, level }) => {
    if (!(await ports.actions.markNotified(action.id, level))) return;
    const key = `${action.investigationId}|${level}|${action.severity}`;
    const group = groups.get(key) ?? { level, actions: [] };
    group.actions.push(action);
    groups.set(key, group);
  });
  const configured = ports.channels.map((c) => c.name);
  await forEachLimited([...groups.values()], CONCURRENCY, async ({ level, actions }) => {
    const [first] = actions as [Action];
    const names = channelsOfLevel(level, first.severity, ports.escalation, configured);
    const channels = ports.channels.filter((c) => names.includes(c.name));
    if (channels.length === 0) return;
    let investigation: Awaited<ReturnType<InvestigationStore['get']>>['investigation'];
    try {
      ({ investigation } = await ports.investigations.get(first.investigationId));
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const message = messageOf(ports, eventOfLevel(level), investigation, actions, now);
    summary.messages += 1;
    summary.failed += await deliver(channels, message);
  });
  return summary;
}
