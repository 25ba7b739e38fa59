// Every key of the single table is built here.
import { createHash } from 'node:crypto';
import { investigationIdOf } from '../../core/ids.js';

export const keys = {
  investigation: (investigationId: string) => ({ pk: `INV#${investigationId}`, sk: 'INV' }),
  /** Actions live in their investigation's partition, so one Query reads both. */
  action: (actionId: string) => ({
    pk: `INV#${investigationIdOf(actionId)}`,
    sk: `ACTION#${actionId}`,
  }),
  actionPrefix: 'ACTION#',
  dedup: (dedupKey: string) => ({
    pk: `DEDUP#${createHash('sha256').update(dedupKey).digest('hex')}`,
    sk: 'DEDUP',
  }),
  /** What the built-in connector recorded for an action (its idempotency key is the action id). */
  connectorJournal: (actionId: string) => ({ pk: `JOURNAL#${actionId}`, sk: 'JOURNAL' }),
  /** What a target reported later about a running remediation (the webhook's callback). */
  remediationReport: (actionId: string) => ({ pk: `REPORT#${actionId}`, sk: 'REPORT' }),
  /** Who holds a domain blocked in a DNS Firewall domain list (the aws connector's blockUrl). */
  domainHold: (listId: string, domain: string) => ({
    pk: `BLOCK#${listId}#${domain}`,
    sk: 'BLOCK',
  }),
  /** Defender live response: the calls of the last minute and the sessions held, one item. */
  liveResponsePacing: { pk: 'LIVERESPONSE', sk: 'PACING' },
  /** An event of an enabled source that could not be mapped to an alert. */
  rejectedAlert: (id: string) => ({ pk: `REJECTED#${id}`, sk: 'REJECTED' }),
  /** The Defender alert poller's watermark and the walk in progress (its role may touch only this). */
  defenderPoller: { pk: 'POLLER#defender-alerts', sk: 'POLLER' },
  /** A batch of pending actions notified once (services/notify.ts), by its hash. */
  notificationBatch: (key: string) => ({ pk: `NOTIFIED#${key}`, sk: 'NOTIFIED' }),
  /** A decision link's use: its nonce, once (core/decision-links.ts). */
  decisionLink: (nonce: string) => ({ pk: `LINK#${nonce}`, sk: 'LINK' }),
  auditPartition: 'AUDIT',
  audit: (seq: number) => ({ pk: 'AUDIT', sk: `SEQ#${String(seq).padStart(12, '0')}` }),
  /** The one appender's lease: outside the AUDIT partition, whose reads are the chain. */
  auditAppender: { pk: 'AUDIT_APPENDER', sk: 'LEASE' },
  /** The chain's signed checkpoints: their own partition, by seq. */
  auditCheckpointPartition: 'AUDIT_CHECKPOINT',
  auditCheckpoint: (seq: number) => ({
    pk: 'AUDIT_CHECKPOINT',
    sk: `SEQ#${String(seq).padStart(12, '0')}`,
  }),
};

/** The outbox index's partition: actions that owe audit records. */
export const OUTBOX = 'AUDIT_OWED';

/** Values of the queue index's partition key. */
export const QUEUE = { pending: 'PENDING', callbackOwed: 'CALLBACK' } as const;

/** Values of the timeline index's partition key: one bucket per kind and UTC month. */
export const timeline = {
  history: (iso: string) => `HISTORY#${iso.slice(0, 7)}`,
  investigations: (iso: string) => `INVESTIGATIONS#${iso.slice(0, 7)}`,
  rejectedAlerts: (iso: string) => `REJECTED#${iso.slice(0, 7)}`,
  /** Month buckets from `to` back to `from`, newest first. */
  monthsBetween(fromIso: string, toIso: string): string[] {
    const months: string[] = [];
    let y = Number(toIso.slice(0, 4));
    let m = Number(toIso.slice(5, 7));
    const end = fromIso.slice(0, 7);
    for (;;) {
      const month = `${y}-${String(m).padStart(2, '0')}`;
      months.push(month);
      if (month <= end) return months;
      m -= 1;
      if (m === 0) [y, m] = [y - 1, 12];
    }
  },
};

export const epochSeconds = (date: Date | string) =>
  Math.floor((typeof date === 'string' ? Date.parse(date) : date.getTime()) / 1000);
