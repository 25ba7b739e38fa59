// The parts of a GuardDuty finding (the `detail` of a `GuardDuty Finding` event, GuardDuty's
// camelCase JSON) the adapter reads. Loose objects: every other field passes untouched.
import * as z from 'zod';

const text = z.string().min(1);
// GuardDuty writes absent values as null as often as it leaves them out.
const maybe = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((v): z.output<T> | undefined => v ?? undefined);

const ThreatFile = z.looseObject({
  filePath: maybe(z.string()),
  fileName: maybe(z.string()),
  hash: maybe(z.string()),
  volumeArn: maybe(z.string()),
});

const ThreatName = z.looseObject({
  name: maybe(z.string()),
  severity: maybe(z.string()),
  filePaths: maybe(z.array(ThreatFile)),
});

const RuntimeProcess = z.looseObject({
  name: maybe(z.string()),
  pid: maybe(z.number().int().nonnegative()),
  startTime: maybe(z.number()),
  executablePath: maybe(z.string()),
  executableSha256: maybe(z.string()),
  lineage: maybe(
    z.array(z.looseObject({ ancestorPid: maybe(z.number()), ancestorName: maybe(z.string()) })),
  ),
});

export const GuardDutyFinding = z.looseObject({
  id: text,
  type: text,
  title: text,
  severity: z.number().min(0).max(10),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: maybe(z.string()),
  accountId: maybe(z.string()),
  region: maybe(z.string()),
  partition: maybe(z.string()),
  resource: z.looseObject({
    resourceType: text,
    instanceDetails: maybe(
      z.looseObject({
        instanceId: maybe(z.string()),
        tags: maybe(z.array(z.looseObject({ key: maybe(z.string()), value: maybe(z.string()) }))),
      }),
    ),
    accessKeyDetails: maybe(z.looseObject({ userName: maybe(z.string()) })),
    s3BucketDetails: maybe(z.array(z.looseObject({ name: maybe(z.string()) }))),
  }),
  service: maybe(
    z.looseObject({
      archived: maybe(z.boolean()),
      count: maybe(z.number()),
      featureName: maybe(z.string()),
      additionalInfo: maybe(
        z.looseObject({ sample: maybe(z.boolean()), value: maybe(z.string()) }),
      ),
      action: maybe(
        z.looseObject({
          dnsRequestAction: maybe(z.looseObject({ domain: maybe(z.string()) })),
        }),
      ),
      evidence: maybe(z.looseObject({ threatIntelligenceDetails: maybe(z.array(z.unknown())) })),
      ebsVolumeScanDetails: maybe(
        z.looseObject({
          scanDetections: maybe(
            z.looseObject({
              threatDetectedByName: maybe(
                z.looseObject({ threatNames: maybe(z.array(ThreatName)) }),
              ),
            }),
          ),
        }),
      ),
      runtimeDetails: maybe(
        z.looseObject({
          process: maybe(RuntimeProcess),
          context: maybe(z.looseObject({ threatFilePath: maybe(z.string()) })),
        }),
      ),
    }),
  ),
});
export type GuardDutyFinding = z.infer<typeof GuardDutyFinding>;
