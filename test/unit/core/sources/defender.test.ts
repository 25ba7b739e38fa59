// The Defender XDR alert source: published Graph alerts_v2 and incidents API samples mapped to the
// investigation's alert, verdicts stated or derived (and capped), and hostile payloads bounded.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAlert } from '../../../../functions/core/alert.js';
import { analyzeAlert } from '../../../../functions/core/analysis.js';
import { approvalFor } from '../../../../functions/core/automation.js';
import { actionFor } from '../../../../functions/core/catalog.js';
import type { AlertDetail, Entity } from '../../../../functions/core/model.js';
import { defenderSource } from '../../../../functions/core/sources/defender.js';
import {
  AlertOrigin,
  type SourceEvent,
  type SourceMapping,
} from '../../../../functions/core/sources/source.js';

type Json = Record<string, unknown>;
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'sources', 'defender');
const fixture = (name: string): SourceEvent & { detail: Json } =>
  JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));

const DEVICE = '73e7e2de709dff64ef64b1d0c30e67fab63279db';
const SHA256 = '8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec';
const HIDDEN_FILE_ALERT = 'defender:da637578995287051192_756343937';

/** Maps an event and checks the result is a valid alert and origin before handing it back. */
function mapValid(event: SourceEvent): Extract<SourceMapping, { ok: true }> {
  const mapping = defenderSource.map(event);
  if (!mapping.ok) throw new Error(`not mapped: ${mapping.reason} ${mapping.problems.join('; ')}`);
  expect(parseAlert(mapping.alert)).toEqual({ ok: true, alert: mapping.alert });
  expect(AlertOrigin.safeParse(mapping.origin).success).toBe(true);
  return mapping;
}

const byKind = (alert: AlertDetail, kind: Entity['kind']) =>
  alert.entities.filter((e) => e.kind === kind);
const proposals = (alert: AlertDetail) =>
  alert.entities.flatMap((e) => {
    const action = actionFor(e.kind, e.verdict);
    return action ? [{ id: e.id, type: action.type, verdict: e.verdict }] : [];
  });
const graphEvent = (detail: Json): SourceEvent => ({
  source: 'actioncenter.defender',
  'detail-type': 'Defender XDR Alert',
  time: '2021-05-02T14:19:01Z',
  detail,
});

describe('the Graph alerts_v2 "Get alert" sample', () => {
  it('maps the alert, its device, file, process and registry key with Defender verdicts', () => {
    // Prepare
    const event = fixture('graph-alert-get');

    // Act
    const { alert, origin, noActionReason } = mapValid(event);

    // Assess
    expect(alert).toMatchObject({
      alertId: HIDDEN_FILE_ALERT,
      title: 'Suspicious execution of hidden file',
      severity: 'low',
      detectionSource: 'Microsoft Defender for Endpoint',
      detectedAt: '2021-04-26T07:45:50.116Z',
    });
    expect(origin).toEqual({
      source: 'defender',
      findingId: 'da637578995287051192_756343937',
      product: 'Microsoft Defender for Endpoint',
      link: 'https://security.microsoft.com/alerts/da637578995287051192_756343937?tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
    });
    expect(
      alert.entities.map(({ kind, id, verdict, deviceId, displayName }) => ({
        kind,
        id,
        verdict,
        deviceId,
        displayName,
      })),
    ).toEqual([
      {
        kind: 'device',
        id: DEVICE,
        verdict: 'unknown',
        deviceId: undefined,
        displayName: 'tempDns',
      },
      {
        kind: 'file',
        id: SHA256,
        verdict: 'unknown',
        deviceId: DEVICE,
        displayName: 'MsSense.exe',
      },
      {
        kind: 'process',
        id: '4780@2021-08-12T12:43:19.077Z',
        verdict: 'unknown',
        deviceId: DEVICE,
        displayName: 'MsSense.exe (4780)',
      },
      {
        kind: 'registryKey',
        id: 'HKEY_LOCAL_MACHINE\\SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER',
        verdict: 'unknown',
        deviceId: DEVICE,
        displayName:
          'HKEY_LOCAL_MACHINE\\SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER',
      },
    ]);
    expect(byKind(alert, 'file')[0]).toMatchObject({
      path: 'C:\\Program Files\\temp\\MsSense.exe',
    });
    expect(proposals(alert)).toEqual([]);
    expect(noActionReason).toBeUndefined();
  });

  it('keeps the alert id and adds the new evidence when the alert is updated', () => {
    // Prepare
    const first = mapValid(fixture('graph-alert-get')).alert;

    // Act
    const updated = mapValid(fixture('graph-alert-updated')).alert;

    // Assess
    expect(updated.alertId).toBe(first.alertId);
    expect(updated.entities.map((e) => e.id)).toEqual([
      ...first.entities.map((e) => e.id),
      'http://down.esales360.cn',
    ]);
    expect(proposals(updated)).toEqual([
      { id: SHA256, type: 'quarantineFile', verdict: 'malicious' },
      { id: 'http://down.esales360.cn', type: 'blockUrl', verdict: 'malicious' },
    ]);
    // Stated by Defender, so full automation may act on them.
    expect(approvalFor('full', 'malicious')).toBe('automatic');
  });

  it('proposes nothing for evidence Defender already remediated or prevented, and says why', () => {
    // Prepare
    const event = fixture('graph-alert-remediated');

    // Act
    const { alert, noActionReason } = mapValid(event);

    // Assess
    expect(alert.alertId).toBe('defender:da637551227677560813_-961444813');
    expect(byKind(alert, 'file')[0]).toMatchObject({
      verdict: 'clean',
      remediationStatus: 'remediated',
    });
    expect(byKind(alert, 'process')[0]).toMatchObject({
      verdict: 'clean',
      remediationStatus: 'prevented',
    });
    expect(proposals(alert)).toEqual([]);
    expect(noActionReason).toMatch(/already remediated/);
  });
});

