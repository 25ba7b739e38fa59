// Bringing new pending actions to people: one ActionsPending message per investigation for the
// actions that became pending together (a batch of the table's stream in AWS, of the local
// runtime's writes), to every configured channel, each action with its decision link. A batch is
// recorded once sent, so a retried trigger does not send it again (a run cut short before the
// record sends it again: at least once); a channel that does not take it is logged and counted
// (NotificationsFailed), never silently dropped.
import { createHash } from 'node:crypto';
import { presentAction } from '../core/action-status.js';
import { NotFoundError } from '../core/errors.js';
import { investigationIdOf } from '../core/ids.js';
import type { Action } from '../core/model.js';
import type {
  NotificationEvent,
  NotificationMessage,
  NotifiedAction,
} from '../core/notification-messages.js';
import type {
  Clock,
  InvestigationStore,
  NotificationChannel,
  NotificationClaims,
} from '../core/ports.js';
import { countMetric, logger } from '../observability.js';
import { forEachLimited } from './limited.js';
import { type LinkSettings, linkFor } from './links.js';

export interface NotifyPorts {
  investigations: Pick<InvestigationStore, 'get'>;
  claims: NotificationClaims;
  channels: readonly NotificationChannel[];
  links: LinkSettings;
  clock: Clock;
}

export interface NotifySummary {
  /** Messages sent (one per investigation and batch), and channel deliveries that failed. */
  messages: number;
  failed: number;
}

/** Investigations notified at once. */
const NOTIFY_CONCURRENCY = 8;

/** How long a batch's claim is kept: past any retry of its trigger. */
const CLAIM_DAYS = 8;

function claimKeyOf(investigationId: string, actions: readonly Action[]): string {
  const ids = actions.map((a) => a.id).sort();
  return createHash('sha256')
    .update(`${investigationId}\n${ids.join('\n')}`)
    .digest('base64url');
}

/** The actions as a message lists them, each with a new decision link. */
export function notifiedActions(
  ports: Pick<NotifyPorts, 'links'>,
  actions: readonly Action[],
  now: Date,
): NotifiedAction[] {
  return actions.map((a) => ({
    id: a.id,
    investigationId: a.investigationId,
    type: a.type,
    target: a.target.displayName,
    severity: a.severity,
    expiresAt: a.expiresAt,
    link: linkFor(ports.links, a, now).url,
  }));
}

/** A message about an investigation's actions, each with a new decision link. */
export function messageOf(
  ports: Pick<NotifyPorts, 'links'>,
  event: NotificationEvent,
  investigation: { id: string; title: string; severity: Action['severity'] },
  actions: readonly Action[],
  now: Date,
): NotificationMessage {
  return {
    event,
    investigation: {
      id: investigation.id,
      title: investigation.title,
      severity: investigation.severity,
    },
    actions: notifiedActions(ports, actions, now),
    sentAt: now.toISOString(),
  };
}

/** Sends to every channel; answers how many did not take it. */
export async function deliver(
  channels: readonly NotificationChannel[],
  message: NotificationMessage,
): Promise<number> {
  const results = await Promise.allSettled(channels.map((c) => c.send(message)));
  let failed = 0;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      countMetric('NotificationsSent');
      return;
    }
    failed += 1;
    countMetric('NotificationsFailed');
    const error = result.reason as { name?: string; reason?: string; attempts?: number };
    logger.error('Notification not delivered', {
      channel: channels[i]?.name,
      event: message.event,
      investigationId: message.investigation?.id,
      actionIds: message.actions.map((a) => a.id),
      errorName: error?.name,
      reason: error?.reason,
      attempts: error?.attempts,
    });
  });
  return failed;
}

/** Notifies the actions (by id) that became pending, grouped by investigation. */
export async function notifyPending(
  ports: NotifyPorts,
  actionIds: readonly string[],
): Promise<NotifySummary> {
  const summary: NotifySummary = { messages: 0, failed: 0 };
  if (ports.channels.length === 0 || actionIds.length === 0) return summary;
  const byInvestigation = new Map<string, Set<string>>();
  for (const id of actionIds) {
    const investigationId = investigationIdOf(id);
    byInvestigation.set(
      investigationId,
      (byInvestigation.get(investigationId) ?? new Set()).add(id),
    );
  }
  // Investigations at once: a slow channel's retries hold one message, not the whole batch.
  await forEachLimited([...byInvestigation], NOTIFY_CONCURRENCY, async ([investigationId, ids]) => {
    let read: Awaited<ReturnType<InvestigationStore['get']>>;
    try {
      read = await ports.investigations.get(investigationId);
    } catch (error) {
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const now = ports.clock();
    // Decided or lapsed in the meantime: nothing to ask anyone.
    const pending = read.actions.filter(
      (a) => ids.has(a.id) && presentAction(a, now).status === 'Pending',
    );
    if (pending.length === 0) return;
    // Recorded after the send: a run cut short in between sends it again (at least once).
    const key = claimKeyOf(investigationId, pending);
    if (await ports.claims.wasSent(key)) return;
    const message = messageOf(ports, 'ActionsPending', read.investigation, pending, now);
    summary.messages += 1;
    summary.failed += await deliver(ports.channels, message);
    const keepUntil = new Date(now.getTime() + CLAIM_DAYS * 86_400_000).toISOString();
    await ports.claims.claim(key, keepUntil);
  });
  return summary;
}
