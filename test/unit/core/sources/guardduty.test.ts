import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeAlert, parseAlert } from '../../../../functions/core/alert.js';
import { approvalFor } from '../../../../functions/core/automation.js';
import { actionFor } from '../../../../functions/core/catalog.js';
import type { Entity } from '../../../../functions/core/model.js';
import { guardDutySource, severityOf } from '../../../../functions/core/sources/guardduty.js';
import {
  AlertOrigin,
  type SourceEvent,
  type SourceMapping,
} from '../../../../functions/core/sources/source.js';

const FIXTURES = join(process.cwd(), 'test/fixtures/sources/guardduty');

// biome-ignore lint/suspicious/noExplicitAny: tests edit the published findings field by field
type Finding = Record<string, any>;

function fixture(name: string): SourceEvent & { detail: Finding } {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
}

function mapped(event: SourceEvent): Extract<SourceMapping, { ok: true }> {
  const result = guardDutySource.map(event);
  if (!result.ok) throw new Error(`not mapped: ${result.reason} ${result.problems.join('; ')}`);
  return result;
}

const summary = (entities: Entity[]) =>
  entities.map((e) => [e.kind, e.id, e.verdict, e.deviceId ?? null]);

const RUNTIME_SHA = 'd2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2';
const EICAR_SHA = 'a021bbfb6489e54d471899f7dbaaa9d1663fc345ec2fe2a2c4538aabf651fd0f';

const EXPECTED = [
  {
    file: 'ec2-network-connection.json',
    alertId: 'guardduty:16afba5c5c43e07c9e3e5e2e544e95df',
    severity: 'medium',
    sample: undefined,
    entities: [['device', 'i-05746eb48123455e0', 'suspicious', null]],
    noAction: undefined,
  },
  {
    file: 'ec2-dns-blackhole-sample.json',
    alertId: 'guardduty:d6012345678912345678912349f831b8f',
    severity: 'medium',
    sample: true,
    entities: [
      ['device', 'i-99999999', 'suspicious', null],
      ['url', 'GeneratedFindingDomainName', 'malicious', null],
    ],
    noAction: undefined,
  },
  {
    file: 'ec2-malicious-file-composite.json',
    alertId: 'guardduty:0ac0e3c0e3a1f8b8e0f0b0a0c0d0e0f1',
    severity: 'high',
    sample: true,
    entities: [
      ['device', 'i-05746eb48123455e0', 'suspicious', null],
      ['file', EICAR_SHA, 'malicious', 'i-05746eb48123455e0'],
      ['file', 'tmp/eicar-2.txt', 'malicious', 'i-05746eb48123455e0'],
    ],
    noAction: undefined,
  },
  {
    file: 'runtime-docker-socket.json',
    alertId: 'guardduty:abcd1234',
    severity: 'medium',
    sample: undefined,
    entities: [
      ['device', 'i-abcd1234', 'suspicious', null],
      ['process', '2345@2024-10-04T04:06:30.377Z', 'suspicious', 'i-abcd1234'],
      ['file', RUNTIME_SHA, 'suspicious', 'i-abcd1234'],
      ['file', '/tmp/malicious_file.bin', 'suspicious', 'i-abcd1234'],
    ],
    noAction: undefined,
  },
  {
    file: 'iam-recon-active-sample.json',
    alertId: 'guardduty:30bf285e52a1e405084ff6ec28e06e17',
    severity: 'medium',
    sample: true,
    entities: [],
    noAction: /Recon:IAMUser\/MaliciousIPCaller\.Custom concerns an IAM access key/,
  },
  {
    file: 's3-pentest-active-sample.json',
    alertId: 'guardduty:2cbf285e52a6e74ff96f4cb3cf93296d',
    severity: 'medium',
    sample: true,
    entities: [],
    noAction: /PenTest:S3\/ParrotLinux concerns the S3 bucket bucketName/,
  },
  {
    file: 'rds-login-sample.json',
    alertId: 'guardduty:5abcdefabcdefabcdef2a123456789f6',
    severity: 'high',
    sample: true,
    entities: [],
    noAction: /concerns an RDS database login/,
  },
  {
    file: 'iam-recon-archived-sample.json',
    alertId: 'guardduty:30bf285e52a1e405084ff6ec28e06e17',
    severity: 'medium',
    sample: true,
    entities: [],
    noAction: /is archived/,
  },
] as const;

