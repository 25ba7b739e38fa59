// The Microsoft Graph security API `alert` (alerts_v2) resource: its `evidence` items, told apart
// by `@odata.type`, mapped to entities with Defender's own verdict for each.
import * as z from 'zod';
import type { Entity } from '../model.js';
import {
  alreadyRemediated,
  entityOf,
  isoTime,
  joinPath,
  statedVerdict,
} from './defender-evidence.js';

const text = z.string().nullish();
const fileDetails = z.looseObject({
  sha1: text,
  sha256: text,
  fileName: text,
  filePath: text,
});

const Evidence = z.looseObject({
  '@odata.type': z.string(),
  verdict: text,
  remediationStatus: text,
  mdeDeviceId: text,
  azureAdDeviceId: text,
  deviceDnsName: text,
  hostName: text,
  fileDetails: fileDetails.nullish(),
  imageFile: fileDetails.nullish(),
  processId: z.number().int().nullish(),
  processCreationDateTime: text,
  processCommandLine: text,
  registryKey: text,
  registryHive: text,
  registryValueName: text,
  url: text,
  networkMessageId: text,
  internetMessageId: text,
  recipientEmailAddress: text,
  subject: text,
  clusterBy: text,
  clusterByValue: text,
  query: text,
  urn: text,
  emailCount: z.number().int().nullish(),
  networkMessageIds: z.array(z.string()).nullish(),
  configurationType: text,
  configurationId: text,
  mailboxPrimaryAddress: text,
});
type Evidence = z.infer<typeof Evidence>;

export const GraphAlert = z.looseObject({
  id: z.string().min(1),
  title: text,
  severity: text,
  status: text,
  serviceSource: text,
  detectionSource: text,
  alertWebUrl: text,
  createdDateTime: text,
  firstActivityDateTime: text,
  evidence: z.array(Evidence),
});
export type GraphAlert = z.infer<typeof GraphAlert>;

