import { readFileSync } from 'node:fs';
import { parseAlert } from '../../../../functions/core/alert.js';
import { actionFor } from '../../../../functions/core/catalog.js';
import { SEVERITIES, type Severity } from '../../../../functions/core/model.js';
import {
  securityHubAsffSource,
  splitFindings,
} from '../../../../functions/core/sources/securityhub-asff.js';
import type { SourceEvent, SourceMapping } from '../../../../functions/core/sources/source.js';

function fixture(name: string): SourceEvent & { detail: { findings: Record<string, unknown>[] } } {
  return JSON.parse(
    readFileSync(
      new URL(`../../../fixtures/sources/securityhub/${name}.json`, import.meta.url),
      'utf8',
    ),
  );
}

function mapped(event: SourceEvent): Extract<SourceMapping, { ok: true }> {
  const result = securityHubAsffSource.map(event);
  if (!result.ok) throw new Error(`not mapped: ${result.reason} ${result.problems.join('; ')}`);
  expect(parseAlert(result.alert)).toEqual({ ok: true, alert: result.alert });
  return result;
}

function rejected(result: SourceMapping | undefined): { reason: string; problems: string[] } {
  if (!result || result.ok) throw new Error('expected a rejection');
  return result;
}

function withFinding(changes: Record<string, unknown>): SourceEvent {
  const event = fixture('guardduty-dga-ec2');
  return { ...event, detail: { findings: [{ ...event.detail.findings[0], ...changes }] } };
}

const INSTANCE = 'i-1234567890abcdef0';
const FINDING_ID =
  'arn:aws:guardduty:ap-northeast-1:123456789012:detector/sampledetectorid1234567890/finding/samplefindingid1234567890';