describe('guardDutySource.map: published GuardDuty findings', () => {
  it.each(EXPECTED)('$file maps to its alert, evidence and origin', (expected) => {
    // Prepare
    const event = fixture(expected.file);

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert.alertId).toBe(expected.alertId);
    expect(result.alert.title).toBe(event.detail.title);
    expect(result.alert.severity).toBe(expected.severity);
    expect(result.alert.detectionSource).toBe('Amazon GuardDuty');
    expect(result.alert.detectedAt).toBe(new Date(event.detail.createdAt).toISOString());
    expect(summary(result.alert.entities)).toEqual(expected.entities);
    expect(result.origin.findingId).toBe(event.detail.id);
    expect(result.origin.sample).toBe(expected.sample);
    if (expected.noAction) expect(result.noActionReason).toMatch(expected.noAction);
    else expect(result.noActionReason).toBeUndefined();
    expect(parseAlert(result.alert)).toEqual({ ok: true, alert: result.alert });
    expect(AlertOrigin.safeParse(result.origin).success).toBe(true);
  });

  it('links the finding in the GuardDuty console of its region', () => {
    const result = mapped(fixture('ec2-dns-blackhole-sample.json'));

    expect(result.origin.link).toBe(
      'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?search=id%3Dd6012345678912345678912349f831b8f',
    );
  });

  it('gives no link when the region is not a region name or the partition is not commercial', () => {
    const badRegion = fixture('ec2-network-connection.json');
    badRegion.detail.region = 'evil.example.com/x';
    const china = fixture('ec2-network-connection.json');
    china.detail.partition = 'aws-cn';

    expect(mapped(badRegion).origin.link).toBeUndefined();
    expect(mapped(china).origin.link).toBeUndefined();
  });

  it('keeps the names a person recognises: the instance Name tag, the process with its pid', () => {
    const result = mapped(fixture('runtime-docker-socket.json'));

    const names = result.alert.entities.map((e) => e.displayName);
    expect(names).toEqual([
      'buildserver-a-0 (i-abcd1234)',
      'sshd (pid 2345)',
      '/usr/bin/ssh',
      '/tmp/malicious_file.bin',
    ]);
    expect(result.alert.entities[1]).toMatchObject({
      pid: 2345,
      processStartTime: '2024-10-04T04:06:30.377Z',
      executablePath: '/usr/bin/ssh',
      sha256: RUNTIME_SHA,
      lineage: 'sshd(123) < apache2(456)',
    });
  });
});

describe('severityOf: GuardDuty score to our scale', () => {
  it.each([
    [0, 'low'],
    [1, 'low'],
    [3.9, 'low'],
    [4, 'medium'],
    [6.9, 'medium'],
    [7, 'high'],
    [8.9, 'high'],
    [9, 'critical'],
    [10, 'critical'],
  ])('%d is %s', (score, severity) => {
    expect(severityOf(score)).toBe(severity);
  });
});

describe('verdicts: stated by GuardDuty or inferred and capped', () => {
  it('never lets full automation isolate an instance or kill a process on an inferred verdict', () => {
    const entities = [
      ...mapped(fixture('runtime-docker-socket.json')).alert.entities,
      ...mapped(fixture('ec2-malicious-file-composite.json')).alert.entities,
      ...mapped(fixture('ec2-dns-blackhole-sample.json')).alert.entities,
    ];

    const automatic = entities
      .filter((e) => approvalFor('full', e.verdict) === 'automatic')
      .map((e) => actionFor(e.kind, e.verdict)?.type);
    expect(automatic).toEqual(['quarantineFile', 'quarantineFile', 'blockUrl']);
    for (const e of entities.filter((x) => x.kind === 'device' || x.kind === 'process')) {
      expect(e.verdict).toBe('suspicious');
      expect(approvalFor('full', e.verdict)).toBe('operator');
    }
  });

  it('proposes isolating the instance for review: isolateDevice awaits an operator', () => {
    const entities = mapped(fixture('ec2-network-connection.json')).alert.entities;
    const verdict = entities.find((e) => e.kind === 'device')?.verdict ?? 'clean';

    expect(actionFor('device', verdict)?.type).toBe('isolateDevice');
    expect(approvalFor('full', verdict)).toBe('operator');
  });

  it('treats a low finding as blocked: the instance is kept as evidence and nothing is proposed', () => {
    const event = fixture('ec2-network-connection.json');
    event.detail.severity = 2;

    const result = mapped(event);

    expect(summary(result.alert.entities)).toEqual([
      ['device', 'i-05746eb48123455e0', 'unknown', null],
    ]);
    expect(result.noActionReason).toMatch(/rates finding Canary:EC2\/Stateless.IntegTest low/);
  });

  it('marks a queried domain suspicious when GuardDuty names no threat list for it', () => {
    const event = fixture('ec2-dns-blackhole-sample.json');
    event.detail.service.evidence = null;

    const url = mapped(event).alert.entities.find((e) => e.kind === 'url');

    expect(url?.verdict).toBe('suspicious');
  });

  it('marks the files of a suspicious-file scan suspicious, not malicious', () => {
    const event = fixture('ec2-malicious-file-composite.json');
    event.detail.type = 'Execution:EC2/SuspiciousFile';

    const files = mapped(event).alert.entities.filter((e) => e.kind === 'file');

    expect(files.map((f) => f.verdict)).toEqual(['suspicious', 'suspicious']);
  });

  it('names no device from the instance a sample fills into an IAM or S3 finding', () => {
    const event = fixture('iam-recon-active-sample.json');

    expect(event.detail.resource.instanceDetails.instanceId).toBe('i-99999999');
    expect(mapped(event).alert.entities).toEqual([]);
  });

  it('keeps an archived finding’s evidence with no verdict that proposes', () => {
    const event = fixture('ec2-dns-blackhole-sample.json');
    event.detail.service.archived = true;

    const result = mapped(event);

    expect(summary(result.alert.entities)).toEqual([
      ['device', 'i-99999999', 'unknown', null],
      ['url', 'GeneratedFindingDomainName', 'unknown', null],
    ]);
    expect(result.noActionReason).toMatch(/Trojan:EC2\/BlackholeTraffic!DNS is archived/);
  });
});

