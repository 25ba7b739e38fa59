import { readFileSync } from 'node:fs';
import { parseAlert } from '../../../../functions/core/alert.js';
import { SEVERITIES, type Severity } from '../../../../functions/core/model.js';
import { securityHubOcsfSource } from '../../../../functions/core/sources/securityhub-ocsf.js';
import type { SourceEvent, SourceMapping } from '../../../../functions/core/sources/source.js';

function fixture(name: string): SourceEvent & { detail: { findings: Record<string, unknown>[] } } {
  return JSON.parse(
    readFileSync(
      new URL(`../../../fixtures/sources/securityhub-ocsf/${name}.json`, import.meta.url),
      'utf8',
    ),
  );
}

function mapped(event: SourceEvent): Extract<SourceMapping, { ok: true }> {
  const result = securityHubOcsfSource.map(event);
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
const SHA256 = '0b9a3a2c5e8f44b1d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4';

describe('Security Hub OCSF source', () => {
  it('maps the published GuardDuty DGA detection finding to its instance and the queried domain', () => {
    // Prepare
    const event = fixture('guardduty-dga-ec2');

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert).toEqual({
      alertId: `securityhub-ocsf:${FINDING_ID}`,
      title: 'The EC2 instance i-1234567890abcdef0 queried a DGA domain name.',
      severity: 'high',
      detectionSource: 'AWS Security Hub (GuardDuty)',
      detectedAt: '2025-10-01T09:30:00.000Z',
      entities: [
        {
          kind: 'device',
          id: INSTANCE,
          verdict: 'suspicious',
          displayName: `sample-ec2-instance (${INSTANCE})`,
          instanceId: INSTANCE,
          region: 'ap-northeast-1',
          // From the finding's cloud.account: the member role is assumed there.
          accountId: '123456789012',
        },
        {
          kind: 'url',
          id: 'dglvrrerxokcxc.co.jp',
          verdict: 'malicious',
          displayName: 'dglvrrerxokcxc.co.jp',
        },
      ],
    });
    expect(result.origin).toEqual({
      source: 'securityhub-ocsf',
      findingId: FINDING_ID,
      product: 'GuardDuty',
      link: 'https://ap-northeast-1.console.aws.amazon.com/guardduty/home?region=ap-northeast-1#/findings?macros=current&fId=samplefindingid1234567890',
    });
    expect(result.noActionReason).toBeUndefined();
  });

  it('keeps the alert id of an updated finding and adds its file and process evidence', () => {
    // Prepare
    const first = mapped(fixture('guardduty-dga-ec2'));

    // Act
    const updated = mapped(fixture('guardduty-dga-ec2-updated'));

    // Assess
    expect(updated.alert.alertId).toBe(first.alert.alertId);
    expect(updated.alert.entities.slice(0, 2)).toEqual(first.alert.entities);
    expect(updated.alert.entities.slice(2)).toEqual([
      expect.objectContaining({
        kind: 'file',
        id: SHA256,
        verdict: 'malicious',
        sha256: SHA256,
        path: 'C:\\Users\\Public\\dga-client.exe',
        deviceId: INSTANCE,
      }),
      expect.objectContaining({
        kind: 'process',
        id: '4242@2025-10-01T09:29:41.000Z',
        verdict: 'suspicious',
        displayName: 'dga-client.exe (pid 4242)',
        commandLine: 'C:\\Users\\Public\\dga-client.exe --beacon',
        deviceId: INSTANCE,
      }),
    ]);
  });

  it('proposes nothing for a resolved (closed) finding and says why', () => {
    // Prepare
    const event = fixture('guardduty-dga-ec2-resolved');

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert.entities).toEqual([]);
    expect(result.alert.alertId).toBe(`securityhub-ocsf:${FINDING_ID}`);
    expect(result.noActionReason).toMatch(/is closed \(Resolved\)/);
  });

  it('maps a finding with no resource and no evidence with no entities and says why', () => {
    // Prepare
    const event = fixture('guardduty-dga-no-resource');

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert.entities).toEqual([]);
    expect(result.noActionReason).toBe(
      'Security Hub finding TTPs/Command and Control/Trojan:EC2-DGADomainRequest.B concerns no resource; the Action Center has no remediation for it.',
    );
  });

  it('maps a posture check on a security group with no entities', () => {
    // Prepare
    const event = withFinding({
      finding_info: {
        uid: 'arn:aws:securityhub:us-east-1:123456789100:control/EC2.19',
        title:
          'EC2.19 Security groups should not allow unrestricted access to ports with high risk',
        created_time_dt: '2021-10-28T19:33:39.417Z',
        types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
      },
    });

    // Act
    const result = mapped(event);

    // Assess
    expect(result.alert.entities).toEqual([]);
    expect(result.noActionReason).toMatch(/posture or vulnerability check/);
  });

  it('maps each severity_id to our scale (6 fatal is critical)', () => {
    // Prepare
    const table: [number, Severity][] = [
      [0, 'informational'],
      [1, 'informational'],
      [2, 'low'],
      [3, 'medium'],
      [4, 'high'],
      [5, 'critical'],
      [6, 'critical'],
      [99, 'informational'],
    ];

    // Act
    const severities = table.map(([id]) => mapped(withFinding({ severity_id: id })).alert.severity);

    // Assess
    expect(severities).toEqual(table.map(([, s]) => s));
  });

  it('rejects the published OCSF example of class 2001 and other malformed events with field problems', () => {
    // Prepare
    const bad: SourceEvent[] = [
      fixture('ocsf-examples-security-finding-2001'),
      {},
      { detail: { findings: 'none' } },
      { detail: { findings: [null] } },
      withFinding({ finding_info: { title: 'no uid' } }),
      withFinding({ severity_id: 'High' }),
      withFinding({
        finding_info: { uid: 'x', first_seen_time_dt: 'soon' },
        time_dt: undefined,
        time: undefined,
      }),
    ];

    // Act
    const results = bad.map((event) => securityHubOcsfSource.map(event));

    // Assess
    for (const result of results) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.length).toBeGreaterThan(0);
    }
    const [classic, , , , noUid, badSeverity, noTime] = results;
    expect(rejected(classic).problems).toContain(
      'detail.findings.0.class_uid: Invalid input: expected 2004',
    );
    expect(rejected(noUid).problems[0]).toMatch(/^detail\.findings\.0\.finding_info\.uid: /);
    expect(rejected(badSeverity).problems[0]).toMatch(/^detail\.findings\.0\.severity_id: /);
    expect(rejected(noTime).reason).toBe('The Security Hub finding has no usable time.');
  });

  it('maps a hostile finding within the limits', () => {
    // Prepare
    const huge = 'x'.repeat(100_000);
    const pollution = JSON.parse('{"__proto__": {"polluted": true}}');
    const evidences = Array.from({ length: 10_000 }, (_, i) => ({
      ...pollution,
      query: { hostname: `${i}.${'d'.repeat(2_000)}.example` },
    }));
    const event = withFinding({
      ...pollution,
      finding_info: {
        ...pollution,
        uid: huge,
        title: huge,
        created_time_dt: '2025-10-01T10:00:00Z',
      },
      metadata: { product: { name: huge } },
      resources: [{ uid: huge, type: 'AwsEc2Instance' }],
      evidences: [{ file: { path: huge } }, ...evidences],
    });

    // Act
    const { alert, origin } = mapped(event);

    // Assess
    expect(alert.entities).toHaveLength(500);
    expect(alert.alertId).toMatch(/^securityhub-ocsf:[0-9a-f]{40}$/);
    expect(origin.findingId).toHaveLength(1024);
    expect(alert.title).toHaveLength(1024);
    for (const entity of alert.entities) {
      expect(entity.id.length).toBeLessThanOrEqual(1024);
      expect((entity.displayName ?? '').length).toBeLessThanOrEqual(1024);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('routes new, not closed findings at or above the severity floor', () => {
    // Prepare
    const floors = SEVERITIES;

    // Act
    const details = floors.map((floor) => securityHubOcsfSource.ruleDetail?.(floor));

    // Assess
    expect(details[0]).toEqual({
      findings: { status: ['New'], activity_name: [{ 'anything-but': 'Close' }] },
    });
    expect(
      details
        .slice(1)
        .map((d) => (d as { findings: Record<string, unknown> }).findings.severity_id),
    ).toEqual([
      [{ numeric: ['>=', 2] }],
      [{ numeric: ['>=', 3] }],
      [{ numeric: ['>=', 4] }],
      [{ numeric: ['>=', 5] }],
    ]);
    expect(securityHubOcsfSource.detailTypes).toEqual(['Findings Imported V2']);
    expect(securityHubOcsfSource.eventSource).toBe('aws.securityhub');
  });
});
