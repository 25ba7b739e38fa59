// The daily digest: once a UTC day, at the first run from NOTIFY_DIGEST_HOUR on that finds actions
// waiting for a decision, every channel gets one Digest message: how many wait in all, and the
// oldest (at most DIGEST_ACTIONS) each with a fresh decision link. Run on the notifier's schedule
// with the reminders; the day's send is recorded after it (a run cut short before the record sends
// it again: at least once), so the runs after it that day send nothing.

import { SEVERITIES } from '../core/model.js';
import { DIGEST_ACTIONS } from '../core/notification-messages.js';
import type { ActionStore, NotificationClaims } from '../core/ports.js';
import { deliver, type NotifyPorts, type NotifySummary, notifiedActions } from './notify.js';

export interface DigestPorts extends Omit<NotifyPorts, 'investigations'> {
  actions: Pick<ActionStore, 'pendingOldestFirst' | 'pendingStats'>;
  claims: NotificationClaims;
  /** The UTC hour from which the day's digest goes out; undefined: no digest. */
  digestHour: number | undefined;
}

/** How long a day's record is kept: past the day. */
const KEEP_DAYS = 2;

export async function sendDigest(ports: DigestPorts): Promise<NotifySummary> {
  const summary: NotifySummary = { messages: 0, failed: 0 };
  const now = ports.clock();
  if (ports.channels.length === 0 || ports.digestHour === undefined) return summary;
  if (now.getUTCHours() < ports.digestHour) return summary;
  const key = `digest#${now.toISOString().slice(0, 10)}`;
  if (await ports.claims.wasSent(key)) return summary;
  const stats = await ports.actions.pendingStats(now);
  const total = SEVERITIES.reduce((sum, s) => sum + stats[s].count, 0);
  // Nothing waits: nothing to say yet; a later run that day sends it if something comes to wait.
  if (total === 0) return summary;
  const oldest = await ports.actions.pendingOldestFirst(now, DIGEST_ACTIONS);
  if (oldest.length === 0) return summary;
  summary.messages = 1;
  summary.failed = await deliver(ports.channels, {
    event: 'Digest',
    actions: notifiedActions(
      ports,
      oldest.map((o) => o.action),
      now,
    ),
    pendingTotal: Math.max(total, oldest.length),
    sentAt: now.toISOString(),
  });
  await ports.claims.claim(key, new Date(now.getTime() + KEEP_DAYS * 86_400_000).toISOString());
  return summary;
}