describe('Graph e-mail evidence', () => {
  it('maps the message into its cluster, the forwarding rule to its mailbox, and skips the rest', () => {
    // Prepare
    const event = fixture('graph-alert-email-evidence');
    const clusterId =
      'Subject;P2SenderDomain;ContentType:[EXTERNAL] Attention;mail.contoso.co.in;Html';

    // Act
    const { alert } = mapValid(event);

    // Assess
    expect(alert.detectionSource).toBe('Microsoft Defender for Office 365');
    expect(
      alert.entities.map(({ kind, id, verdict, mailbox, clusterId: c }) => [
        kind,
        id,
        verdict,
        mailbox,
        c,
      ]),
    ).toEqual([
      [
        'emailMessage',
        '6b3b4ea3-2c1e-4c6e-8b0a-08d8525cf099',
        'malicious',
        'test.User4@contoso.com',
        clusterId,
      ],
      ['emailCluster', clusterId, 'malicious', undefined, clusterId],
      ['mailbox', 'testUser3@contoso.com', 'suspicious', 'testUser3@contoso.com', undefined],
    ]);
    expect(byKind(alert, 'emailCluster')[0]).toMatchObject({ messageCount: 2 });
    expect(analyzeAlert(alert).clusters).toEqual([
      { clusterId, verdict: 'malicious', messageIds: ['6b3b4ea3-2c1e-4c6e-8b0a-08d8525cf099'] },
    ]);
    expect(proposals(alert).map((p) => p.type)).toEqual([
      'softDeleteEmail',
      'softDeleteEmail',
      'disableExternalForwarding',
    ]);
  });

  it('keeps the forwarding rule the evidence names, for the defender connector to remove', () => {
    const detail = fixture('graph-alert-email-evidence').detail;
    const evidence = (detail.evidence as Json[]).map((e) =>
      e.configurationType ? { ...e, configurationId: 'AQAAAJ5dZqA=' } : e,
    );

    const { alert } = mapValid(graphEvent({ ...detail, evidence }));

    expect(byKind(alert, 'mailbox')).toEqual([
      expect.objectContaining({ id: 'testUser3@contoso.com', inboxRuleId: 'AQAAAJ5dZqA=' }),
    ]);
  });

  it('proposes nothing for a mailbox configuration that is not a forwarding rule', () => {
    // Prepare
    const detail = fixture('graph-alert-email-evidence').detail;
    const evidence = (detail.evidence as Json[]).map((e) =>
      e.configurationType ? { ...e, configurationType: 'owaSettings' } : e,
    );

    // Act
    const { alert } = mapValid(graphEvent({ ...detail, evidence }));

    // Assess
    expect(byKind(alert, 'mailbox')).toEqual([]);
  });
});