describe('updates: GuardDuty resends the finding as it changes', () => {
  it('maps the update to the same alert and adds the new process, the executable once', () => {
    const first = mapped(fixture('runtime-docker-socket.json'));
    const update = mapped(fixture('runtime-docker-socket-updated.json'));

    const merged = normalizeAlert({
      ...update.alert,
      entities: [...first.alert.entities, ...update.alert.entities],
    });

    expect(update.alert.alertId).toBe(first.alert.alertId);
    expect(merged.entities.filter((e) => e.kind === 'process').map((e) => e.id)).toEqual([
      '2345@2024-10-04T04:06:30.377Z',
      '2871@2024-10-04T05:09:58.215Z',
    ]);
    expect(merged.entities.filter((e) => e.id === RUNTIME_SHA)).toHaveLength(1);
    expect(merged.entities.filter((e) => e.kind === 'device')).toHaveLength(1);
  });
});

describe('ruleDetail: active findings at or above the floor', () => {
  it.each([
    ['informational', undefined],
    ['low', undefined],
    ['medium', 4],
    ['high', 7],
    ['critical', 9],
  ] as const)('%s', (floor, score) => {
    const detail = guardDutySource.ruleDetail?.(floor);

    expect(detail).toEqual({
      service: { archived: [false] },
      ...(score === undefined ? {} : { severity: [{ numeric: ['>=', score] }] }),
    });
  });

  it('reads the events GuardDuty sends', () => {
    expect(guardDutySource.eventSource).toBe('aws.guardduty');
    expect(guardDutySource.detailTypes).toEqual(['GuardDuty Finding']);
    expect(guardDutySource.id).toBe('guardduty');
  });
});

describe('malformed and hostile payloads', () => {
  it.each([
    ['no detail', undefined, 'detail: '],
    ['a string detail', 'finding', 'detail: '],
    [
      'a severity in words',
      { ...fixture('ec2-network-connection.json').detail, severity: 'HIGH' },
      'detail.severity: ',
    ],
    [
      'a creation time that is no time',
      { ...fixture('ec2-network-connection.json').detail, createdAt: 'yesterday' },
      'detail.createdAt: ',
    ],
    [
      'no resource',
      { ...fixture('ec2-network-connection.json').detail, resource: undefined },
      'detail.resource: ',
    ],
  ])('%s is refused with the field named', (_name, detail, problem) => {
    const result = guardDutySource.map({ source: 'aws.guardduty', detail });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe('The event is not a GuardDuty finding the Action Center can read.');
    expect(result.problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  it('never throws, whatever arrives', () => {
    for (const event of [null, undefined, 42, [], { detail: null }, { detail: [] }]) {
      expect(guardDutySource.map(event as unknown as SourceEvent).ok).toBe(false);
    }
  });

  it('keeps at most 500 entities, ids and names within their limits', () => {
    const event = fixture('ec2-malicious-file-composite.json');
    const long = 'x'.repeat(100_000);
    event.detail.resource.instanceDetails.instanceId = `i-${long}`;
    event.detail.title = long;
    event.detail.service.ebsVolumeScanDetails.scanDetections.threatDetectedByName.threatNames = [
      {
        name: long,
        filePaths: Array.from({ length: 10_000 }, (_, i) => ({
          filePath: `/${i}/${long.slice(0, 2000)}`,
        })),
      },
    ];

    const result = mapped(event);

    expect(result.alert.entities).toHaveLength(500);
    expect(result.alert.title).toHaveLength(1024);
    for (const e of result.alert.entities) {
      expect(e.id.length).toBeLessThanOrEqual(1024);
      expect(e.displayName?.length ?? 0).toBeLessThanOrEqual(1024);
      expect(e.deviceId?.length ?? 0).toBeLessThanOrEqual(256);
    }
    expect(parseAlert(result.alert).ok).toBe(true);
  });

  it('keys a finding id longer than 200 characters by its digest and keeps the id', () => {
    const event = fixture('ec2-network-connection.json');
    event.detail.id = 'f'.repeat(300);

    const result = mapped(event);

    expect(result.alert.alertId).toMatch(/^guardduty:[0-9a-f]{40}$/);
    expect(result.origin.findingId).toBe('f'.repeat(300));
  });

  it('is not led astray by prototype keys', () => {
    const raw = readFileSync(join(FIXTURES, 'runtime-docker-socket.json'), 'utf8').replace(
      '"process": {',
      '"process": { "__proto__": { "polluted": true, "pid": 1 }, "constructor": { "prototype": { "polluted": true } },',
    );

    const result = mapped(JSON.parse(raw));

    expect(raw).toContain('"__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(result.alert.entities.find((e) => e.kind === 'process')?.pid).toBe(2345);
    expect(parseAlert(result.alert).ok).toBe(true);
  });
});
