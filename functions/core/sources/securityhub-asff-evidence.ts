// The evidence of an ASFF finding as entities: EC2 instances, malware files, the process, threat
// intelligence indicators and the remote domain of its network activity.
import * as z from 'zod';
import type { Entity } from '../model.js';
import { clip } from '../text.js';
import {
  EntityList,
  ec2Device,
  type InferredVerdicts,
  instanceIdOf,
  isoTime,
  parsed,
  processOnDevice,
  sha256Of,
  shortText,
  urlEntity,
  validRegion,
} from './aws-finding.js';

/** The parts of an ASFF finding that hold evidence. */
export interface AsffEvidence {
  AwsAccountId?: string;
  Resources?: unknown[];
  Malware?: unknown[];
  Threats?: unknown[];
  ThreatIntelIndicators?: unknown[];
  Process?: unknown;
  Network?: unknown;
  Action?: unknown;
}

const Resource = z.looseObject({
  Type: z.string(),
  Id: z.string(),
  Region: z.string().optional(),
  Tags: z.record(z.string(), z.unknown()).optional(),
});
const Malware = z.looseObject({
  Name: z.string().optional(),
  Path: z.string().optional(),
  State: z.string().optional(),
});
const Threat = z.looseObject({
  Name: z.string().optional(),
  FilePaths: z
    .array(
      z.looseObject({
        FileName: z.string().optional(),
        FilePath: z.string().optional(),
        Hash: z.string().optional(),
        ResourceId: z.string().optional(),
      }),
    )
    .optional(),
});
const Indicator = z.looseObject({ Type: z.string(), Value: z.string() });
const Process = z.looseObject({
  Name: z.string().optional(),
  Path: z.string().optional(),
  Pid: z.number().int().optional(),
  LaunchedAt: z.string().optional(),
});
const Network = z.looseObject({
  Direction: z.string().optional(),
  SourceDomain: z.string().optional(),
  DestinationDomain: z.string().optional(),
});
const Action = z.looseObject({
  DnsRequestAction: z.looseObject({ Domain: z.string().optional() }).optional(),
});

export function deviceOf(
  resource: z.infer<typeof Resource>,
  verdict: InferredVerdicts,
): Entity | undefined {
  const instanceId = instanceIdOf(resource.Id);
  if (resource.Type !== 'AwsEc2Instance' || !instanceId) return undefined;
  const name = shortText(resource.Tags?.Name, 200);
  return ec2Device(instanceId, name, validRegion(resource.Region), verdict.device);
}

export function entitiesOf(finding: AsffEvidence, verdict: InferredVerdicts): Entity[] {
  const list = new EntityList();
  let deviceId: string | undefined;
  for (const raw of finding.Resources ?? []) {
    if (list.full) break;
    const resource = parsed(Resource, raw);
    const device = resource && deviceOf(resource, verdict);
    if (!device) continue;
    if (finding.AwsAccountId) device.accountId = clip(finding.AwsAccountId, 64);
    deviceId ??= device.id;
    list.add(device);
  }
  const onDevice = (entity: Entity): Entity => (deviceId ? { ...entity, deviceId } : entity);

  for (const raw of finding.Malware ?? []) {
    if (list.full) break;
    const malware = parsed(Malware, raw);
    const path = shortText(malware?.Path);
    if (!malware || !path) continue;
    // A removed malware file proposes nothing; it stays listed as evidence.
    const fileVerdict = malware.State === 'REMOVED' ? 'unknown' : verdict.file;
    const name = shortText(malware.Name, 256);
    list.add(
      onDevice({
        kind: 'file',
        id: path,
        verdict: fileVerdict,
        displayName: path,
        path,
        ...(name && { malwareName: name }),
      }),
    );
  }
  for (const raw of finding.Threats ?? []) {
    const threat = parsed(Threat, raw);
    for (const file of threat?.FilePaths ?? []) {
      if (list.full) break;
      const sha256 = sha256Of(file.Hash);
      const path = shortText(file.FilePath);
      const id = sha256 ?? path;
      if (!id) continue;
      const on = instanceIdOf(file.ResourceId) ?? deviceId;
      const entity: Entity = {
        kind: 'file',
        id,
        verdict: verdict.file,
        displayName: path ?? shortText(file.FileName) ?? id,
      };
      if (sha256) entity.sha256 = sha256;
      if (path) entity.path = path;
      if (on) entity.deviceId = on;
      list.add(entity);
    }
  }
  const process = parsed(Process, finding.Process);
  if (process?.Pid !== undefined && deviceId) {
    const started = isoTime(process.LaunchedAt);
    const name = shortText(process.Name, 256) ?? shortText(process.Path) ?? 'process';
    const entity = processOnDevice({
      pid: process.Pid,
      started,
      name,
      deviceId,
      verdict: verdict.process,
    });
    const path = shortText(process.Path);
    if (path) entity.path = path;
    list.add(entity);
  }
  for (const raw of finding.ThreatIntelIndicators ?? []) {
    if (list.full) break;
    const indicator = parsed(Indicator, raw);
    if (!indicator) continue;
    if (indicator.Type === 'DOMAIN' || indicator.Type === 'URL') {
      // The source lists it as a threat-intelligence indicator: that is its verdict.
      list.add(urlEntity(indicator.Value, 'malicious'));
    } else if (indicator.Type === 'HASH_SHA256' && sha256Of(indicator.Value)) {
      const sha256 = sha256Of(indicator.Value) as string;
      list.add(
        onDevice({ kind: 'file', id: sha256, verdict: 'malicious', displayName: sha256, sha256 }),
      );
    }
  }
  const network = parsed(Network, finding.Network);
  const remote = network?.Direction === 'IN' ? network.SourceDomain : network?.DestinationDomain;
  list.add(urlEntity(remote, verdict.url));
  list.add(urlEntity(parsed(Action, finding.Action)?.DnsRequestAction?.Domain, verdict.url));
  return list.items;
}

/** The ASFF resource types a finding names, for saying why nothing can be remediated. */
export function resourceTypes(finding: AsffEvidence): string[] {
  const types = (finding.Resources ?? []).map((r) => parsed(Resource, r)?.Type);
  return [...new Set(types.filter((t): t is string => t !== undefined))];
}