describe('the Defender XDR incidents API samples', () => {
  it('maps an alert with only a user and an IP address to no entities, with the reason', () => {
    // Prepare
    const event = fixture('incidents-api-ransomware-user-ip');

    // Act
    const { alert, origin, noActionReason } = mapValid(event);

    // Assess
    expect(alert).toMatchObject({
      alertId: 'defender:caD70CFEE2-1F54-32DB-9988-3A868A1EBFAC',
      severity: 'medium',
      detectionSource: 'Microsoft Defender for Cloud Apps',
      detectedAt: '2020-09-04T05:22:59.000Z',
      entities: [],
    });
    expect(origin.link).toBe(
      'https://security.microsoft.com/alerts/caD70CFEE2-1F54-32DB-9988-3A868A1EBFAC',
    );
    expect(noActionReason).toMatch(/no evidence the Action Center can remediate/);
  });

  it('derives a suspicious file on its device and never proposes isolating the device', () => {
    // Prepare
    const event = fixture('incidents-api-mimikatz-file');
    const device = '24c222b0b60fe148eeece49ac83910cc6a7ef491';

    // Act
    const { alert } = mapValid(event);

    // Assess
    expect(alert.detectionSource).toBe('Microsoft Defender for Endpoint');
    expect(alert.entities).toEqual([
      {
        kind: 'device',
        id: device,
        verdict: 'unknown',
        displayName: 'user5cx.middleeast.corp.contoso.com',
      },
      {
        kind: 'file',
        id: '5de839186691aa96ee2ca6d74f0a38fb8d1bd6dd',
        verdict: 'suspicious',
        verdictInferred: true,
        displayName: 'Detector.UnitTests.dll',
        deviceId: device,
        sha1: '5de839186691aa96ee2ca6d74f0a38fb8d1bd6dd',
        path: 'C:\\Agent\\_work\\_temp\\Deploy_SYSTEM 2020-09-06 12_14_54\\Out\\Detector.UnitTests.dll',
      },
    ]);
    expect(proposals(alert).map((p) => p.type)).toEqual(['quarantineFile']);
    expect(approvalFor('full', 'suspicious')).toBe('operator');
  });

  it('maps the reported phish: the message and its four clusters, scoped to the alert', () => {
    // Prepare
    const event = fixture('incidents-api-reported-phish-clusters');
    const alertId = 'faf8edc936-85f8-a603-b800-08d8525cf099';

    // Act
    const { alert } = mapValid(event);

    // Assess
    expect(alert.severity).toBe('informational');
    expect(byKind(alert, 'mailbox')).toEqual([]);
    expect(byKind(alert, 'emailMessage')).toEqual([
      expect.objectContaining({
        id: 'user.abc@mail.contoso.co.in|test.User4@contoso.com|[EXTERNAL] Attention',
        mailbox: 'test.User4@contoso.com',
        displayName: '[EXTERNAL] Attention',
        verdict: 'suspicious',
      }),
    ]);
    expect(byKind(alert, 'emailCluster').map((c) => [c.id, c.clusterId, c.verdict])).toEqual(
      [
        'Subject;P2SenderDomain;ContentType',
        'Subject;SenderIp;ContentType',
        'BodyFingerprintBin1;P2SenderDomain;ContentType',
        'BodyFingerprintBin1;SenderIp;ContentType',
      ].map((by) => [`${alertId}/${by}`, `${alertId}/${by}`, 'suspicious']),
    );
    expect(proposals(alert).map((p) => p.type)).toEqual([
      'quarantineEmail',
      'softDeleteEmail',
      'softDeleteEmail',
      'softDeleteEmail',
      'softDeleteEmail',
    ]);
  });
});

