// Amazon GuardDuty findings (`aws.guardduty` / `GuardDuty Finding`) as investigations: the
// instance, files, process and domain a finding names, with GuardDuty's numeric severity on our
// scale. Findings about things the Action Center cannot remediate open an investigation that
// proposes nothing and says why.
import { createHash } from 'node:crypto';
import type { AlertDetail, Severity } from '../model.js';
import { clip } from '../text.js';
import { placedOnDevices } from './aws-finding.js';
import { evidenceOf } from './guardduty-evidence.js';
import { GuardDutyFinding } from './guardduty-finding.js';
import type { AlertOrigin, AlertSource, SourceEvent, SourceMapping } from './source.js';

const SOURCE = 'guardduty';
const MAX_ENTITIES = 500;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** GuardDuty's severity bands (Low 1-3.9, Medium 4-6.9, High 7-8.9, Critical 9-10). */
export function severityOf(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return 'low';
}

/** The lowest GuardDuty score at each of our severities; below medium nothing is filtered. */
const FLOOR: Record<Severity, number | undefined> = {
  informational: undefined,
  low: undefined,
  medium: 4,
  high: 7,
  critical: 9,
};

function alertIdOf(findingId: string): string {
  if (findingId.length <= 200) return `${SOURCE}:${findingId}`;
  return `${SOURCE}:${createHash('sha256').update(findingId).digest('hex').slice(0, 40)}`;
}

/** CreateSampleFindings marks samples in additionalInfo, as a field or inside its JSON `value`. */
function isSample(finding: GuardDutyFinding): boolean {
  const info = finding.service?.additionalInfo;
  if (info?.sample === true) return true;
  if (!info?.value || info.value.length > 65_536) return false;
  try {
    const value: unknown = JSON.parse(info.value);
    return typeof value === 'object' && value !== null && Reflect.get(value, 'sample') === true;
  } catch {
    return false;
  }
}

/** The finding in the GuardDuty console of its region (commercial partition only). */
function consoleLink(finding: GuardDutyFinding): string | undefined {
  const region = finding.region;
  if (!region || !REGION.test(region)) return undefined;
  if (finding.partition && finding.partition !== 'aws') return undefined;
  const search = encodeURIComponent(`id=${finding.id}`);
  const link = `https://${region}.console.aws.amazon.com/guardduty/home?region=${region}#/findings?search=${search}`;
  return link.length <= 2048 ? link : undefined;
}

/** What the finding is about, in words, when the Action Center has no remediation for it. */
function resourceInWords(finding: GuardDutyFinding): string {
  const resource = finding.resource;
  switch (resource.resourceType) {
    case 'AccessKey': {
      const user = resource.accessKeyDetails?.userName;
      return user ? `an IAM access key of ${clip(user, 64)}` : 'an IAM access key';
    }
    case 'S3Bucket': {
      const names = (resource.s3BucketDetails ?? []).flatMap((b) => (b.name ? [b.name] : []));
      return names.length > 0
        ? `the S3 bucket ${clip(names.slice(0, 3).join(', '), 200)}`
        : 'an S3 bucket';
    }
    case 'EKSCluster':
      return 'an EKS cluster or its users';
    case 'RDSDBInstance':
    case 'RDSLimitlessDB':
      return 'an RDS database login';
    case 'Lambda':
      return 'a Lambda function';
    case 'Instance':
      return 'an EC2 instance';
    default:
      return `a resource of type ${clip(resource.resourceType, 64)}`;
  }
}

function noActionReasonOf(finding: GuardDutyFinding, proposes: boolean): string | undefined {
  const type = clip(finding.type, 200);
  if (finding.service?.archived === true) {
    return `GuardDuty finding ${type} is archived; nothing is proposed for an archived finding.`;
  }
  if (proposes) return undefined;
  if (finding.resource.resourceType === 'Instance') {
    return `GuardDuty rates finding ${type} low (the activity was blocked before it compromised the instance); isolating the instance is not proposed.`;
  }
  return `GuardDuty finding ${type} concerns ${resourceInWords(finding)}; the Action Center has no remediation for it.`;
}

function problemsOf(issues: { path: PropertyKey[]; message: string }[]): string[] {
  return issues
    .slice(0, 20)
    .map((i) => `${['detail', ...i.path.map(String)].join('.')}: ${clip(i.message, 200)}`);
}

function map(event: SourceEvent): SourceMapping {
  const parsed = GuardDutyFinding.safeParse(event?.detail);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'The event is not a GuardDuty finding the Action Center can read.',
      problems: problemsOf(parsed.error.issues),
    };
  }
  const finding = parsed.data;
  const archived = finding.service?.archived === true;
  const evidence = placedOnDevices(evidenceOf(finding).slice(0, MAX_ENTITIES), finding);
  // An archived finding keeps its evidence on record, but none of it calls for an action.
  const entities = archived
    ? evidence.map((e) => ({ ...e, verdict: 'unknown' as const }))
    : evidence;
  const proposes = entities.some((e) => e.verdict === 'malicious' || e.verdict === 'suspicious');
  const alert: AlertDetail = {
    alertId: alertIdOf(finding.id),
    title: clip(finding.title, 1024),
    severity: severityOf(finding.severity),
    detectionSource: 'Amazon GuardDuty',
    detectedAt: new Date(finding.createdAt).toISOString(),
    entities,
  };
  const link = consoleLink(finding);
  const origin: AlertOrigin = {
    source: SOURCE,
    findingId: clip(finding.id, 1024),
    product: 'GuardDuty',
    ...(link ? { link } : {}),
    ...(isSample(finding) ? { sample: true } : {}),
  };
  const noActionReason = noActionReasonOf(finding, proposes);
  return { ok: true, alert, origin, ...(noActionReason ? { noActionReason } : {}) };
}

export const guardDutySource: AlertSource = {
  id: SOURCE,
  eventSource: 'aws.guardduty',
  detailTypes: ['GuardDuty Finding'],
  ruleDetail(minSeverity) {
    const floor = FLOOR[minSeverity];
    return {
      service: { archived: [false] },
      ...(floor === undefined ? {} : { severity: [{ numeric: ['>=', floor] }] }),
    };
  },
  map,
};
