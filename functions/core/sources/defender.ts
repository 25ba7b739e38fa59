// Microsoft Defender XDR alerts (`actioncenter.defender` / `Defender XDR Alert`): the Graph
// security API `alert` (alerts_v2) resource as the detail, or the older incidents API alert.
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { AlertDetail, Entity, Severity } from '../model.js';
import { SEVERITIES } from '../model.js';
import { clip } from '../text.js';
import { DEFENDER_SEVERITIES, isoTime, productOf, severityOf } from './defender-evidence.js';
import { GraphAlert, graphEntities } from './defender-graph.js';
import { IncidentAlert, incidentEntities } from './defender-incidents.js';
import type { AlertSource, SourceEvent, SourceMapping } from './source.js';

const MAX_ENTITIES = 500;
const PORTAL = 'https://security.microsoft.com/alerts/';

/** Our alert id: `defender:<id>`, or a digest of an id too long to be one (kept in findingId). */
function alertIdOf(id: string): string {
  if (id.length <= 200) return `defender:${id}`;
  return `defender:${createHash('sha256').update(id).digest('hex').slice(0, 40)}`;
}

function httpsLink(value: string | null | undefined): string | undefined {
  if (!value || value.length > 2048) return undefined;
  try {
    return new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

function problemsOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(detail)'}: ${i.message}`);
}

interface Common {
  id: string;
  title: string | null | undefined;
  severity: string | null | undefined;
  serviceSource: string | null | undefined;
  detectedAt: string | undefined;
  /** The field that should have given `detectedAt`, named in the problem when none did. */
  timeField: string;
  link: string | undefined;
  entities: Entity[];
}

function mapped(common: Common): SourceMapping {
  if (!common.detectedAt) {
    return {
      ok: false,
      reason: 'The Defender alert has no time it was first seen or created.',
      problems: [`${common.timeField}: a date-time is required`],
    };
  }
  const product = productOf(common.serviceSource);
  const alert: AlertDetail = {
    alertId: alertIdOf(common.id),
    title: clip(common.title || `Defender alert ${common.id}`, 1024),
    severity: severityOf(common.severity),
    detectionSource: product,
    detectedAt: common.detectedAt,
    entities: common.entities,
  };
  const origin = {
    source: 'defender' as const,
    findingId: clip(common.id, 1024),
    product,
    ...(common.link && { link: common.link }),
  };
  const noActionReason = noActionReasonOf(common.entities);
  return { ok: true, alert, origin, ...(noActionReason && { noActionReason }) };
}

function noActionReasonOf(entities: Entity[]): string | undefined {
  if (entities.length === 0) {
    return 'The Defender alert carries no evidence the Action Center can remediate (only users, IP addresses, mailboxes or the like).';
  }
  const threat = entities.some((e) => e.verdict === 'malicious' || e.verdict === 'suspicious');
  if (!threat && entities.some((e) => e.remediationStatus !== undefined)) {
    return 'Defender already remediated, prevented or blocked the threats in this alert; nothing is left to propose.';
  }
  return undefined;
}

function mapGraph(detail: unknown, event: SourceEvent): SourceMapping {
  const parsed = GraphAlert.safeParse(detail);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'The detail is not a Microsoft Graph security alert.',
      problems: problemsOf(parsed.error),
    };
  }
  const a = parsed.data;
  return mapped({
    id: a.id,
    title: a.title,
    severity: a.severity,
    serviceSource: a.serviceSource,
    detectedAt:
      isoTime(a.firstActivityDateTime) ?? isoTime(a.createdDateTime) ?? isoTime(event.time),
    timeField: 'createdDateTime',
    link: httpsLink(a.alertWebUrl),
    entities: graphEntities(a, MAX_ENTITIES),
  });
}

function mapIncidentAlert(detail: unknown, event: SourceEvent): SourceMapping {
  const parsed = IncidentAlert.safeParse(detail);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'The detail is not a Defender XDR incidents API alert.',
      problems: problemsOf(parsed.error),
    };
  }
  const a = parsed.data;
  return mapped({
    id: a.alertId,
    title: a.title,
    severity: a.severity,
    serviceSource: a.serviceSource,
    detectedAt: isoTime(a.firstActivity) ?? isoTime(a.creationTime) ?? isoTime(event.time),
    timeField: 'creationTime',
    link: httpsLink(`${PORTAL}${encodeURIComponent(a.alertId)}`),
    entities: incidentEntities(a, MAX_ENTITIES),
  });
}

/** The incidents API alert is told apart by its `alertId` and `entities`; else it is Graph's. */
function isIncidentAlert(detail: object): boolean {
  return Object.hasOwn(detail, 'alertId') || Object.hasOwn(detail, 'entities');
}

/** Defender's names at or above the floor; none reach `critical`, so that floor routes nothing. */
function severitiesFrom(minSeverity: Severity): string[] {
  const names = SEVERITIES.slice(SEVERITIES.indexOf(minSeverity)).flatMap(
    (s) => DEFENDER_SEVERITIES[s],
  );
  return names.length > 0 ? names : ['critical'];
}

const ignoringCase = (values: string[]) => values.map((v) => ({ 'equals-ignore-case': v }));

export const defenderSource: AlertSource = {
  id: 'defender',
  eventSource: 'actioncenter.defender',
  detailTypes: ['Defender XDR Alert'],
  ruleDetail(minSeverity) {
    // Graph says new / inProgress / resolved; the incidents API New / InProgress / Active / Resolved.
    const pattern: Record<string, unknown> = {
      status: ignoringCase(['new', 'inProgress', 'active']),
    };
    if (minSeverity !== 'informational') {
      pattern.severity = ignoringCase(severitiesFrom(minSeverity));
    }
    return pattern;
  },
  map(event) {
    const detail = event.detail;
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return {
        ok: false,
        reason: 'The event has no Defender alert as its detail.',
        problems: ['(detail): expected an object'],
      };
    }
    return isIncidentAlert(detail) ? mapIncidentAlert(detail, event) : mapGraph(detail, event);
  },
};