describe('evidence no published sample carries', () => {
  it("maps incidents API processes, URLs and registry keys onto the alert's one device", () => {
    // Prepare
    const event = fixture('incidents-api-mimikatz-file');
    const entities = [
      {
        entityType: 'Process',
        processId: 24348,
        processCreationTime: '2020-07-18T03:25:38.5269993Z',
        processCommandLine: '"Your File Is Ready To Download_1911150169.exe"',
        fileName: 'Your File Is Ready To Download_1911150169.exe',
      },
      { entityType: 'Url', url: 'down.esales360.cn' },
      {
        entityType: 'Registry',
        registryHive: 'HKEY_LOCAL_MACHINE',
        registryKey: 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
      },
    ];

    // Act
    const { alert } = mapValid({ ...event, detail: { ...event.detail, entities } });

    // Assess
    expect(alert.entities.slice(1).map((e) => [e.kind, e.id, e.verdict, e.deviceId])).toEqual([
      [
        'process',
        '24348@2020-07-18T03:25:38.526Z',
        'suspicious',
        '24c222b0b60fe148eeece49ac83910cc6a7ef491',
      ],
      ['url', 'down.esales360.cn', 'suspicious', undefined],
      [
        'registryKey',
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon',
        'suspicious',
        '24c222b0b60fe148eeece49ac83910cc6a7ef491',
      ],
    ]);
  });

  it('keys a Graph registry value by its key and value name', () => {
    // Prepare
    const value = {
      '@odata.type': '#microsoft.graph.security.registryValueEvidence',
      verdict: 'malicious',
      remediationStatus: 'none',
      mdeDeviceId: 'dev-1',
      registryHive: 'HKEY_CURRENT_USER',
      registryKey: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run',
      registryValueName: 'updater',
      registryValue: 'C:\\Users\\Public\\updater.exe',
      registryValueType: 'String',
    };

    // Act
    const { alert } = mapValid(
      graphEvent({ ...fixture('graph-alert-get').detail, evidence: [value] }),
    );

    // Assess
    expect(alert.entities).toEqual([
      expect.objectContaining({
        kind: 'registryKey',
        id: 'HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater',
        verdict: 'malicious',
        deviceId: 'dev-1',
      }),
    ]);
  });
});

describe('severities and verdicts', () => {
  it.each([
    ['informational', 'informational'],
    ['low', 'low'],
    ['medium', 'medium'],
    ['high', 'high'],
    ['High', 'high'],
    ['unknown', 'informational'],
    ['unknownFutureValue', 'informational'],
  ])('Defender severity %s is %s', (severity, expected) => {
    // Prepare
    const detail = { ...fixture('graph-alert-get').detail, severity };

    // Act
    const { alert } = mapValid(graphEvent(detail));

    // Assess
    expect(alert.severity).toBe(expected);
  });

  it.each([
    ['malicious', 'none', 'malicious'],
    ['suspicious', 'none', 'suspicious'],
    ['noThreatsFound', 'none', 'clean'],
    ['unknown', 'none', 'unknown'],
    ['unknownFutureValue', 'none', 'unknown'],
    ['malicious', 'remediated', 'clean'],
    ['malicious', 'prevented', 'clean'],
    ['malicious', 'blocked', 'clean'],
    ['malicious', 'notFound', 'clean'],
    ['malicious', 'pendingApproval', 'malicious'],
  ])('evidence verdict %s with remediation %s is %s', (verdict, remediationStatus, expected) => {
    // Prepare
    const detail = fixture('graph-alert-get').detail;
    const evidence = (detail.evidence as Json[]).map((e) => ({ ...e, verdict, remediationStatus }));

    // Act
    const { alert } = mapValid(graphEvent({ ...detail, evidence }));

    // Assess
    expect(alert.entities.map((e) => e.verdict)).toEqual([expected, expected, expected, expected]);
  });

  it('takes a verdict the incidents API states, and isolates a machine only on a stated one', () => {
    // Prepare
    const detail = fixture('incidents-api-mimikatz-file').detail;
    const [file] = detail.entities as Json[];
    const machine = { entityType: 'Machine', deviceId: 'abc', verdict: 'Malicious' };
    const entities = [{ ...file, verdict: 'Malicious' }, machine];

    // Act
    const { alert } = mapValid({
      ...fixture('incidents-api-mimikatz-file'),
      detail: { ...detail, entities },
    });

    // Assess
    expect(alert.entities.slice(1).map((e) => [e.kind, e.verdict, e.verdictInferred])).toEqual([
      ['file', 'malicious', undefined],
      ['device', 'malicious', undefined],
    ]);
  });

  it('derives clean evidence from an incidents API alert classified a false positive', () => {
    // Prepare
    const event = fixture('incidents-api-mimikatz-file');
    const detail = { ...event.detail, classification: 'FalsePositive' };

    // Act
    const { alert } = mapValid({ ...event, detail });

    // Assess
    expect(proposals(alert)).toEqual([]);
  });
});