const typeOf = (e: Evidence) => e['@odata.type'].replace(/^#?microsoft\.graph\.security\./, '');

/** A cluster's id: its clustering logic and value, else its query, else its investigation urn. */
function clusterIdOf(e: Evidence): string | undefined {
  if (e.clusterBy && e.clusterByValue) return `${e.clusterBy}:${e.clusterByValue}`;
  return e.query ?? e.urn ?? undefined;
}

interface AlertContext {
  /** The alert's one device, for endpoint evidence that does not name its own. */
  soleDeviceId?: string;
  /** Which cluster each message of the alert's clusters belongs to. */
  clusterOfMessage: Map<string, string>;
}

function contextOf(evidence: Evidence[]): AlertContext {
  const devices = new Set<string>();
  const clusterOfMessage = new Map<string, string>();
  for (const e of evidence) {
    const type = typeOf(e);
    if (type === 'deviceEvidence' && e.mdeDeviceId) devices.add(e.mdeDeviceId);
    if (type === 'mailClusterEvidence') {
      const clusterId = clusterIdOf(e);
      for (const id of e.networkMessageIds ?? [])
        if (clusterId) clusterOfMessage.set(id, clusterId);
    }
  }
  return { soleDeviceId: devices.size === 1 ? [...devices][0] : undefined, clusterOfMessage };
}

/** One evidence item as an entity; undefined for evidence that proposes nothing (user, IP...). */
function entityOfEvidence(e: Evidence, context: AlertContext): Entity | undefined {
  const remediated = alreadyRemediated(e.remediationStatus);
  // Already remediated, prevented, blocked or not found: kept as clean evidence, never proposed.
  const verdict = remediated ? 'clean' : statedVerdict(e.verdict);
  const deviceId = e.mdeDeviceId ?? context.soleDeviceId;
  const extra = { remediationStatus: remediated ? (e.remediationStatus ?? undefined) : undefined };
  switch (typeOf(e)) {
    case 'deviceEvidence': {
      const id = e.mdeDeviceId ?? e.azureAdDeviceId;
      const name = e.deviceDnsName ?? e.hostName;
      return entityOf({ kind: 'device', id: id ?? '', verdict, displayName: name, extra });
    }
    case 'fileEvidence': {
      const file = e.fileDetails ?? {};
      const path = joinPath(file.filePath, file.fileName);
      return entityOf({
        kind: 'file',
        id: file.sha256 ?? file.sha1 ?? path ?? '',
        verdict,
        displayName: file.fileName ?? path,
        deviceId,
        extra: { ...extra, sha256: file.sha256, sha1: file.sha1, path },
      });
    }
    case 'processEvidence': {
      if (e.processId === null || e.processId === undefined) return undefined;
      const start = isoTime(e.processCreationDateTime) ?? e.processCreationDateTime ?? 'unknown';
      const image = e.imageFile ?? {};
      return entityOf({
        kind: 'process',
        id: `${e.processId}@${start}`,
        verdict,
        displayName: `${image.fileName ?? 'process'} (${e.processId})`,
        deviceId,
        extra: {
          ...extra,
          pid: e.processId,
          processStartTime: start,
          commandLine: e.processCommandLine,
          sha256: image.sha256,
          path: joinPath(image.filePath, image.fileName),
        },
      });
    }
    case 'registryKeyEvidence':
    case 'registryValueEvidence': {
      if (!e.registryKey) return undefined;
      const key = e.registryHive ? `${e.registryHive}\\${e.registryKey}` : e.registryKey;
      const id = e.registryValueName ? `${key}\\${e.registryValueName}` : key;
      return entityOf({
        kind: 'registryKey',
        id,
        verdict,
        displayName: id,
        deviceId,
        extra: { ...extra, registryHive: e.registryHive, registryValueName: e.registryValueName },
      });
    }
    case 'urlEvidence':
      return entityOf({ kind: 'url', id: e.url ?? '', verdict, displayName: e.url, extra });
    case 'analyzedMessageEvidence': {
      const id = e.networkMessageId ?? e.internetMessageId ?? '';
      return entityOf({
        kind: 'emailMessage',
        id,
        verdict,
        displayName: e.subject ?? id,
        mailbox: e.recipientEmailAddress,
        clusterId: context.clusterOfMessage.get(id),
        extra: { ...extra, internetMessageId: e.internetMessageId },
      });
    }
    case 'mailClusterEvidence': {
      const clusterId = clusterIdOf(e) ?? '';
      return entityOf({
        kind: 'emailCluster',
        id: clusterId,
        verdict,
        displayName: `Email cluster ${clusterId}`,
        clusterId,
        messageCount: e.emailCount,
        extra: { ...extra, networkMessageIds: e.networkMessageIds ?? undefined },
      });
    }
    case 'mailboxConfigurationEvidence': {
      // Only a forwarding rule has a remediation (turn the forwarding off); OWA/EWS settings none.
      if (e.configurationType !== 'mailForwardingRule' || !e.mailboxPrimaryAddress)
        return undefined;
      return entityOf({
        kind: 'mailbox',
        id: e.mailboxPrimaryAddress,
        verdict,
        displayName: `${e.mailboxPrimaryAddress} (forwarding rule)`,
        mailbox: e.mailboxPrimaryAddress,
        extra: { ...extra, inboxRuleId: e.configurationId },
      });
    }
    default:
      // userEvidence, ipEvidence, a plain mailboxEvidence and the rest: nothing to remediate.
      return undefined;
  }
}

/** The alert's remediable evidence as entities, in order, at most `limit`. */
export function graphEntities(alert: GraphAlert, limit: number): Entity[] {
  const context = contextOf(alert.evidence);
  const entities: Entity[] = [];
  for (const e of alert.evidence) {
    if (entities.length >= limit) break;
    const entity = entityOfEvidence(e, context);
    if (entity) entities.push(entity);
  }
  return entities;
}
