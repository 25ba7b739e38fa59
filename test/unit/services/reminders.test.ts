// Reminders of actions still pending, on a fake clock: sent once per level, to the level's
// channels, grouped per investigation, with fresh decision links; actions within their SLA are
// left alone.
import type { Action } from '../../../functions/core/model.js';
import type { NotificationChannel } from '../../../functions/core/ports.js';
import { DEFAULT_SLA_MINUTES } from '../../../functions/core/reminders.js';
import { type ReminderPorts, remindOverdue } from '../../../functions/services/reminders.js';
import { makeAction, makeInvestigation, T0 } from '../../fixtures/actions.js';
import { recordingChannel } from '../../support/notify-fakes.js';

const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const channel = recordingChannel;

function portsFor(actions: Action[], channels: NotificationChannel[], escalation = {}) {
  const levels = new Map<string, number>();
  let now = T0;
  const ports: ReminderPorts & { at(n: number): void } = {
    at: (n) => {
      now = minutes(n);
    },
    actions: {
      pendingOldestFirst: async () =>
        actions.map((action) => ({ action, notifiedLevel: levels.get(action.id) ?? 0 })),
      markNotified: async (id, level) => {
        if ((levels.get(id) ?? 0) >= level) return false;
        levels.set(id, level);
        return true;
      },
    },
    investigations: {
      get: async (id: string) => ({
        investigation: makeInvestigation({ id, title: 'Dropper on a laptop', severity: 'high' }),
        evidence: [],
        actions,
      }),
    },
    channels,
    links: {
      key: 'unit-reminder-link-key-0123456789abcdef',
      ttlHours: 24,
      publicUrl: 'https://ac.example.com',
    },
    clock: () => now,
    sla: DEFAULT_SLA_MINUTES,
    escalation,
  };
  return ports;
}

describe('remindOverdue', () => {
  const critical = (alertId = `alert-${Math.random()}`) =>
    makeAction({
      createdAt: T0.toISOString(),
      severity: 'critical',
      alertId,
      targetId: `t-${Math.random()}`,
    });

  it('reminds every channel once past the SLA, one message per investigation', async () => {
    const first = critical();
    const second = critical(first.alertId);
    const webhook = channel('webhook');
    const slack = channel('slack');
    const ports = portsFor([first, second], [webhook, slack]);

    ports.at(10);
    const early = await remindOverdue(ports);
    ports.at(16);
    const due = await remindOverdue(ports);
    const again = await remindOverdue(ports);

    expect(early.messages).toBe(0);
    expect(due).toEqual({ messages: 1, failed: 0 });
    expect(again.messages).toBe(0);
    expect(webhook.sent).toHaveLength(1);
    expect(webhook.sent[0]).toMatchObject({ event: 'Reminder' });
    expect(webhook.sent[0]?.actions.map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
    expect(slack.sent).toHaveLength(1);
  });

  it('escalates along the severity order, one channel a period, and stops at its end', async () => {
    const action = critical();
    const slack = channel('slack');
    const teams = channel('teams');
    const ports = portsFor([action], [slack, teams], { critical: ['slack', 'teams'] });

    for (const at of [16, 31, 46, 61]) {
      ports.at(at);
      await remindOverdue(ports);
    }

    expect(slack.sent.map((m) => m.event)).toEqual(['Reminder']);
    expect(teams.sent.map((m) => m.event)).toEqual(['Escalation']);
  });

  it('sends nothing without channels', async () => {
    const ports = portsFor([critical()], []);
    ports.at(100);

    expect(await remindOverdue(ports)).toEqual({ messages: 0, failed: 0 });
  });
});
