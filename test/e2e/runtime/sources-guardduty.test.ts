// GuardDuty findings, as published, through the local bus into investigations: what each one
// proposes (with `full` endpoint automation), an updated finding, archived findings (not routed),
// a finding with no remediable resource, one that cannot be read, and the source disabled.
import { jest } from '@jest/globals';
import {
  type BusEvent,
  evidenceOf,
  markerAlert,
  proposed,
  type SourceRuntime,
  settled,
  sourceFixture,
  startSourceRuntime,
} from '../../support/source-runtime.js';

jest.setTimeout(60_000);

const guardDuty = (file: string) => sourceFixture('guardduty', file);
const alertIdOf = (event: BusEvent) => `guardduty:${(event.detail as { id: string }).id}`;
const CONSOLE =
  'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings';

describe('GuardDuty findings through the local bus', () => {
  let bus: SourceRuntime;

  beforeAll(async () => {
    bus = await startSourceRuntime({ AUTOMATION_LEVEL_ENDPOINT: 'full' });
  });
  afterAll(async () => {
    await bus?.stop();
  });

  // First: the archived samples share their finding ids with the active ones sent below.
  it('routes no archived finding: neither investigation nor rejected alert', async () => {
    const iam = guardDuty('iam-recon-archived-sample.json');
    const s3 = guardDuty('s3-pentest-archived-sample.json');

    await bus.publish(iam, s3, markerAlert('gd-after-archived'));
    await bus.waitFor('gd-after-archived');

    expect(await bus.investigationOf(alertIdOf(iam))).toBeUndefined();
    expect(await bus.investigationOf(alertIdOf(s3))).toBeUndefined();
    expect(await bus.rejected()).toEqual([]);
  });

  it('quarantines the scanned malicious files at once and leaves isolating the instance to an operator', async () => {
    const event = guardDuty('ec2-malicious-file-composite.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    expect(view.investigation).toMatchObject({
      title: 'A malicious file has been detected on an EC2 instance.',
      severity: 'high',
      status: 'PendingApproval',
      origin: {
        source: 'guardduty',
        findingId: '0ac0e3c0e3a1f8b8e0f0b0a0c0d0e0f1',
        product: 'GuardDuty',
        link: `${CONSOLE}?search=id%3D0ac0e3c0e3a1f8b8e0f0b0a0c0d0e0f1`,
        sample: true,
      },
    });
    expect(view.investigation.noActionReason).toBeUndefined();
    expect(evidenceOf(view)).toEqual([
      'device i-05746eb48123455e0 suspicious',
      'file a021bbfb6489e54d471899f7dbaaa9d1663fc345ec2fe2a2c4538aabf651fd0f malicious',
      'file tmp/eicar-2.txt malicious',
    ]);
    const byType = (type: string) => view.actions.filter((a) => a.type === type);
    // The instance's verdict is inferred (capped at suspicious): `full` never isolates on it.
    expect(byType('isolateDevice')).toEqual([
      expect.objectContaining({
        status: 'Pending',
        target: expect.objectContaining({ kind: 'device', id: 'i-05746eb48123455e0' }),
      }),
    ]);
    expect(byType('isolateDevice')[0]?.decision).toBeUndefined();
    expect(byType('quarantineFile').map((a) => [a.target.id, a.target.deviceId, a.status])).toEqual(
      expect.arrayContaining([
        [
          'a021bbfb6489e54d471899f7dbaaa9d1663fc345ec2fe2a2c4538aabf651fd0f',
          'i-05746eb48123455e0',
          'Completed',
        ],
        ['tmp/eicar-2.txt', 'i-05746eb48123455e0', 'Completed'],
      ]),
    );
    expect(byType('quarantineFile').every((a) => a.decision?.by === 'Automation')).toBe(true);
    expect(view.actions).toHaveLength(3);
    expect(await bus.pendingIds(view.investigation.id)).toEqual(
      byType('isolateDevice').map((a) => a.id),
    );
  });

  it('proposes isolating the instance and blocking the threat-listed domain of a DNS finding, both for approval', async () => {
    const event = guardDuty('ec2-dns-blackhole-sample.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    expect(view.investigation).toMatchObject({
      severity: 'medium',
      status: 'PendingApproval',
      origin: { source: 'guardduty', findingId: 'd6012345678912345678912349f831b8f', sample: true },
    });
    expect(evidenceOf(view)).toEqual([
      'device i-99999999 suspicious',
      'url GeneratedFindingDomainName malicious',
    ]);
    expect(proposed(view)).toEqual([
      'blockUrl GeneratedFindingDomainName',
      'isolateDevice i-99999999',
    ]);
    expect(view.actions.map((a) => a.status)).toEqual(['Pending', 'Pending']);
  });

  it('adds an updated finding to its investigation: the new process is proposed, nothing twice, nothing lost', async () => {
    const first = guardDuty('runtime-docker-socket.json');
    const update = guardDuty('runtime-docker-socket-updated.json');
    const alertId = alertIdOf(first);
    await bus.publish(first);
    const before = await bus.waitFor(alertId);

    await bus.publish(update);
    const after = await bus.waitFor(
      alertId,
      (v) => settled(v) && v.actions.length > before.actions.length,
    );

    const runtimeEvidence = [
      'device i-abcd1234 suspicious',
      'file /tmp/malicious_file.bin suspicious',
      `file ${'d2'.repeat(32)} suspicious`,
      'process 2345@2024-10-04T04:06:30.377Z suspicious',
    ];
    expect(evidenceOf(before)).toEqual(runtimeEvidence);
    expect(proposed(before)).toEqual([
      'isolateDevice i-abcd1234',
      'killProcess 2345@2024-10-04T04:06:30.377Z',
      'quarantineFile /tmp/malicious_file.bin',
      `quarantineFile ${'d2'.repeat(32)}`,
    ]);
    expect(after.investigation.id).toBe(before.investigation.id);
    expect(after.investigation.origin).toMatchObject({
      source: 'guardduty',
      findingId: 'abcd1234',
    });
    expect(after.investigation.origin?.link).toMatch(
      /^https:\/\/us-west-1\.console\.aws\.amazon\.com\/guardduty\//,
    );
    expect(evidenceOf(after)).toEqual(
      [...runtimeEvidence, 'process 2871@2024-10-04T05:09:58.215Z suspicious'].sort(),
    );
    expect(proposed(after)).toEqual(
      [...proposed(before), 'killProcess 2871@2024-10-04T05:09:58.215Z'].sort(),
    );
    // Inferred from the finding: every one waits for an operator, even with `full` automation.
    expect(after.actions.every((a) => a.status === 'Pending' && !a.decision)).toBe(true);
    expect((await bus.pendingIds(after.investigation.id)).length).toBe(5);
  });

  it.each([
    [
      'iam-recon-active-sample.json',
      'medium',
      /concerns an IAM access key of GeneratedFindingUserName/,
    ],
    ['s3-pentest-active-sample.json', 'medium', /concerns the S3 bucket bucketName/],
    ['rds-login-sample.json', 'high', /concerns an RDS database login/],
  ])(
    'opens an investigation that proposes nothing and says why for %s',
    async (file, severity, reason) => {
      const event = guardDuty(file);

      await bus.publish(event);
      const view = await bus.waitFor(alertIdOf(event));

      expect(view.investigation).toMatchObject({
        severity,
        status: 'NoThreatsFound',
        origin: { source: 'guardduty', sample: true },
      });
      expect(view.investigation.noActionReason).toMatch(reason);
      expect(view.actions).toEqual([]);
    },
  );

  it('keeps a GuardDuty event whose detail is not a finding as a rejected alert with its reason', async () => {
    const event: BusEvent = {
      source: 'aws.guardduty',
      'detail-type': 'GuardDuty Finding',
      detail: { id: 'not-a-finding-1', service: { archived: false }, resource: 'i-0123' },
    };

    await bus.publish(event, markerAlert('gd-after-rejected'));
    await bus.waitFor('gd-after-rejected');
    const rejected = await bus.rejected();

    expect(rejected).toEqual([
      expect.objectContaining({
        source: 'aws.guardduty',
        detailType: 'GuardDuty Finding',
        reason: 'The event is not a GuardDuty finding the Action Center can read.',
        problems: expect.arrayContaining([expect.stringMatching(/^detail\.resource: /)]),
        body: JSON.stringify(event.detail),
        truncated: false,
      }),
    ]);
    expect(await bus.investigationOf('guardduty:not-a-finding-1')).toBeUndefined();
  });
});

describe('GuardDuty disabled (ALERT_SOURCES=actioncenter)', () => {
  let bus: SourceRuntime;

  beforeAll(async () => {
    bus = await startSourceRuntime({ ALERT_SOURCES: 'actioncenter' });
  });
  afterAll(async () => {
    await bus?.stop();
  });

  it('starts nothing for a GuardDuty finding, and keeps no rejected alert', async () => {
    const event = guardDuty('ec2-malicious-file-composite.json');

    await bus.publish(event, markerAlert('gd-disabled-marker'));
    await bus.waitFor('gd-disabled-marker');

    expect(await bus.investigationOf(alertIdOf(event))).toBeUndefined();
    expect(await bus.rejected()).toEqual([]);
  });
});
