// What both Defender alert shapes share: verdicts, severities, product names and the bounded
// entity builder, so the Graph `alert` and the older incidents-API alert map the same way.
import type { Entity, EntityKind, Severity, Verdict } from '../model.js';
import { clip } from '../text.js';

/** Matched case-insensitively: the Graph API sends camelCase, the incidents API PascalCase. */
const norm = (value: string | null | undefined) => (value ?? '').toLowerCase();

const VERDICTS: Record<string, Verdict> = {
  malicious: 'malicious',
  suspicious: 'suspicious',
  nothreatsfound: 'clean',
  clean: 'clean',
};

/** Defender's own verdict for a piece of evidence; anything it does not state is `unknown`. */
export function statedVerdict(verdict: string | null | undefined): Verdict {
  return VERDICTS[norm(verdict)] ?? 'unknown';
}

/** Evidence Defender already dealt with: nothing is left to remediate, so it proposes nothing. */
const DONE = new Set(['remediated', 'prevented', 'blocked', 'notfound']);

export function alreadyRemediated(status: string | null | undefined): boolean {
  return DONE.has(norm(status));
}

const SEVERITIES: Record<string, Severity> = {
  informational: 'informational',
  low: 'low',
  medium: 'medium',
  high: 'high',
};

/** Defender's scale has no `critical`; `unknown` (or a future value) is the lowest, informational. */
export function severityOf(severity: string | null | undefined): Severity {
  return SEVERITIES[norm(severity)] ?? 'informational';
}

/** Defender's names on our scale, for the rule's pattern (matched ignoring case). */
export const DEFENDER_SEVERITIES: Record<Severity, string[]> = {
  informational: ['informational', 'unknown'],
  low: ['low'],
  medium: ['medium'],
  high: ['high'],
  critical: [],
};

const PRODUCTS: Record<string, string> = {
  microsoftdefenderforendpoint: 'Microsoft Defender for Endpoint',
  microsoftdefenderatp: 'Microsoft Defender for Endpoint',
  microsoftdefenderforoffice365: 'Microsoft Defender for Office 365',
  officeatp: 'Microsoft Defender for Office 365',
  microsoftdefenderforidentity: 'Microsoft Defender for Identity',
  azureatp: 'Microsoft Defender for Identity',
  microsoftdefenderforcloudapps: 'Microsoft Defender for Cloud Apps',
  microsoftcloudappsecurity: 'Microsoft Defender for Cloud Apps',
  microsoftdefenderforcloud: 'Microsoft Defender for Cloud',
  microsoft365defender: 'Microsoft Defender XDR',
  microsoftdefenderxdr: 'Microsoft Defender XDR',
  azureadidentityprotection: 'Microsoft Entra ID Protection',
  microsoftsentinel: 'Microsoft Sentinel',
};

/** The product that raised the alert, by name, from `serviceSource`. */
export function productOf(serviceSource: string | null | undefined): string {
  if (!serviceSource) return 'Microsoft Defender XDR';
  return PRODUCTS[norm(serviceSource)] ?? clip(serviceSource, 256);
}

/** Entity text limits: ids and names as the alert schema allows, extra fields kept short. */
const LIMITS = { id: 1024, name: 1024, device: 256, mailbox: 320, extra: 1024 } as const;

export interface EntityParts {
  kind: EntityKind;
  id: string;
  verdict: Verdict;
  displayName?: string | null;
  deviceId?: string | null;
  mailbox?: string | null;
  clusterId?: string | null;
  messageCount?: number | null;
  /** Kind-specific fields shown with the evidence (sha256, path, pid...). Empty values are dropped. */
  extra?: Record<string, string | number | boolean | string[] | null | undefined>;
}

/** An entity within the schema's limits; undefined when it has no usable id. */
export function entityOf(parts: EntityParts): Entity | undefined {
  if (!parts.id) return undefined;
  const entity: Entity = {
    kind: parts.kind,
    id: clip(parts.id, LIMITS.id),
    verdict: parts.verdict,
  };
  if (parts.displayName) entity.displayName = clip(parts.displayName, LIMITS.name);
  if (parts.deviceId) entity.deviceId = clip(parts.deviceId, LIMITS.device);
  if (parts.mailbox) entity.mailbox = clip(parts.mailbox, LIMITS.mailbox);
  if (parts.clusterId) entity.clusterId = clip(parts.clusterId, LIMITS.device);
  if (Number.isSafeInteger(parts.messageCount) && (parts.messageCount as number) >= 0) {
    entity.messageCount = parts.messageCount as number;
  }
  for (const [key, value] of Object.entries(parts.extra ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'string') entity[key] = clip(value, LIMITS.extra);
    else if (Array.isArray(value)) entity[key] = value.slice(0, 100).map((v) => clip(v, 256));
    else entity[key] = value;
  }
  return entity;
}

/** A Windows path from a folder and a file name, as Defender gives them apart. */
export function joinPath(folder: string | null | undefined, name: string | null | undefined) {
  if (!folder) return name ?? undefined;
  if (!name) return folder;
  return folder.endsWith('\\') || folder.endsWith('/') ? `${folder}${name}` : `${folder}\\${name}`;
}

/** An ISO time, or undefined when the value is not a time. */
export function isoTime(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
