// The EventBridge rule that routes alerts to ingest: one pattern, used by the CDK rule and by the
// local EventBridge stand-in, so both accept exactly the same events.

export const DEFAULT_ALERT_SOURCE = 'actioncenter.alerts';
/** The bus the alert rule listens on, unless configured (CDK's eventBusName, the runtime's EVENT_BUS_NAME). */
export const DEFAULT_EVENT_BUS_NAME = 'default';
export const ALERT_DETAIL_TYPE = 'Security Alert';

/** An EventBridge event pattern (the JSON form EventBridge stores). */
export interface AlertRulePattern {
  source: string[];
  'detail-type': string[];
}

export function alertRulePattern(source: string = DEFAULT_ALERT_SOURCE): AlertRulePattern {
  return { source: [source], 'detail-type': [ALERT_DETAIL_TYPE] };
}

/** The same pattern as CDK's `EventPattern` (camel-case keys). */
export function alertEventPattern(source: string = DEFAULT_ALERT_SOURCE): {
  source: string[];
  detailType: string[];
} {
  const pattern = alertRulePattern(source);
  return { source: pattern.source, detailType: pattern['detail-type'] };
}

/** Whether an event matches the pattern (exact values, as this pattern uses). */
export function matchesAlertRule(
  event: { source?: unknown; 'detail-type'?: unknown },
  pattern: AlertRulePattern = alertRulePattern(),
): boolean {
  return (
    typeof event.source === 'string' &&
    pattern.source.includes(event.source) &&
    typeof event['detail-type'] === 'string' &&
    pattern['detail-type'].includes(event['detail-type'])
  );
}
