// Security Hub findings in ASFF (`Security Hub Findings - Imported`), as published, through the
// local bus: a relayed GuardDuty finding and its update, an archived control finding (not
// routed), a partner finding with nothing remediable, and one that cannot be read.
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

const securityHub = (file: string) => sourceFixture('securityhub', file);
const alertIdOf = (event: BusEvent) =>
  `securityhub:${(event.detail as { findings: { Id: string }[] }).findings[0]?.Id}`;
const DGA_ID =
  'arn:aws:guardduty:ap-northeast-1:123456789012:detector/sampledetectorid1234567890/finding/samplefindingid1234567890';

describe('Security Hub (ASFF) findings through the local bus', () => {
  let bus: SourceRuntime;

  beforeAll(async () => {
    bus = await startSourceRuntime({ AUTOMATION_LEVEL_ENDPOINT: 'full' });
  });
  afterAll(async () => {
    await bus?.stop();
  });

  it('routes no archived finding (RecordState ARCHIVED)', async () => {
    const archived = securityHub('cspm-ec2-19-archived.json');

    await bus.publish(archived, markerAlert('sh-after-archived'));
    await bus.waitFor('sh-after-archived');

    expect(await bus.investigationOf(alertIdOf(archived))).toBeUndefined();
    expect(await bus.rejected()).toEqual([]);
  });

  it('investigates a relayed GuardDuty finding, then adds what its update brings: nothing twice, nothing lost', async () => {
    const first = securityHub('guardduty-dga-ec2.json');
    const update = securityHub('guardduty-dga-ec2-updated.json');
    const alertId = alertIdOf(first);
    await bus.publish(first);
    const before = await bus.waitFor(alertId);

    await bus.publish(update);
    const after = await bus.waitFor(
      alertId,
      (v) => settled(v) && v.actions.length > before.actions.length,
    );

    expect(before.investigation).toMatchObject({
      title: 'The EC2 instance i-1234567890abcdef0 queried a DGA domain name.',
      severity: 'high',
      status: 'PendingApproval',
      origin: {
        source: 'securityhub',
        findingId: DGA_ID,
        product: 'GuardDuty',
        link: 'https://ap-northeast-1.console.aws.amazon.com/guardduty/home?region=ap-northeast-1#/findings?macros=current&fId=samplefindingid1234567890',
        sample: true,
      },
    });
    expect(evidenceOf(before)).toEqual([
      'device i-1234567890abcdef0 suspicious',
      'url dglvrrerxokcxc.co.jp malicious',
    ]);
    expect(proposed(before)).toEqual([
      'blockUrl dglvrrerxokcxc.co.jp',
      'isolateDevice i-1234567890abcdef0',
    ]);
    // Email automation is `semi`, and the device's verdict is inferred: both wait for an operator.
    expect(before.actions.map((a) => a.status)).toEqual(['Pending', 'Pending']);

    expect(after.investigation.id).toBe(before.investigation.id);
    expect(evidenceOf(after)).toEqual([
      'device i-1234567890abcdef0 suspicious',
      'file C:\\Users\\Public\\dga-client.exe malicious',
      'process 4242@2025-10-01T09:29:41.000Z suspicious',
      'url dglvrrerxokcxc.co.jp malicious',
    ]);
    expect(proposed(after)).toEqual([
      'blockUrl dglvrrerxokcxc.co.jp',
      'isolateDevice i-1234567890abcdef0',
      'killProcess 4242@2025-10-01T09:29:41.000Z',
      'quarantineFile C:\\Users\\Public\\dga-client.exe',
    ]);
    const status = Object.fromEntries(after.actions.map((a) => [a.type, a.status]));
    // The malware the finding names is malicious: `full` quarantines it; the rest waits.
    expect(status).toEqual({
      blockUrl: 'Pending',
      isolateDevice: 'Pending',
      killProcess: 'Pending',
      quarantineFile: 'Completed',
    });
    expect(await bus.pendingIds(after.investigation.id)).toHaveLength(3);
  });

  it('opens an investigation that proposes nothing for a partner finding on resources it cannot remediate', async () => {
    const event = securityHub('decoy-dynamodb-iam.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    expect(view.investigation).toMatchObject({
      severity: 'high',
      status: 'NoThreatsFound',
      origin: {
        source: 'securityhub',
        findingId: '1abc2de3-69ea-4e15-91c6-27eb4a07bd21',
        product: 'DecoyDetector',
      },
    });
    expect(view.investigation.origin?.link).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/securityhub\//,
    );
    expect(view.investigation.noActionReason).toMatch(
      /concerns AwsDynamoDbTable, AwsIamAccessKey, AwsIamRole; the Action Center has no remediation/,
    );
    expect(view.actions).toEqual([]);
  });

  it('keeps an active finding that is not valid ASFF as a rejected alert with its reason', async () => {
    const event: BusEvent = {
      source: 'aws.securityhub',
      'detail-type': 'Security Hub Findings - Imported',
      detail: { findings: [{ Id: 42, RecordState: 'ACTIVE', Workflow: { Status: 'NEW' } }] },
    };

    await bus.publish(event, markerAlert('sh-after-rejected'));
    await bus.waitFor('sh-after-rejected');

    expect(await bus.rejected()).toEqual([
      expect.objectContaining({
        source: 'aws.securityhub',
        detailType: 'Security Hub Findings - Imported',
        reason: 'The Security Hub finding is not a valid ASFF finding.',
        problems: expect.arrayContaining([
          'detail.findings.0.Id: Invalid input: expected string, received number',
        ]),
        body: JSON.stringify(event.detail),
      }),
    ]);
  });
});
