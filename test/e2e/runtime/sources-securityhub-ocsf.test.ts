// Security Hub findings in OCSF (`Findings Imported V2`, Detection Finding 2004) through the local
// bus. Every published-derived fixture carries the same finding uid, so the tests follow one
// finding's life in order: resolved (not routed), seen with no resource (nothing to do, says why),
// seen on an instance (reopened, actions), updated (more evidence, more actions).
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

const ocsf = (file: string) => sourceFixture('securityhub-ocsf', file);
const DGA_ID =
  'arn:aws:guardduty:ap-northeast-1:123456789012:detector/sampledetectorid1234567890/finding/samplefindingid1234567890';
const ALERT_ID = `securityhub-ocsf:${DGA_ID}`;

describe('Security Hub (OCSF) findings through the local bus', () => {
  let bus: SourceRuntime;

  beforeAll(async () => {
    bus = await startSourceRuntime({ AUTOMATION_LEVEL_ENDPOINT: 'full' });
  });
  afterAll(async () => {
    await bus?.stop();
  });

  it('routes no resolved finding (status Resolved, activity Close)', async () => {
    await bus.publish(ocsf('guardduty-dga-ec2-resolved.json'), markerAlert('ocsf-after-resolved'));
    await bus.waitFor('ocsf-after-resolved');

    expect(await bus.investigationOf(ALERT_ID)).toBeUndefined();
    expect(await bus.rejected()).toEqual([]);
  });

  it('opens an investigation that proposes nothing for a finding with no resource, and says why', async () => {
    await bus.publish(ocsf('guardduty-dga-no-resource.json'));
    const view = await bus.waitFor(ALERT_ID);

    expect(view.investigation).toMatchObject({
      title: 'The EC2 instance i-1234567890abcdef0 queried a DGA domain name.',
      severity: 'high',
      status: 'NoThreatsFound',
      origin: {
        source: 'securityhub-ocsf',
        findingId: DGA_ID,
        product: 'GuardDuty',
        link: 'https://ap-northeast-1.console.aws.amazon.com/guardduty/home?region=ap-northeast-1#/findings?macros=current&fId=samplefindingid1234567890',
      },
    });
    expect(view.investigation.noActionReason).toMatch(/concerns no resource/);
    expect(view.evidence).toEqual([]);
    expect(view.actions).toEqual([]);
  });

  it('reopens the concluded investigation when the finding names its instance and domain', async () => {
    const concluded = await bus.waitFor(ALERT_ID);

    await bus.publish(ocsf('guardduty-dga-ec2.json'));
    const view = await bus.waitFor(ALERT_ID, (v) => settled(v) && v.actions.length > 0);

    expect(view.investigation.id).toBe(concluded.investigation.id);
    expect(view.investigation.status).toBe('PendingApproval');
    expect(view.investigation.noActionReason).toBeUndefined();
    expect(evidenceOf(view)).toEqual([
      'device i-1234567890abcdef0 suspicious',
      'url dglvrrerxokcxc.co.jp malicious',
    ]);
    expect(proposed(view)).toEqual([
      'blockUrl dglvrrerxokcxc.co.jp',
      'isolateDevice i-1234567890abcdef0',
    ]);
    // The device's verdict is inferred: `full` endpoint automation still asks an operator.
    expect(view.actions.map((a) => [a.type, a.status, a.decision])).toEqual(
      expect.arrayContaining([['isolateDevice', 'Pending', undefined]]),
    );
  });

  it('adds an updated finding: the new file and process are proposed, nothing twice, nothing lost', async () => {
    const before = await bus.waitFor(ALERT_ID);

    await bus.publish(ocsf('guardduty-dga-ec2-updated.json'));
    const after = await bus.waitFor(
      ALERT_ID,
      (v) => settled(v) && v.actions.length > before.actions.length,
    );

    const hash = '0b9a3a2c5e8f44b1d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4';
    expect(after.investigation.id).toBe(before.investigation.id);
    expect(evidenceOf(after)).toEqual([
      'device i-1234567890abcdef0 suspicious',
      `file ${hash} malicious`,
      'process 4242@2025-10-01T09:29:41.000Z suspicious',
      'url dglvrrerxokcxc.co.jp malicious',
    ]);
    expect(proposed(after)).toEqual([
      'blockUrl dglvrrerxokcxc.co.jp',
      'isolateDevice i-1234567890abcdef0',
      'killProcess 4242@2025-10-01T09:29:41.000Z',
      `quarantineFile ${hash}`,
    ]);
    expect(Object.fromEntries(after.actions.map((a) => [a.type, a.status]))).toEqual({
      blockUrl: 'Pending',
      isolateDevice: 'Pending',
      killProcess: 'Pending',
      quarantineFile: 'Completed',
    });
  });

  it('keeps a Detection Finding it cannot read as a rejected alert with its reason', async () => {
    const event: BusEvent = {
      source: 'aws.securityhub',
      'detail-type': 'Findings Imported V2',
      detail: { findings: [{ class_uid: 2004, status: 'New', activity_name: 'Create' }] },
    };

    await bus.publish(event, markerAlert('ocsf-after-rejected'));
    await bus.waitFor('ocsf-after-rejected');

    expect(await bus.rejected()).toEqual([
      expect.objectContaining({
        source: 'aws.securityhub',
        detailType: 'Findings Imported V2',
        reason: 'The Security Hub finding is not an OCSF Detection Finding.',
        problems: expect.arrayContaining([
          'detail.findings.0.finding_info: Invalid input: expected object, received undefined',
        ]),
        body: JSON.stringify(event.detail),
      }),
    ]);
  });
});
