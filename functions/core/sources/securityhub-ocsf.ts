// AWS Security Hub findings in OCSF (Detection Finding, class_uid 2004), as the 2025 Security Hub
// sends them on EventBridge: source `aws.securityhub`, detail-type `Findings Imported V2`.
import * as z from 'zod';
import type { Entity, Severity } from '../model.js';
import { clip } from '../text.js';
import {
  alertIdFor,
  inferVerdicts,
  isoTime,
  isThreat,
  placedOnDevices,
  problemsOf,
  shortText,
  unremediableReason,
} from './aws-finding.js';
import { entitiesOf, resourceTypes } from './securityhub-ocsf-evidence.js';
import type { AlertSource, SourceEvent, SourceMapping } from './source.js';

const items = z.array(z.unknown()).nullish();
const Finding = z.looseObject({
  class_uid: z.literal(2004),
  severity_id: z.number().int().min(0).max(99),
  finding_info: z.looseObject({
    uid: z.string().min(1),
    title: z.string().nullish(),
    types: z.array(z.string()).nullish(),
    src_url: z.string().nullish(),
    first_seen_time_dt: z.string().nullish(),
    created_time_dt: z.string().nullish(),
    first_seen_time: z.number().nullish(),
    created_time: z.number().nullish(),
  }),
  status: z.string().nullish(),
  status_id: z.number().int().nullish(),
  activity_id: z.number().int().nullish(),
  metadata: z
    .looseObject({ product: z.looseObject({ name: z.string().nullish() }).nullish() })
    .nullish(),
  cloud: z
    .looseObject({
      region: z.string().nullish(),
      account: z.looseObject({ uid: z.string().nullish() }).nullish(),
    })
    .nullish(),
  time_dt: z.string().nullish(),
  time: z.number().nullish(),
  resources: items,
  evidences: items,
});
type Finding = z.infer<typeof Finding>;

/** OCSF severity_id: 0 unknown, 1 informational ... 5 critical, 6 fatal, 99 other. */
const SEVERITY_OF_ID: Record<number, Severity> = {
  0: 'informational',
  1: 'informational',
  2: 'low',
  3: 'medium',
  4: 'high',
  5: 'critical',
  6: 'critical',
  99: 'informational',
};
/** OCSF status_id 3 Suppressed, 4 Resolved, 5 Archived; activity_id 3 Close. */
const CLOSED_STATUS = new Set(['Suppressed', 'Resolved', 'Archived']);
const CLOSED_STATUS_ID = new Set([3, 4, 5]);

function isClosed(finding: Finding): boolean {
  return (
    CLOSED_STATUS.has(finding.status ?? '') ||
    CLOSED_STATUS_ID.has(finding.status_id ?? 0) ||
    finding.activity_id === 3
  );
}

function noActionReasonOf(
  finding: Finding,
  types: string[],
  entities: Entity[],
): string | undefined {
  const what = clip(types[0] ?? finding.finding_info.uid, 200);
  if (isClosed(finding)) {
    return `Security Hub finding ${what} is closed (${clip(finding.status ?? 'Close', 40)}), so there is nothing to remediate.`;
  }
  return unremediableReason(what, types, entities, resourceTypes(finding));
}

function mapFinding(raw: unknown): SourceMapping {
  const result = Finding.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      reason: 'The Security Hub finding is not an OCSF Detection Finding.',
      problems: problemsOf(result.error.issues, 'detail.findings.0'),
    };
  }
  const finding = result.data;
  const info = finding.finding_info;
  const detectedAt =
    isoTime(info.first_seen_time_dt) ??
    isoTime(info.created_time_dt) ??
    isoTime(info.first_seen_time) ??
    isoTime(info.created_time) ??
    isoTime(finding.time_dt) ??
    isoTime(finding.time);
  if (!detectedAt) {
    return {
      ok: false,
      reason: 'The Security Hub finding has no usable time.',
      problems: ['detail.findings.0.finding_info.created_time_dt: expected an ISO 8601 time'],
    };
  }
  const types = info.types ?? [];
  // A Detection Finding is a detection: only a typed posture check or a closed one proposes nothing.
  const actionable = !isClosed(finding) && (types.length === 0 || isThreat(types));
  const entities = actionable
    ? placedOnDevices(entitiesOf(finding, inferVerdicts(types)), {
        accountId: finding.cloud?.account?.uid,
        region: finding.cloud?.region,
      })
    : [];
  const product = shortText(finding.metadata?.product?.name, 256);
  const link =
    info.src_url?.startsWith('https://') && info.src_url.length <= 2048 ? info.src_url : undefined;
  const noActionReason = noActionReasonOf(finding, types, entities);
  return {
    ok: true,
    alert: {
      alertId: alertIdFor('securityhub-ocsf', info.uid),
      title: clip(shortText(info.title) ?? types[0] ?? info.uid, 1024),
      severity: SEVERITY_OF_ID[finding.severity_id] ?? 'informational',
      detectionSource: clip(`AWS Security Hub (${product ?? 'unknown product'})`, 256),
      detectedAt,
      entities,
    },
    origin: {
      source: 'securityhub-ocsf',
      findingId: clip(info.uid, 1024),
      ...(product && { product }),
      ...(link && { link }),
    },
    ...(noActionReason && { noActionReason }),
  };
}

/** OCSF severity_id for each of our severities (the floor of the rule). */
const SEVERITY_ID_OF: Record<Severity, number> = {
  informational: 1,
  low: 2,
  medium: 3,
  high: 4,
  critical: 5,
};

export const securityHubOcsfSource: AlertSource = {
  id: 'securityhub-ocsf',
  eventSource: 'aws.securityhub',
  detailTypes: ['Findings Imported V2'],
  ruleDetail(minSeverity) {
    return {
      findings: {
        status: ['New'],
        // Security Hub treats a finding whose activity_name is not Close as active.
        activity_name: [{ 'anything-but': 'Close' }],
        ...(minSeverity !== 'informational' && {
          severity_id: [{ numeric: ['>=', SEVERITY_ID_OF[minSeverity]] }],
        }),
      },
    };
  },
  map(event: SourceEvent) {
    const detail = event.detail;
    const findings =
      typeof detail === 'object' && detail !== null
        ? (detail as { findings?: unknown }).findings
        : undefined;
    if (!Array.isArray(findings) || findings.length === 0) {
      return {
        ok: false,
        reason: 'The Security Hub event carries no finding.',
        problems: ['detail.findings: expected an array with at least one OCSF finding'],
      };
    }
    return mapFinding(findings[0]);
  },
};
