// Every alert source the Action Center reads, which of them are enabled, and which one an
// EventBridge event belongs to. The rule module (functions/ingest/rule.ts) and ingest both ask here.
import type { Severity } from '../model.js';
import { actionCenterSource } from './actioncenter.js';
import { defenderSource } from './defender.js';
import { guardDutySource } from './guardduty.js';
import { securityHubAsffSource } from './securityhub-asff.js';
import { securityHubOcsfSource } from './securityhub-ocsf.js';
import { type AlertSource, SOURCE_IDS, type SourceEvent, type SourceId } from './source.js';

export interface SourceSettings {
  /** The `source` of our own alert events (ALERT_SOURCE). */
  alertSource: string;
  /** The sources whose events start investigations (ALERT_SOURCES). */
  enabled: readonly SourceId[];
  /** Findings below this severity are not routed (MIN_ALERT_SEVERITY). */
  minSeverity: Severity;
}

export const ALL_SOURCES: readonly SourceId[] = SOURCE_IDS;

/** Every adapter, enabled or not, in a fixed order. */
function allSources(alertSource: string): AlertSource[] {
  return [
    actionCenterSource(alertSource),
    guardDutySource,
    securityHubAsffSource,
    securityHubOcsfSource,
    defenderSource,
  ];
}

/** The enabled sources' adapters. */
export function enabledSources(settings: Pick<SourceSettings, 'alertSource' | 'enabled'>) {
  return allSources(settings.alertSource).filter((s) => settings.enabled.includes(s.id));
}

/** The adapter an event belongs to (by its `source` and `detail-type`), among `sources`. */
export function sourceOf(
  event: Pick<SourceEvent, 'source' | 'detail-type'>,
  sources: readonly AlertSource[],
): AlertSource | undefined {
  return sources.find(
    (s) =>
      s.eventSource === event.source &&
      typeof event['detail-type'] === 'string' &&
      s.detailTypes.includes(event['detail-type']),
  );
}
