// The project's own alert format (`Security Alert` events): the alert is the event's detail.
import { parseAlert } from '../alert.js';
import type { AlertDetail, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import type { AlertSource } from './source.js';

export const ACTION_CENTER_DETAIL_TYPE = 'Security Alert';

/** Our severities at or above `floor`, for a rule's pattern. */
export function severitiesFrom(floor: Severity): Severity[] {
  return SEVERITIES.slice(SEVERITIES.indexOf(floor));
}

/** The adapter of our own events, under the configured `source` (ALERT_SOURCE). */
export function actionCenterSource(eventSource: string): AlertSource {
  return {
    id: 'actioncenter',
    eventSource,
    detailTypes: [ACTION_CENTER_DETAIL_TYPE],
    ruleDetail: (minSeverity) =>
      minSeverity === 'informational' ? undefined : { severity: severitiesFrom(minSeverity) },
    map(event) {
      const parsed = parseAlert(event.detail);
      if (!parsed.ok) {
        return {
          ok: false,
          reason: 'The event detail is not a valid alert',
          problems: parsed.problems,
        };
      }
      const alert: AlertDetail = parsed.alert;
      return { ok: true, alert, origin: { source: 'actioncenter', findingId: alert.alertId } };
    },
  };
}