describe('Security Hub ASFF source', () => {
  it('maps the published GuardDuty DGA finding to its instance and the queried domain', () => {
    // Prepare
    const event = fixture('guardduty-dga-ec2');

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert).toMatchObject({
      alertId: `securityhub:${FINDING_ID}`,
      title: 'The EC2 instance i-1234567890abcdef0 queried a DGA domain name.',
      severity: 'high',
      detectionSource: 'AWS Security Hub (GuardDuty)',
      detectedAt: '2025-10-01T09:30:00.000Z',
    });
    expect(result.alert.entities).toEqual([
      expect.objectContaining({
        kind: 'device',
        id: INSTANCE,
        verdict: 'suspicious',
        displayName: `sample-ec2-instance (${INSTANCE})`,
        accountId: '123456789012',
        region: 'ap-northeast-1',
      }),
      {
        kind: 'url',
        id: 'dglvrrerxokcxc.co.jp',
        verdict: 'malicious',
        displayName: 'dglvrrerxokcxc.co.jp',
      },
    ]);
    expect(result.origin).toEqual({
      source: 'securityhub',
      findingId: FINDING_ID,
      product: 'GuardDuty',
      link: 'https://ap-northeast-1.console.aws.amazon.com/guardduty/home?region=ap-northeast-1#/findings?macros=current&fId=samplefindingid1234567890',
      sample: true,
    });
    expect(result.noActionReason).toBeUndefined();
  });

  it('keeps the alert id of an updated finding and adds its malware file and process', () => {
    // Prepare
    const first = mapped(fixture('guardduty-dga-ec2'));

    // Act
    const updated = mapped(fixture('guardduty-dga-ec2-updated'));

    // Assess
    expect(updated.alert.alertId).toBe(first.alert.alertId);
    expect(updated.alert.entities.slice(0, 1)).toEqual(first.alert.entities.slice(0, 1));
    expect(updated.alert.entities).toEqual(expect.arrayContaining(first.alert.entities));
    expect(updated.alert.entities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'file',
          id: 'C:\\Users\\Public\\dga-client.exe',
          verdict: 'malicious',
          deviceId: INSTANCE,
          malwareName: 'Trojan.DGA.Sample',
        }),
        expect.objectContaining({
          kind: 'process',
          id: '4242@2025-10-01T09:29:41.000Z',
          verdict: 'suspicious',
          displayName: 'dga-client.exe (pid 4242)',
          deviceId: INSTANCE,
        }),
      ]),
    );
  });

  it('caps the device and the process at suspicious so full automation never isolates or kills on a guess', () => {
    // Prepare
    const event = fixture('guardduty-dga-ec2-updated');

    // Act
    const { alert } = mapped(event);

    // Assess
    const byKind = Object.fromEntries(alert.entities.map((e) => [e.kind, e.verdict]));
    expect(byKind).toEqual({
      device: 'suspicious',
      url: 'malicious',
      file: 'malicious',
      process: 'suspicious',
    });
    expect(actionFor('device', 'suspicious')?.type).toBe('isolateDevice');
  });

  it('marks a domain suspicious when the finding type does not name it as command and control', () => {
    // Prepare
    const event = withFinding({ Types: ['TTPs/Discovery/Recon:EC2-Portscan'] });

    // Act
    const { alert } = mapped(event);

    // Assess
    expect(alert.entities.find((e) => e.kind === 'url')?.verdict).toBe('suspicious');
  });

  it('maps the partner decoy finding on an IAM key and a DynamoDB table with no entities and says why', () => {
    // Prepare
    const event = fixture('decoy-dynamodb-iam');

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert.entities).toEqual([]);
    expect(result.alert.detectionSource).toBe('AWS Security Hub (DecoyDetector)');
    expect(result.noActionReason).toBe(
      'Security Hub finding Unusual Behaviors concerns AwsDynamoDbTable, AwsIamAccessKey, AwsIamRole; the Action Center has no remediation for it.',
    );
    expect(result.origin.link).toBe(
      'https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D%5Coperator%5C%3AEQUALS%5C%3A1abc2de3-69ea-4e15-91c6-27eb4a07bd21',
    );
  });

  it('maps an archived posture finding with no entities though it lists malware and a process', () => {
    // Prepare
    const event = fixture('cspm-ec2-19-archived');

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert).toMatchObject({ severity: 'informational', entities: [] });
    expect(result.noActionReason).toMatch(/is archived/);
  });

  it('proposes nothing for a finding resolved or suppressed in its workflow', () => {
    for (const status of ['RESOLVED', 'SUPPRESSED']) {
      // Prepare
      const event = withFinding({ Workflow: { Status: status } });

      // Act
      const result = mapped(event);

      // Assess
      expect(result.alert.entities).toEqual([]);
      expect(result.noActionReason).toContain(status.toLowerCase());
    }
  });

  it('maps each Severity.Label to our scale, and Normalized when the label is missing', () => {
    // Prepare
    const labels: [string, Severity][] = [
      ['INFORMATIONAL', 'informational'],
      ['LOW', 'low'],
      ['MEDIUM', 'medium'],
      ['HIGH', 'high'],
      ['CRITICAL', 'critical'],
    ];
    const normalized: [number, Severity][] = [
      [0, 'informational'],
      [39, 'low'],
      [40, 'medium'],
      [70, 'high'],
      [90, 'critical'],
    ];

    // Act
    const fromLabels = labels.map(
      ([Label]) => mapped(withFinding({ Severity: { Label } })).alert.severity,
    );
    const fromNormalized = normalized.map(
      ([Normalized]) => mapped(withFinding({ Severity: { Normalized } })).alert.severity,
    );

    // Assess
    expect(fromLabels).toEqual(labels.map(([, s]) => s));
    expect(fromNormalized).toEqual(normalized.map(([, s]) => s));
  });

  it('maps threat-intelligence domains, urls and hashes and the remote domain of the traffic', () => {
    // Prepare
    const sha256 = 'a'.repeat(64);
    const event = withFinding({
      Action: undefined,
      ThreatIntelIndicators: [
        { Type: 'DOMAIN', Value: 'evil.example' },
        { Type: 'URL', Value: 'https://evil.example/payload' },
        { Type: 'HASH_SHA256', Value: sha256 },
        { Type: 'IPV4_ADDRESS', Value: '198.51.100.7' },
      ],
      Threats: [
        {
          Name: 'EICAR',
          FilePaths: [{ FilePath: '/tmp/eicar.com', Hash: sha256.replace(/a/g, 'b') }],
        },
      ],
      Network: { Direction: 'OUT', DestinationDomain: 'c2.example', SourceDomain: 'ours.example' },
    });

    // Act
    const { alert } = mapped(event);

    // Assess
    expect(alert.entities.map((e) => [e.kind, e.id, e.verdict, e.deviceId])).toEqual([
      ['device', INSTANCE, 'suspicious', undefined],
      ['file', 'b'.repeat(64), 'malicious', INSTANCE],
      ['url', 'evil.example', 'malicious', undefined],
      ['url', 'https://evil.example/payload', 'malicious', undefined],
      ['file', sha256, 'malicious', INSTANCE],
      ['url', 'c2.example', 'malicious', undefined],
    ]);
  });

  it('splits an event with several findings into one event per finding', () => {
    // Prepare
    const one = fixture('guardduty-dga-ec2');
    const other = fixture('decoy-dynamodb-iam');
    const both = {
      ...one,
      detail: { findings: [one.detail.findings[0], other.detail.findings[0]] },
    };

    // Act
    const events = splitFindings(both);

    // Assess
    expect(
      events.map(
        (e) => securityHubAsffSource.map(e).ok && (e.detail as typeof one.detail).findings.length,
      ),
    ).toEqual([1, 1]);
    expect(events.map((e) => mapped(e).alert.alertId)).toEqual([
      `securityhub:${FINDING_ID}`,
      'securityhub:1abc2de3-69ea-4e15-91c6-27eb4a07bd21',
    ]);
    expect(splitFindings(one)).toEqual([one]);
  });

  it('rejects malformed events with field problems and never throws', () => {
    // Prepare
    const bad: SourceEvent[] = [
      {},
      { detail: null },
      { detail: { findings: [] } },
      { detail: { findings: ['text'] } },
      withFinding({ Id: 42 }),
      withFinding({ Severity: { Label: 'SEVERE' } }),
      withFinding({ CreatedAt: 'yesterday', FirstObservedAt: undefined }),
    ];

    // Act
    const results = bad.map((event) => securityHubAsffSource.map(event));

    // Assess
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    }
    const [, , , , badId, badSeverity, badTime] = results;
    expect(rejected(badId).problems).toEqual([
      'detail.findings.0.Id: Invalid input: expected string, received number',
    ]);
    expect(rejected(badSeverity).problems[0]).toMatch(/^detail\.findings\.0\.Severity\.Label: /);
    expect(rejected(badTime).problems[0]).toMatch(/^detail\.findings\.0\.CreatedAt: /);
  });

  it('maps a hostile finding within the limits', () => {
    // Prepare
    const huge = 'x'.repeat(100_000);
    const resources = Array.from({ length: 10_000 }, (_, i) => ({
      Type: 'AwsEc2Instance',
      Id: `arn:aws:ec2:us-east-1:123456789012:instance/i-${i.toString(16).padStart(17, '0')}`,
      Tags: { Name: 'n'.repeat(5_000) },
    }));
    const pollution = JSON.parse('{"__proto__": {"polluted": true, "Label": "CRITICAL"}}');
    const event = withFinding({
      ...pollution,
      Id: huge,
      Title: huge,
      ProductName: huge,
      Severity: { ...pollution, Label: 'LOW' },
      Resources: [{ ...pollution, Type: 'AwsEc2Instance', Id: huge }, ...resources],
      Malware: [{ Path: huge, Name: huge }],
    });

    // Act
    const { alert, origin } = mapped(event);

    // Assess
    expect(alert.entities).toHaveLength(500);
    expect(alert.severity).toBe('low');
    expect(alert.alertId).toMatch(/^securityhub:[0-9a-f]{40}$/);
    expect(origin.findingId).toHaveLength(1024);
    expect(alert.title).toHaveLength(1024);
    expect(alert.detectionSource.length).toBeLessThanOrEqual(256);
    for (const entity of alert.entities) {
      expect(entity.id.length).toBeLessThanOrEqual(1024);
      expect((entity.displayName ?? '').length).toBeLessThanOrEqual(1024);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('routes active new findings at or above the severity floor', () => {
    // Prepare
    const floors = SEVERITIES;

    // Act
    const details = floors.map((floor) => securityHubAsffSource.ruleDetail?.(floor));

    // Assess
    expect(details[0]).toEqual({
      findings: { RecordState: ['ACTIVE'], Workflow: { Status: ['NEW', 'NOTIFIED'] } },
    });
    expect(details[3]).toEqual({
      findings: {
        RecordState: ['ACTIVE'],
        Workflow: { Status: ['NEW', 'NOTIFIED'] },
        Severity: { Label: ['HIGH', 'CRITICAL'] },
      },
    });
    expect(securityHubAsffSource.detailTypes).toEqual(['Security Hub Findings - Imported']);
    expect(securityHubAsffSource.eventSource).toBe('aws.securityhub');
  });
});
