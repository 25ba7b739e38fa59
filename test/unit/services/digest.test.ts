// The daily digest on a fake clock: from its UTC hour on, once a day, one Digest message to every
// channel with how many actions wait and the oldest of them, each with a decision link; nothing
// while nothing waits, or when it is turned off.
import { verifyLink } from '../../../functions/core/decision-links.js';
import type { Action } from '../../../functions/core/model.js';
import { DIGEST_ACTIONS } from '../../../functions/core/notification-messages.js';
import { pendingStatsOf } from '../../../functions/core/pending-stats.js';
import type { NotificationChannel } from '../../../functions/core/ports.js';
import { type DigestPorts, sendDigest } from '../../../functions/services/digest.js';
import { makeAction } from '../../fixtures/actions.js';
import { memoryClaims, recordingChannel } from '../../support/notify-fakes.js';

const KEY = 'unit-digest-link-key-0123456789abcdef';

const channel = recordingChannel;

/** Ports over `pending` (oldest first), the clock set with `at`. */
function portsFor(pending: Action[], channels: NotificationChannel[], digestHour?: number) {
  const claims = memoryClaims();
  let now = new Date('2026-12-02T07:59:00.000Z');
  const ports: DigestPorts & { at(iso: string): void } = {
    at: (iso) => {
      now = new Date(iso);
    },
    actions: {
      pendingOldestFirst: async (_now, limit) =>
        pending.slice(0, limit).map((action) => ({ action, notifiedLevel: 0 })),
      pendingStats: async (at) => pendingStatsOf(pending, at),
    },
    claims,
    channels,
    links: { key: KEY, ttlHours: 24, publicUrl: 'https://ac.example.com' },
    clock: () => now,
    digestHour,
  };
  return ports;
}

const pendingSince = (iso: string, investigation: string) =>
  makeAction({ createdAt: iso, alertId: investigation, targetId: `t-${Math.random()}` });

describe('sendDigest', () => {
  it('sends one Digest to every channel from its hour on, once a UTC day', async () => {
    const older = pendingSince('2026-12-01T09:00:00.000Z', 'alert-a');
    const newer = pendingSince('2026-12-01T20:00:00.000Z', 'alert-b');
    const webhook = channel('webhook');
    const slack = channel('slack');
    const ports = portsFor([older, newer], [webhook, slack], 8);

    const early = await sendDigest(ports);
    ports.at('2026-12-02T08:00:00.000Z');
    const due = await sendDigest(ports);
    ports.at('2026-12-02T16:00:00.000Z');
    const later = await sendDigest(ports);
    ports.at('2026-12-03T08:05:00.000Z');
    const nextDay = await sendDigest(ports);

    expect(early.messages).toBe(0);
    expect(due).toEqual({ messages: 1, failed: 0 });
    expect(later.messages).toBe(0);
    expect(nextDay.messages).toBe(1);
    expect(slack.sent).toHaveLength(2);
    const [digest] = webhook.sent;
    expect(digest).toMatchObject({
      event: 'Digest',
      pendingTotal: 2,
      sentAt: '2026-12-02T08:00:00.000Z',
    });
    expect(digest?.investigation).toBeUndefined();
    expect(digest?.actions.map((a) => [a.id, a.investigationId])).toEqual([
      [older.id, older.investigationId],
      [newer.id, newer.investigationId],
    ]);
    for (const a of digest?.actions ?? []) {
      const token = a.link.split('#/decide/')[1] as string;
      expect(verifyLink(token, KEY).actionId).toBe(a.id);
    }
  });

  it('lists the oldest actions only, and says how many wait in all', async () => {
    const pending = Array.from({ length: DIGEST_ACTIONS + 5 }, (_, i) =>
      pendingSince(
        new Date(Date.parse('2026-12-01T00:00:00.000Z') + i * 60_000).toISOString(),
        'alert-many',
      ),
    );
    const webhook = channel('webhook');
    const ports = portsFor(pending, [webhook], 8);
    ports.at('2026-12-02T09:00:00.000Z');

    await sendDigest(ports);

    expect(webhook.sent[0]?.pendingTotal).toBe(DIGEST_ACTIONS + 5);
    expect(webhook.sent[0]?.actions).toHaveLength(DIGEST_ACTIONS);
    expect(webhook.sent[0]?.actions[0]?.id).toBe(pending[0]?.id);
  });

  it('waits, on a day nothing waits at its hour, for the first run that finds an action waiting', async () => {
    const webhook = channel('webhook');
    const pending: Action[] = [];
    const ports = portsFor(pending, [webhook], 8);
    ports.at('2026-12-02T08:00:00.000Z');

    const empty = await sendDigest(ports);
    const late = pendingSince('2026-12-02T08:30:00.000Z', 'alert-late');
    pending.push(late);
    ports.at('2026-12-02T09:00:00.000Z');
    const later = await sendDigest(ports);
    ports.at('2026-12-02T09:05:00.000Z');
    const again = await sendDigest(ports);

    expect([empty.messages, later.messages, again.messages]).toEqual([0, 1, 0]);
    expect(webhook.sent.map((m) => m.actions.map((a) => a.id))).toEqual([[late.id]]);
  });

  it('sends nothing when NOTIFY_DIGEST_HOUR is off', async () => {
    const webhook = channel('webhook');
    const ports = portsFor([pendingSince('2026-12-01T09:00:00.000Z', 'alert-off')], [webhook]);
    ports.at('2026-12-02T12:00:00.000Z');

    expect((await sendDigest(ports)).messages).toBe(0);
    expect(webhook.sent).toEqual([]);
  });
});
