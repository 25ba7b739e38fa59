// AWS Security Hub findings in the AWS Security Finding Format (ASFF): GuardDuty, Inspector,
// Macie and partner products relayed as `Security Hub Findings - Imported`.
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
  SEVERITY_LABELS,
  SEVERITY_ORDER,
  shortText,
  unremediableReason,
  validRegion,
} from './aws-finding.js';
import { entitiesOf, resourceTypes } from './securityhub-asff-evidence.js';
import type { AlertSource, SourceEvent, SourceMapping } from './source.js';

const items = z.array(z.unknown()).optional();
const Finding = z.looseObject({
  Id: z.string().min(1),
  Title: z.string().optional(),
  Types: z.array(z.string()).optional(),
  Severity: z.looseObject({ Label: z.string().optional(), Normalized: z.number().optional() }),
  CreatedAt: z.string().min(1),
  FirstObservedAt: z.string().optional(),
  ProductName: z.string().optional(),
  ProductArn: z.string().optional(),
  ProductFields: z.record(z.string(), z.unknown()).optional(),
  Region: z.string().optional(),
  AwsAccountId: z.string().optional(),
  SourceUrl: z.string().optional(),
  RecordState: z.string().optional(),
  Workflow: z.looseObject({ Status: z.string().optional() }).optional(),
  Sample: z.boolean().optional(),
  Resources: items,
  Malware: items,
  Threats: items,
  ThreatIntelIndicators: items,
  Process: z.unknown().optional(),
  Network: z.unknown().optional(),
  Action: z.unknown().optional(),
});
type Finding = z.infer<typeof Finding>;

/** Findings that are closed on Security Hub's side: nothing to remediate any more. */
const CLOSED_WORKFLOW = new Set(['RESOLVED', 'SUPPRESSED']);

function severityOf(finding: Finding): Severity | undefined {
  const label = finding.Severity.Label?.toUpperCase();
  if (label && SEVERITY_LABELS[label]) return SEVERITY_LABELS[label];
  const n = finding.Severity.Normalized;
  if (n === undefined) return undefined;
  // ASFF's documented ranges from Normalized to Label.
  if (n >= 90) return 'critical';
  if (n >= 70) return 'high';
  if (n >= 40) return 'medium';
  if (n >= 1) return 'low';
  return 'informational';
}

function productOf(finding: Finding): string | undefined {
  const relayed = finding.ProductFields?.['aws/securityhub/ProductName'];
  const fromArn = finding.ProductArn?.split('/').pop();
  return shortText(finding.ProductName ?? relayed ?? fromArn, 256);
}

function linkOf(finding: Finding): string | undefined {
  if (finding.SourceUrl?.startsWith('https://') && finding.SourceUrl.length <= 2048) {
    return finding.SourceUrl;
  }
  const region = validRegion(finding.Region);
  if (!region) return undefined;
  // The Security Hub console's findings list filtered on this finding's Id.
  const filter = encodeURIComponent(`Id=\\operator\\:EQUALS\\:${finding.Id}`);
  const link = `https://${region}.console.aws.amazon.com/securityhub/home?region=${region}#/findings?search=${filter}`;
  return link.length <= 2048 ? link : undefined;
}

function noActionReasonOf(
  finding: Finding,
  types: string[],
  entities: Entity[],
): string | undefined {
  const what = clip(types[0] ?? finding.Id, 200);
  if (finding.RecordState === 'ARCHIVED') {
    return `Security Hub finding ${what} is archived: its product no longer reports it, so there is nothing to remediate.`;
  }
  const workflow = finding.Workflow?.Status;
  if (workflow && CLOSED_WORKFLOW.has(workflow)) {
    return `Security Hub finding ${what} is ${workflow.toLowerCase()} in its workflow, so there is nothing to remediate.`;
  }
  return unremediableReason(what, types, entities, resourceTypes(finding));
}

/** Maps one ASFF finding (the first of the event's `detail.findings`). */
function mapFinding(raw: unknown): SourceMapping {
  const result = Finding.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      reason: 'The Security Hub finding is not a valid ASFF finding.',
      problems: problemsOf(result.error.issues, 'detail.findings.0'),
    };
  }
  const finding = result.data;
  const severity = severityOf(finding);
  const detectedAt = isoTime(finding.FirstObservedAt) ?? isoTime(finding.CreatedAt);
  const problems: string[] = [];
  if (!severity)
    problems.push(
      'detail.findings.0.Severity.Label: expected INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL',
    );
  if (!detectedAt) problems.push('detail.findings.0.CreatedAt: expected an ISO 8601 time');
  if (!severity || !detectedAt) {
    return {
      ok: false,
      reason: 'The Security Hub finding has no usable severity or time.',
      problems,
    };
  }
  const types = finding.Types ?? [];
  const closed =
    finding.RecordState === 'ARCHIVED' || CLOSED_WORKFLOW.has(finding.Workflow?.Status ?? '');
  const entities =
    closed || !isThreat(types)
      ? []
      : placedOnDevices(entitiesOf(finding, inferVerdicts(types)), {
          accountId: finding.AwsAccountId,
          region: finding.Region,
        });
  const product = productOf(finding) ?? 'unknown product';
  const link = linkOf(finding);
  const noActionReason = noActionReasonOf(finding, types, entities);
  return {
    ok: true,
    alert: {
      alertId: alertIdFor('securityhub', finding.Id),
      title: clip(shortText(finding.Title) ?? types[0] ?? finding.Id, 1024),
      severity,
      detectionSource: clip(`AWS Security Hub (${product})`, 256),
      detectedAt,
      entities,
    },
    origin: {
      source: 'securityhub',
      findingId: clip(finding.Id, 1024),
      ...(product !== 'unknown product' && { product }),
      ...(link && { link }),
      ...(finding.Sample === true && { sample: true }),
    },
    ...(noActionReason && { noActionReason }),
  };
}

function findingsOf(event: SourceEvent): unknown[] | undefined {
  const detail = event.detail;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const findings = (detail as { findings?: unknown }).findings;
  return Array.isArray(findings) ? findings : undefined;
}

/**
 * One event per finding. Security Hub sends one finding per `Imported` event, but custom
 * actions and hand-published events may carry several; ingest splits them before mapping.
 */
export function splitFindings(event: SourceEvent): SourceEvent[] {
  const findings = findingsOf(event);
  if (!findings || findings.length <= 1) return [event];
  const detail = event.detail as Record<string, unknown>;
  return findings.map((finding) => ({ ...event, detail: { ...detail, findings: [finding] } }));
}

const SEVERITY_LABEL_OF: Record<Severity, string> = {
  informational: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

export const securityHubAsffSource: AlertSource = {
  id: 'securityhub',
  eventSource: 'aws.securityhub',
  detailTypes: ['Security Hub Findings - Imported'],
  split: splitFindings,
  ruleDetail(minSeverity) {
    const labels = SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(minSeverity)).map(
      (s) => SEVERITY_LABEL_OF[s],
    );
    return {
      findings: {
        RecordState: ['ACTIVE'],
        Workflow: { Status: ['NEW', 'NOTIFIED'] },
        ...(minSeverity !== 'informational' && { Severity: { Label: labels } }),
      },
    };
  },
  map(event) {
    const findings = findingsOf(event);
    if (!findings || findings.length === 0) {
      return {
        ok: false,
        reason: 'The Security Hub event carries no finding.',
        problems: ['detail.findings: expected an array with at least one ASFF finding'],
      };
    }
    return mapFinding(findings[0]);
  },
};