describe('the rule pattern', () => {
  it('routes new and in-progress alerts of every severity at the informational floor', () => {
    expect(defenderSource.ruleDetail?.('informational')).toEqual({
      status: [
        { 'equals-ignore-case': 'new' },
        { 'equals-ignore-case': 'inProgress' },
        { 'equals-ignore-case': 'active' },
      ],
    });
  });

  it('routes only the severities at or above a higher floor', () => {
    expect(defenderSource.ruleDetail?.('medium')?.severity).toEqual([
      { 'equals-ignore-case': 'medium' },
      { 'equals-ignore-case': 'high' },
    ]);
    expect(defenderSource.ruleDetail?.('low')?.severity).toEqual([
      { 'equals-ignore-case': 'low' },
      { 'equals-ignore-case': 'medium' },
      { 'equals-ignore-case': 'high' },
    ]);
  });

  it('routes nothing Defender sends at the critical floor, since Defender has no critical', () => {
    expect(defenderSource.ruleDetail?.('critical')?.severity).toEqual([
      { 'equals-ignore-case': 'critical' },
    ]);
  });
});

describe('payloads that are not Defender alerts', () => {
  it.each([
    ['no detail', undefined, '(detail)'],
    ['an array', [], '(detail)'],
    ['no id', { evidence: [] }, 'id'],
    ['evidence not a list', { id: 'x', evidence: 'none' }, 'evidence'],
    [
      'a pid that is text',
      { id: 'x', evidence: [{ '@odata.type': 't', processId: '1' }] },
      'evidence.0.processId',
    ],
    ['entities not a list', { alertId: 'x', entities: {} }, 'entities'],
  ])('rejects %s with the field in the problems', (_, detail, field) => {
    // Act
    const mapping = defenderSource.map(graphEvent(detail as Json));

    // Assess
    expect(mapping.ok).toBe(false);
    if (mapping.ok) return;
    expect(mapping.reason.length).toBeGreaterThan(0);
    expect(mapping.problems.some((p) => p.startsWith(`${field}:`))).toBe(true);
  });

  it('rejects an alert with no time at all', () => {
    // Prepare
    const detail = { id: 'x', evidence: [] };

    // Act
    const mapping = defenderSource.map({ detail });

    // Assess
    expect(mapping).toMatchObject({
      ok: false,
      problems: ['createdDateTime: a date-time is required'],
    });
  });

  it('never throws on values of any type', () => {
    const values = [null, 0, 'x', true, [], {}, { id: null }, { alertId: 1, entities: [null] }];
    for (const detail of values) {
      expect(() => defenderSource.map({ detail })).not.toThrow();
    }
  });
});

describe('hostile payloads', () => {
  it('keeps ids, names and the entity count within the alert limits', () => {
    // Prepare
    const huge = 'A'.repeat(100_000);
    const evidence = Array.from({ length: 10_000 }, (_, i) => ({
      '@odata.type': '#microsoft.graph.security.fileEvidence',
      verdict: 'malicious',
      fileDetails: { sha256: `${huge}${i}`, fileName: huge, filePath: huge },
      mdeDeviceId: huge,
    }));
    const detail = { ...fixture('graph-alert-get').detail, id: huge, title: huge, evidence };

    // Act
    const { alert, origin } = mapValid(graphEvent(detail));

    // Assess
    expect(alert.entities).toHaveLength(500);
    expect(alert.alertId).toMatch(/^defender:[0-9a-f]{40}$/);
    expect(origin.findingId).toHaveLength(1024);
    for (const e of alert.entities) {
      expect(e.id.length).toBeLessThanOrEqual(1024);
      expect((e.displayName as string).length).toBeLessThanOrEqual(1024);
      expect((e.deviceId as string).length).toBeLessThanOrEqual(256);
    }
  });

  it('does not let prototype keys reach an object prototype or the alert', () => {
    // Prepare
    const text = JSON.stringify(fixture('graph-alert-updated').detail).replace(
      '"evidence":[',
      '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"evidence":[{"@odata.type":"#microsoft.graph.security.urlEvidence","url":"https://x.example","verdict":"malicious","__proto__":{"kind":"device"}},',
    );

    // Act
    const { alert } = mapValid(graphEvent(JSON.parse(text)));

    // Assess
    expect(({} as Json).polluted).toBeUndefined();
    expect(alert.entities[0]).toEqual({
      kind: 'url',
      id: 'https://x.example',
      verdict: 'malicious',
      displayName: 'https://x.example',
    });
  });

  it('drops a link that is not https', () => {
    // Prepare
    const detail = { ...fixture('graph-alert-get').detail, alertWebUrl: 'javascript:alert(1)' };

    // Act
    const { origin } = mapValid(graphEvent(detail));

    // Assess
    expect(origin.link).toBeUndefined();
  });
});
