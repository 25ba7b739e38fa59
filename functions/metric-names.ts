// The business metrics the functions publish, by name: the functions emit them through
// observability.ts and the CDK alarms read them, so a name lives in one place. No imports: CDK
// reads this file without loading the Powertools clients.

/** The CloudWatch namespace every business metric is published in. */
export const METRICS_NAMESPACE = 'ActionCenter';

/** The `service` dimension Powertools adds to every metric, unless POWERTOOLS_SERVICE_NAME says otherwise. */
export const DEFAULT_SERVICE_NAME = 'action-center';

/** Events counted once per occurrence (unit Count). */
export type CountMetric =
  | 'AlertsIngested'
  | 'AlertsRejected'
  | 'AlertsUpdated'
  | 'ActionsProposed'
  | 'ActionsApproved'
  | 'ActionsRejected'
  | 'ActionsExpired'
  | 'RemediationsCompleted'
  | 'RemediationsFailed'
  | 'CallbacksFailed'
  | 'ActionsClosedByExecutionEnd'
  | 'DefenderAlertsPublished'
  | 'DefenderAlertPages'
  | 'DefenderAlertsTooLarge'
  | 'MicrosoftThrottled'
  | 'NotificationsSent'
  | 'NotificationsFailed';

/** Levels measured on each run (unit Seconds). */
export type AgeMetric = 'OldestPendingActionAge';

/** Levels measured on each run for each severity (dimension `severity`): a Count, or Seconds for the age. */
export type SeverityMetric = 'PendingActions' | 'OldestPendingActionAge';

export type MetricName = CountMetric | AgeMetric | SeverityMetric;
