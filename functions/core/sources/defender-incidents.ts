// The older Defender XDR incidents API alert (`alertId`, `entities[]` by `entityType`), still
// relayed by many integrations. It rarely states a verdict per entity, so one is derived.
import * as z from 'zod';
import type { Entity, Verdict } from '../model.js';
import {
  alreadyRemediated,
  entityOf,
  isoTime,
  joinPath,
  statedVerdict,
} from './defender-evidence.js';

const text = z.string().nullish();

const LegacyEntity = z.looseObject({
  entityType: z.string(),
  verdict: text,
  remediationStatus: text,
  sha1: text,
  sha256: text,
  fileName: text,
  filePath: text,
  processId: z.number().int().nullish(),
  processCommandLine: text,
  processCreationTime: text,
  url: text,
  registryHive: text,
  registryKey: text,
  clusterBy: text,
  clusterByValue: text,
  networkMessageId: text,
  recipient: text,
  sender: text,
  subject: text,
  deliveryAction: text,
  deviceId: text,
});
type LegacyEntity = z.infer<typeof LegacyEntity>;

const Device = z.looseObject({ mdatpDeviceId: text, deviceDnsName: text, verdict: text });

export const IncidentAlert = z.looseObject({
  alertId: z.string().min(1),
  title: text,
  severity: text,
  status: text,
  classification: text,
  serviceSource: text,
  detectionSource: text,
  creationTime: text,
  firstActivity: text,
  devices: z.array(Device).nullish(),
  entities: z.array(LegacyEntity),
});
export type IncidentAlert = z.infer<typeof IncidentAlert>;

/** Classifications under which the alert's evidence is not a threat. */
const NOT_A_THREAT = new Set(['falsepositive', 'benignpositive', 'informationalexpectedactivity']);

/**
 * The verdict of an entity: Defender's own when it states one; otherwise derived from the alert
 * (its evidence is suspicious unless it was classified a false positive). A derived verdict is
 * never `malicious`, so `full` automation never acts on it alone: an operator approves.
 */
function verdictOf(stated: string | null | undefined, alert: IncidentAlert): Verdict {
  if (stated) return statedVerdict(stated);
  return NOT_A_THREAT.has((alert.classification ?? '').toLowerCase()) ? 'clean' : 'suspicious';
}

function entityOfLegacy(e: LegacyEntity, alert: IncidentAlert, soleDevice?: string) {
  const remediated = alreadyRemediated(e.remediationStatus);
  const verdict = remediated ? 'clean' : verdictOf(e.verdict, alert);
  const inferred = !e.verdict && !remediated;
  const extra = {
    remediationStatus: remediated ? (e.remediationStatus ?? undefined) : undefined,
    verdictInferred: inferred || undefined,
  };
  const deviceId = e.deviceId ?? soleDevice;
  switch (e.entityType.toLowerCase()) {
    case 'file': {
      const path = joinPath(e.filePath, e.fileName);
      return entityOf({
        kind: 'file',
        id: e.sha256 ?? e.sha1 ?? path ?? '',
        verdict,
        displayName: e.fileName ?? path,
        deviceId,
        extra: { ...extra, sha256: e.sha256, sha1: e.sha1, path },
      });
    }
    case 'process': {
      if (e.processId === null || e.processId === undefined) return undefined;
      const start = isoTime(e.processCreationTime) ?? e.processCreationTime ?? 'unknown';
      return entityOf({
        kind: 'process',
        id: `${e.processId}@${start}`,
        verdict,
        displayName: `${e.fileName ?? 'process'} (${e.processId})`,
        deviceId,
        extra: {
          ...extra,
          pid: e.processId,
          processStartTime: start,
          commandLine: e.processCommandLine,
          sha256: e.sha256,
          path: joinPath(e.filePath, e.fileName),
        },
      });
    }
    case 'registry': {
      if (!e.registryKey) return undefined;
      const id = e.registryHive ? `${e.registryHive}\\${e.registryKey}` : e.registryKey;
      return entityOf({
        kind: 'registryKey',
        id,
        verdict,
        displayName: id,
        deviceId,
        extra: { ...extra, registryHive: e.registryHive },
      });
    }
    case 'url':
      return entityOf({ kind: 'url', id: e.url ?? '', verdict, displayName: e.url, extra });
    case 'mailmessage': {
      // Without a network message id the message is known by who sent what to whom.
      const id =
        e.networkMessageId ??
        (e.recipient && e.subject ? `${e.sender ?? ''}|${e.recipient}|${e.subject}` : '');
      return entityOf({
        kind: 'emailMessage',
        id,
        verdict,
        displayName: e.subject ?? id,
        mailbox: e.recipient,
        extra: { ...extra, sender: e.sender, deliveryAction: e.deliveryAction },
      });
    }
    case 'mailcluster': {
      if (!e.clusterBy) return undefined;
      // A clustering logic alone is no cluster across alerts: scoped to the alert, so one alert's
      // approval never skips another alert's cluster as a duplicate.
      const clusterId = e.clusterByValue
        ? `${e.clusterBy}:${e.clusterByValue}`
        : `${alert.alertId}/${e.clusterBy}`;
      return entityOf({
        kind: 'emailCluster',
        id: clusterId,
        verdict,
        displayName: `Email cluster ${e.clusterBy}`,
        clusterId,
        extra: { ...extra, clusterBy: e.clusterBy },
      });
    }
    case 'machine': {
      if (!e.deviceId) return undefined;
      // A machine is isolated only on a verdict Defender states, never on a derived one.
      const stated = e.verdict && !remediated ? verdict : remediated ? 'clean' : 'unknown';
      return entityOf({ kind: 'device', id: e.deviceId, verdict: stated, extra });
    }
    default:
      // User, Ip, MailBox (a victim mailbox, not a forwarding rule), SecurityGroup...: nothing.
      return undefined;
  }
}

/** The alert's devices and remediable entities, in order, at most `limit`. */
export function incidentEntities(alert: IncidentAlert, limit: number): Entity[] {
  const devices = (alert.devices ?? []).filter((d) => d.mdatpDeviceId);
  const soleDevice = devices.length === 1 ? (devices[0]?.mdatpDeviceId ?? undefined) : undefined;
  const entities: Entity[] = [];
  for (const d of devices) {
    // The alert names its machines without a verdict: shown, never isolated on a guess.
    const verdict = d.verdict ? statedVerdict(d.verdict) : 'unknown';
    const device = entityOf({
      kind: 'device',
      id: d.mdatpDeviceId as string,
      verdict,
      displayName: d.deviceDnsName,
    });
    if (device && entities.length < limit) entities.push(device);
  }
  for (const e of alert.entities) {
    if (entities.length >= limit) break;
    const entity = entityOfLegacy(e, alert, soleDevice);
    if (entity) entities.push(entity);
  }
  return entities;
}
