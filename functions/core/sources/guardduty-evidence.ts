// The evidence of a GuardDuty finding as the investigation's entities: the EC2 instance, the
// files a malware scan or Runtime Monitoring names, the process that acted, the domain queried.
import type { Entity, Verdict } from '../model.js';
import { clip } from '../text.js';
import type { GuardDutyFinding } from './guardduty-finding.js';

const ID_MAX = 1024;
const NAME_MAX = 1024;
const DEVICE_MAX = 256;
const SHA256 = /^[0-9a-f]{64}$/i;

/** Malware Protection types whose scan matched malware, not merely a suspicious file. */
const MALICIOUS_FILE_TYPE = /\/MaliciousFile(\.|$)/;

/**
 * The instance the finding concerns. Sample findings fill `instanceDetails` for every resource
 * type (an IAM key finding carries i-99999999), so only an Instance finding, or a Runtime
 * Monitoring one whose process ran on that instance, names a device.
 */
function instanceOf(finding: GuardDutyFinding): string | undefined {
  const instanceId = finding.resource.instanceDetails?.instanceId;
  if (!instanceId) return undefined;
  const onInstance =
    finding.resource.resourceType === 'Instance' ||
    Boolean(finding.service?.runtimeDetails?.process);
  return onInstance ? clip(instanceId, DEVICE_MAX) : undefined;
}

function deviceEntity(finding: GuardDutyFinding, deviceId: string, severity: number): Entity {
  const details = finding.resource.instanceDetails;
  const name = details?.tags?.find((t) => t.key === 'Name')?.value;
  // Isolation on a guess is capped at suspicious; a low finding was blocked before it compromised
  // the instance (GuardDuty's severity levels), so it proposes nothing.
  const verdict: Verdict = severity >= 4 ? 'suspicious' : 'unknown';
  return {
    kind: 'device',
    id: deviceId,
    verdict,
    displayName: clip(name ? `${name} (${deviceId})` : deviceId, NAME_MAX),
    instanceId: deviceId,
    ...(finding.accountId ? { accountId: clip(finding.accountId, 64) } : {}),
    ...(finding.region ? { region: clip(finding.region, 64) } : {}),
  };
}

/** Files a malware scan detected: GuardDuty states they are threats, so the verdict is its own. */
function scannedFiles(finding: GuardDutyFinding, deviceId: string): Entity[] {
  const threats =
    finding.service?.ebsVolumeScanDetails?.scanDetections?.threatDetectedByName?.threatNames ?? [];
  const stated: Verdict = MALICIOUS_FILE_TYPE.test(finding.type) ? 'malicious' : 'suspicious';
  return threats.flatMap((threat) =>
    (threat.filePaths ?? []).flatMap((file) => {
      const path = file.filePath ?? file.fileName;
      const sha256 = file.hash && SHA256.test(file.hash) ? file.hash.toLowerCase() : undefined;
      const id = sha256 ?? path;
      if (!id) return [];
      return [
        fileEntity(id, stated, path, sha256, deviceId, {
          ...(threat.name ? { threatName: clip(threat.name, 256) } : {}),
          ...(file.volumeArn ? { volumeArn: clip(file.volumeArn, 256) } : {}),
        }),
      ];
    }),
  );
}

function fileEntity(
  id: string,
  verdict: Verdict,
  path: string | undefined,
  sha256: string | undefined,
  deviceId: string,
  extra: Record<string, string>,
): Entity {
  return {
    kind: 'file',
    id: clip(id, ID_MAX),
    verdict,
    displayName: clip(path ?? id, NAME_MAX),
    deviceId,
    ...(sha256 ? { sha256 } : {}),
    ...(path ? { path: clip(path, ID_MAX) } : {}),
    ...extra,
  };
}

function isoOfEpochSeconds(seconds: number): string | undefined {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * Runtime Monitoring's process, its executable and the threat file it names. All inferred from the
 * finding, so capped at suspicious: killing a process is not undoable.
 */
function runtimeEvidence(finding: GuardDutyFinding, deviceId: string): Entity[] {
  const runtime = finding.service?.runtimeDetails;
  const process = runtime?.process;
  const entities: Entity[] = [];
  if (process) {
    const started =
      typeof process.startTime === 'number' ? isoOfEpochSeconds(process.startTime) : undefined;
    const sha256 =
      process.executableSha256 && SHA256.test(process.executableSha256)
        ? process.executableSha256.toLowerCase()
        : undefined;
    if (typeof process.pid === 'number' && started) {
      const lineage = (process.lineage ?? [])
        .slice(0, 10)
        .map((a) => `${a.ancestorName ?? '?'}(${a.ancestorPid ?? '?'})`)
        .join(' < ');
      entities.push({
        kind: 'process',
        id: `${process.pid}@${started}`,
        verdict: 'suspicious',
        displayName: clip(`${process.name ?? 'process'} (pid ${process.pid})`, NAME_MAX),
        deviceId,
        pid: process.pid,
        processStartTime: started,
        ...(process.executablePath ? { executablePath: clip(process.executablePath, ID_MAX) } : {}),
        ...(sha256 ? { sha256 } : {}),
        ...(lineage ? { lineage: clip(lineage, 512) } : {}),
      });
    }
    const executable = sha256 ?? process.executablePath;
    if (executable) {
      entities.push(
        fileEntity(executable, 'suspicious', process.executablePath, sha256, deviceId, {}),
      );
    }
  }
  const threatFile = runtime?.context?.threatFilePath;
  if (threatFile)
    entities.push(fileEntity(threatFile, 'suspicious', threatFile, undefined, deviceId, {}));
  return entities;
}

/** The domain a DNS finding queried: on a threat list, GuardDuty states it is malicious. */
function domainEntity(finding: GuardDutyFinding): Entity[] {
  const domain = finding.service?.action?.dnsRequestAction?.domain;
  if (!domain) return [];
  const onThreatList = (finding.service?.evidence?.threatIntelligenceDetails ?? []).length > 0;
  return [
    {
      kind: 'url',
      id: clip(domain, ID_MAX),
      verdict: onThreatList ? 'malicious' : 'suspicious',
      displayName: clip(domain, NAME_MAX),
    },
  ];
}

/** Every entity the finding names, the device first; evidence a connector cannot act on is left out. */
export function evidenceOf(finding: GuardDutyFinding): Entity[] {
  const deviceId = instanceOf(finding);
  const entities: Entity[] = [];
  // Files and processes are acted on where they live: without the instance there is nothing to reach.
  if (deviceId) {
    entities.push(deviceEntity(finding, deviceId, finding.severity));
    entities.push(...scannedFiles(finding, deviceId));
    entities.push(...runtimeEvidence(finding, deviceId));
  }
  entities.push(...domainEntity(finding));
  return entities;
}
