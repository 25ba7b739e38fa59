// The EventBridge rules that route alerts to ingest: one per enabled source, the same patterns for
// the CDK rules and the local EventBridge stand-in, so both accept exactly the same events.
import type { Severity } from '../core/model.js';
import { ACTION_CENTER_DETAIL_TYPE } from '../core/sources/actioncenter.js';
import { enabledSources, type SourceSettings } from '../core/sources/index.js';
import type { SourceId } from '../core/sources/source.js';
import { type EventPattern, matchesPattern } from './event-pattern.js';

export const DEFAULT_ALERT_SOURCE = 'actioncenter.alerts';
/** The bus the alert rules listen on, unless configured (CDK's eventBusName, the runtime's EVENT_BUS_NAME). */
export const DEFAULT_EVENT_BUS_NAME = 'default';
export const ALERT_DETAIL_TYPE = ACTION_CENTER_DETAIL_TYPE;

export interface AlertRule {
  source: SourceId;
  /**
   * `default`: AWS services (GuardDuty, Security Hub) send their events to the default bus only.
   * `configured`: our own events and the Defender poller's, on the configured bus.
   */
  bus: 'default' | 'configured';
  pattern: EventPattern;
}

/** The rules of the enabled sources, each with its pattern (severity floor and state filters included). */
export function alertRules(settings: SourceSettings): AlertRule[] {
  return enabledSources(settings).map((source) => {
    const detail = source.ruleDetail?.(settings.minSeverity);
    return {
      source: source.id,
      bus: source.eventSource.startsWith('aws.') ? 'default' : 'configured',
      pattern: {
        source: [source.eventSource],
        'detail-type': [...source.detailTypes],
        ...(detail && { detail: detail as EventPattern }),
      },
    };
  });
}

/** The pattern of our own alert events under `source`, every severity. */
export function alertRulePattern(source: string = DEFAULT_ALERT_SOURCE): EventPattern {
  return { source: [source], 'detail-type': [ALERT_DETAIL_TYPE] };
}

/** The default source settings: every source, nothing filtered by severity. */
export function defaultSourceSettings(
  alertSource: string = DEFAULT_ALERT_SOURCE,
  minSeverity: Severity = 'informational',
): SourceSettings {
  return {
    alertSource,
    enabled: ['actioncenter', 'guardduty', 'securityhub', 'securityhub-ocsf', 'defender'],
    minSeverity,
  };
}

/**
 * Whether an event put on `busName` reaches ingest: a rule on that bus matches it. `configuredBus`
 * is the bus our own rules listen on.
 */
export function routesToIngest(
  event: unknown,
  rules: readonly AlertRule[],
  busName: string,
  configuredBus: string,
): boolean {
  return rules.some(
    (rule) =>
      (rule.bus === 'default' ? DEFAULT_EVENT_BUS_NAME : configuredBus) === busName &&
      matchesPattern(rule.pattern, event),
  );
}
