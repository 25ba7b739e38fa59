// What the two Security Hub formats (ASFF and OCSF) share: ids, times, the finding-type
// taxonomy that tells a threat from a posture check, and the verdicts inferred from it.
import { createHash } from 'node:crypto';
import type * as z from 'zod';
import type { Entity, Severity, Verdict } from '../model.js';
import { clip } from '../text.js';
import type { SourceId } from './source.js';

export const MAX_ENTITIES = 500;
const MAX_ALERT_ID = 200;

/** `<source>:<id>`, or `<source>:` + 40 hex of the id's sha256 when the id is too long to keep. */
export function alertIdFor(source: SourceId, findingId: string): string {
  if (findingId.length <= MAX_ALERT_ID) return `${source}:${findingId}`;
  return `${source}:${createHash('sha256').update(findingId).digest('hex').slice(0, 40)}`;
}

/** An ISO time (offset kept as UTC) or undefined when the text is not a time. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
  }
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** Text kept short enough for an entity field; undefined when empty or not text. */
export function shortText(value: unknown, max = 1024): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return clip(value, max);
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export function validRegion(value: unknown): string | undefined {
  return typeof value === 'string' && REGION.test(value) ? value : undefined;
}

const ACCOUNT_ID = /^\d{12}$/;
export function validAccountId(value: unknown): string | undefined {
  return typeof value === 'string' && ACCOUNT_ID.test(value) ? value : undefined;
}

/**
 * Each EC2 device, and every entity on it (file, process, ...), with the account and region the
 * device lives in (its own, else the finding's): a connector acts there. Invalid values are left out.
 */
export function placedOnDevices(
  entities: readonly Entity[],
  finding: { accountId?: unknown; region?: unknown },
): Entity[] {
  const places = new Map<string, { accountId?: string; region?: string }>();
  for (const e of entities) {
    if (e.kind !== 'device' || typeof e.instanceId !== 'string') continue;
    const accountId = validAccountId(e.accountId) ?? validAccountId(finding.accountId);
    const region = validRegion(e.region) ?? validRegion(finding.region);
    places.set(e.id, { ...(accountId && { accountId }), ...(region && { region }) });
  }
  return entities.map((e) => {
    const place = places.get(e.kind === 'device' ? e.id : (e.deviceId ?? ''));
    if (!place) return e;
    const { accountId: _a, region: _r, ...rest } = e;
    return { ...rest, ...place } as Entity;
  });
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
/** The EC2 instance id of an `arn:aws:ec2:<region>:<account>:instance/i-...` ARN or a bare id. */
export function instanceIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const last = value.slice(value.lastIndexOf('/') + 1);
  return INSTANCE_ID.test(last) ? last : undefined;
}

const SHA256 = /^[0-9a-fA-F]{64}$/;
export function sha256Of(value: unknown): string | undefined {
  return typeof value === 'string' && SHA256.test(value) ? value.toLowerCase() : undefined;
}

/** Security Hub's finding-type namespaces that describe an attack rather than a posture gap. */
const THREAT_NAMESPACES = ['TTPs', 'Effects', 'Unusual Behaviors'];
/** Types whose network indicators are the attacker's own infrastructure. */
const HOSTILE_INFRASTRUCTURE = ['TTPs/Command and Control', 'Effects/Data Exfiltration'];

export function isThreat(types: readonly string[]): boolean {
  return types.some((t) => THREAT_NAMESPACES.some((ns) => t === ns || t.startsWith(`${ns}/`)));
}

/**
 * Verdicts inferred from the finding type, since neither format gives one per resource:
 * - a file the finding names as malware (ASFF Malware / Threats, OCSF file evidence) is malicious;
 * - a domain or URL the finding names as command and control or exfiltration is malicious,
 *   any other domain or URL it names is suspicious;
 * - a device or a process is at most suspicious: isolating a machine or killing a process on a
 *   guess must wait for a person, so `full` automation never does it on an inferred verdict.
 */
export interface InferredVerdicts {
  file: Verdict;
  url: Verdict;
  device: Verdict;
  process: Verdict;
}

export function inferVerdicts(types: readonly string[]): InferredVerdicts {
  const hostile = types.some((t) => HOSTILE_INFRASTRUCTURE.some((p) => t.startsWith(p)));
  return {
    file: 'malicious',
    url: hostile ? 'malicious' : 'suspicious',
    device: 'suspicious',
    process: 'suspicious',
  };
}

/** ASFF `Severity.Label` and the matching OCSF `severity_id` (6 fatal counts as critical). */
export const SEVERITY_LABELS: Record<string, Severity> = {
  INFORMATIONAL: 'informational',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
  CRITICAL: 'critical',
};
export const SEVERITY_ORDER: readonly Severity[] = [
  'informational',
  'low',
  'medium',
  'high',
  'critical',
];

/** Entities in order of first appearance, the same kind and id listed once, at most 500. */
export class EntityList {
  readonly items: Entity[] = [];
  private readonly seen = new Set<string>();

  get full(): boolean {
    return this.items.length >= MAX_ENTITIES;
  }

  add(entity: Entity | undefined): void {
    if (!entity || this.full) return;
    const key = JSON.stringify([entity.kind, entity.deviceId ?? '', entity.id]);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(entity);
  }
}

/** A url entity for a domain or URL the finding names. */
export function urlEntity(value: unknown, verdict: Verdict): Entity | undefined {
  const url = shortText(value);
  return url ? { kind: 'url', id: url, verdict, displayName: url } : undefined;
}

/** Zod problems as `field: message` lines, like core/alert.ts parseAlert. */
export function problemsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: string,
): string[] {
  return issues.map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);
}

/** The value as the schema reads it, or undefined: one bad item never fails the whole finding. */
export function parsed<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const result = schema.safeParse(value);
  return result.success ? result.data : undefined;
}

/** An EC2 instance as the device to isolate (the verdict is inferred: capped by the caller). */
export function ec2Device(
  instanceId: string,
  name: string | undefined,
  region: string | undefined,
  verdict: Verdict,
): Entity {
  const entity: Entity = {
    kind: 'device',
    id: instanceId,
    verdict,
    displayName: name ? `${name} (${instanceId})` : instanceId,
    instanceId,
  };
  if (region) entity.region = region;
  return entity;
}

/**
 * Why an open Security Hub finding (ASFF or OCSF) proposes nothing: it is no attack, or it
 * names no resource the Action Center can remediate; undefined when it proposes something.
 */
export function unremediableReason(
  what: string,
  types: readonly string[],
  entities: readonly Entity[],
  resourceTypes: readonly string[],
): string | undefined {
  if (types.length > 0 && !isThreat(types)) {
    return `Security Hub finding ${what} is a posture or vulnerability check, not an attack; the Action Center has no remediation for it.`;
  }
  if (entities.length === 0) {
    const on =
      resourceTypes.length > 0 ? clip(resourceTypes.slice(0, 5).join(', '), 200) : 'no resource';
    return `Security Hub finding ${what} concerns ${on}; the Action Center has no remediation for it.`;
  }
  return undefined;
}

/** A process on a device; pids are reused, so its start time is part of its id. */
export function processOnDevice(process: {
  pid: number;
  started: string | undefined;
  name: string;
  deviceId: string;
  verdict: Verdict;
}): Entity {
  const entity: Entity = {
    kind: 'process',
    id: `${process.pid}@${process.started ?? 'unknown-start'}`,
    verdict: process.verdict,
    displayName: `${process.name} (pid ${process.pid})`,
    pid: process.pid,
    deviceId: process.deviceId,
  };
  if (process.started) entity.processStartTime = process.started;
  return entity;
}
