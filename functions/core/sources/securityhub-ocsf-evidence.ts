// The evidence of an OCSF Detection Finding as entities: EC2 instances among its resources, and
// the files, processes, devices, URLs and queried domains among its evidences.
import * as z from 'zod';
import type { Entity } from '../model.js';
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

/** The parts of an OCSF finding that hold evidence. */
export interface OcsfEvidence {
  resources?: unknown[] | null;
  evidences?: unknown[] | null;
}

const Hash = z.looseObject({
  algorithm_id: z.number().nullish(),
  algorithm: z.string().nullish(),
  value: z.string(),
});
const File = z.looseObject({
  path: z.string().nullish(),
  name: z.string().nullish(),
  hashes: z.array(z.unknown()).nullish(),
});
const Process = z.looseObject({
  name: z.string().nullish(),
  pid: z.number().int().nullish(),
  created_time_dt: z.string().nullish(),
  created_time: z.number().nullish(),
  cmd_line: z.string().nullish(),
  file: z.unknown().nullish(),
});
const Resource = z.looseObject({
  uid: z.string(),
  type: z.string().nullish(),
  region: z.string().nullish(),
  labels: z.array(z.unknown()).nullish(),
});
const Evidence = z.looseObject({
  query: z.looseObject({ hostname: z.string().nullish() }).nullish(),
  url: z.looseObject({ url_string: z.string().nullish() }).nullish(),
  dst_endpoint: z
    .looseObject({ domain: z.string().nullish(), hostname: z.string().nullish() })
    .nullish(),
  device: z
    .looseObject({
      uid: z.string().nullish(),
      instance_uid: z.string().nullish(),
      hostname: z.string().nullish(),
    })
    .nullish(),
  file: z.unknown().nullish(),
  process: z.unknown().nullish(),
});

function sha256OfFile(file: z.infer<typeof File>): string | undefined {
  for (const raw of file.hashes ?? []) {
    const hash = parsed(Hash, raw);
    // OCSF fingerprint algorithm_id 3 is SHA-256.
    if (hash && (hash.algorithm_id === 3 || hash.algorithm === 'SHA-256'))
      return sha256Of(hash.value);
  }
  return undefined;
}

function fileEntity(
  raw: unknown,
  verdict: InferredVerdicts,
  deviceId?: string,
): Entity | undefined {
  const file = parsed(File, raw);
  if (!file) return undefined;
  const sha256 = sha256OfFile(file);
  const path = shortText(file.path) ?? shortText(file.name);
  const id = sha256 ?? path;
  if (!id) return undefined;
  const entity: Entity = { kind: 'file', id, verdict: verdict.file, displayName: path ?? id };
  if (sha256) entity.sha256 = sha256;
  if (path) entity.path = path;
  if (deviceId) entity.deviceId = deviceId;
  return entity;
}

function processEntity(
  raw: unknown,
  verdict: InferredVerdicts,
  deviceId: string,
): Entity | undefined {
  const process = parsed(Process, raw);
  // A pid the finding sets to null is absent, as every null field of an OCSF finding is.
  if (process?.pid === undefined || process.pid === null) return undefined;
  const started = isoTime(process.created_time_dt) ?? isoTime(process.created_time);
  const file = parsed(File, process.file);
  const name = shortText(process.name, 256) ?? shortText(file?.name, 256) ?? 'process';
  const entity = processOnDevice({
    pid: process.pid,
    started,
    name,
    deviceId,
    verdict: verdict.process,
  });
  const commandLine = shortText(process.cmd_line);
  if (commandLine) entity.commandLine = commandLine;
  const sha256 = file && sha256OfFile(file);
  if (sha256) entity.sha256 = sha256;
  return entity;
}

function deviceEntity(
  resource: z.infer<typeof Resource>,
  verdict: InferredVerdicts,
): Entity | undefined {
  const instanceId = instanceIdOf(resource.uid);
  if (!instanceId || (resource.type ?? 'AwsEc2Instance') !== 'AwsEc2Instance') return undefined;
  const nameLabel = resource.labels?.find(
    (l): l is string => typeof l === 'string' && l.startsWith('Name='),
  );
  const name = shortText(nameLabel?.slice('Name='.length), 200);
  return ec2Device(instanceId, name, validRegion(resource.region), verdict.device);
}

export function entitiesOf(finding: OcsfEvidence, verdict: InferredVerdicts): Entity[] {
  const list = new EntityList();
  let deviceId: string | undefined;
  for (const raw of finding.resources ?? []) {
    if (list.full) break;
    const resource = parsed(Resource, raw);
    const device = resource && deviceEntity(resource, verdict);
    if (!device) continue;
    deviceId ??= device.id;
    list.add(device);
  }
  for (const raw of finding.evidences ?? []) {
    if (list.full) break;
    const evidence = parsed(Evidence, raw);
    if (!evidence) continue;
    const evidenceDevice =
      instanceIdOf(evidence.device?.instance_uid) ?? instanceIdOf(evidence.device?.uid);
    if (evidenceDevice) {
      deviceId ??= evidenceDevice;
      const host = shortText(evidence.device?.hostname, 200);
      list.add({
        kind: 'device',
        id: evidenceDevice,
        verdict: verdict.device,
        displayName: host ? `${host} (${evidenceDevice})` : evidenceDevice,
        instanceId: evidenceDevice,
      });
    }
    const on = evidenceDevice ?? deviceId;
    list.add(fileEntity(evidence.file, verdict, on));
    if (on) list.add(processEntity(evidence.process, verdict, on));
    list.add(urlEntity(evidence.url?.url_string, verdict.url));
    list.add(urlEntity(evidence.query?.hostname, verdict.url));
    list.add(
      urlEntity(evidence.dst_endpoint?.domain ?? evidence.dst_endpoint?.hostname, verdict.url),
    );
  }
  return list.items;
}

/** The OCSF resource types a finding names, for saying why nothing can be remediated. */
export function resourceTypes(finding: OcsfEvidence): string[] {
  const types = (finding.resources ?? []).map((r) => parsed(Resource, r)?.type);
  return [...new Set(types.filter((t): t is string => t !== undefined))];
}
