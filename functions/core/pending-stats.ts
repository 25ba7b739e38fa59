// What waits for a decision, by severity: how many actions and how long the oldest has waited.
// The reconciler publishes it as CloudWatch metrics (alarms on each severity's SLA); the local
// runtime serves it at GET /api/metrics in the Prometheus text format.
import { SEVERITIES, type Severity } from './model.js';
import type { SlaMinutes } from './reminders.js';

export interface PendingLevel {
  count: number;
  /** 0 when none waits. */
  oldestAgeSeconds: number;
}

export type PendingStats = Record<Severity, PendingLevel>;

/** The stats of the pending actions given (each its severity and when it became pending). */
export function pendingStatsOf(
  pending: Iterable<{ severity: Severity; createdAt: string }>,
  now: Date,
): PendingStats {
  const stats = Object.fromEntries(
    SEVERITIES.map((s) => [s, { count: 0, oldestAgeSeconds: 0 }]),
  ) as PendingStats;
  for (const { severity, createdAt } of pending) {
    const level = stats[severity];
    if (!level) continue;
    level.count += 1;
    const age = Math.max(0, Math.round((now.getTime() - Date.parse(createdAt)) / 1000));
    if (age > level.oldestAgeSeconds) level.oldestAgeSeconds = age;
  }
  return stats;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const gauge = (name: string, help: string, values: [Severity, number][]) => [
  `# HELP ${name} ${help}`,
  `# TYPE ${name} gauge`,
  ...values.map(([severity, value]) => `${name}{severity="${severity}"} ${value}`),
];

/** The stats, with each severity's SLA, in the Prometheus text exposition format (0.0.4). */
export function prometheusText(stats: PendingStats, sla: SlaMinutes): string {
  const each = (f: (s: Severity) => number) =>
    SEVERITIES.map((s) => [s, f(s)] as [Severity, number]);
  return [
    ...gauge(
      'action_center_pending_actions',
      'Actions waiting for a decision.',
      each((s) => stats[s].count),
    ),
    ...gauge(
      'action_center_oldest_pending_action_age_seconds',
      'How long the oldest action waiting for a decision has waited (0 when none waits).',
      each((s) => stats[s].oldestAgeSeconds),
    ),
    ...gauge(
      'action_center_pending_sla_seconds',
      'How long an action may wait before its reminder (NOTIFY_SLA_MINUTES).',
      each((s) => sla[s] * 60),
    ),
    '',
  ].join('\n');
}
