// Defender XDR alerts (`actioncenter.defender` / `Defender XDR Alert`), in the Graph alerts_v2
// shape and the incidents API shape, through the local bus: endpoint and e-mail evidence, an alert
// whose evidence grows, evidence Defender already remediated, and an alert it cannot read.
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

const defender = (file: string) => sourceFixture('defender', file);
/** Graph alerts carry `id`, incidents API alerts `alertId`. */
const alertIdOf = (event: BusEvent) => {
  const detail = event.detail as { id?: string; alertId?: string };
  return `defender:${detail.id ?? detail.alertId}`;
};
const DEVICE = '73e7e2de709dff64ef64b1d0c30e67fab63279db';
const FILE = '8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec';
const PROCESS = '4780@2021-08-12T12:43:19.077Z';
const KEY = 'HKEY_LOCAL_MACHINE\\SYSTEM\\CONTROLSET001\\CONTROL\\WMI\\AUTOLOGGER\\SENSEAUDITLOGGER';
const TENANT = 'tid=b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c';

describe('Defender XDR alerts through the local bus', () => {
  let bus: SourceRuntime;

  beforeAll(async () => {
    bus = await startSourceRuntime({ AUTOMATION_LEVEL_ENDPOINT: 'full' });
  });
  afterAll(async () => {
    await bus?.stop();
  });

  it('routes no resolved alert; an open one whose evidence Defender remediated proposes nothing and says why', async () => {
    const resolved = defender('graph-alert-remediated.json');
    // The same alert while still in progress: Defender's own response already acted on it.
    const inProgress: BusEvent = {
      ...resolved,
      detail: { ...(resolved.detail as object), status: 'inProgress' },
    };

    await bus.publish(resolved, markerAlert('def-after-resolved'));
    await bus.waitFor('def-after-resolved');
    const notRouted = await bus.investigationOf(alertIdOf(resolved));
    await bus.publish(inProgress);
    const view = await bus.waitFor(alertIdOf(inProgress));

    expect(notRouted).toBeUndefined();
    expect(view.investigation).toMatchObject({
      severity: 'low',
      status: 'NoThreatsFound',
      origin: {
        source: 'defender',
        findingId: 'da637551227677560813_-961444813',
        product: 'Microsoft Defender for Endpoint',
        link: `https://security.microsoft.com/alerts/da637551227677560813_-961444813?${TENANT}`,
      },
    });
    expect(view.investigation.noActionReason).toMatch(/already remediated, prevented or blocked/);
    expect(view.evidence.map((e) => [e.kind, e.id, e.verdict, e.remediationStatus]).sort()).toEqual(
      [
        ['device', DEVICE, 'unknown', undefined],
        ['file', FILE, 'clean', 'remediated'],
        ['process', PROCESS, 'clean', 'prevented'],
        ['registryKey', KEY, 'unknown', undefined],
      ],
    );
    expect(view.actions).toEqual([]);
  });

  it('adds the evidence an updated alert brings: the file now malicious and a new URL, nothing twice, nothing lost', async () => {
    const first = defender('graph-alert-get.json');
    const update = defender('graph-alert-updated.json');
    const alertId = alertIdOf(first);
    await bus.publish(first);
    const before = await bus.waitFor(alertId);

    await bus.publish(update);
    const after = await bus.waitFor(alertId, (v) => settled(v) && v.actions.length > 0);

    expect(before.investigation).toMatchObject({
      title: 'Suspicious execution of hidden file',
      severity: 'low',
      status: 'NoThreatsFound',
      origin: {
        source: 'defender',
        findingId: 'da637578995287051192_756343937',
        link: `https://security.microsoft.com/alerts/da637578995287051192_756343937?${TENANT}`,
      },
    });
    // Every verdict is Defender's own `unknown`: nothing to propose yet.
    expect(evidenceOf(before)).toEqual([
      `device ${DEVICE} unknown`,
      `file ${FILE} unknown`,
      `process ${PROCESS} unknown`,
      `registryKey ${KEY} unknown`,
    ]);
    expect(before.actions).toEqual([]);

    expect(after.investigation.id).toBe(before.investigation.id);
    expect(evidenceOf(after)).toEqual([
      `device ${DEVICE} unknown`,
      `file ${FILE} malicious`,
      `process ${PROCESS} unknown`,
      `registryKey ${KEY} unknown`,
      'url http://down.esales360.cn malicious',
    ]);
    expect(proposed(after)).toEqual([
      'blockUrl http://down.esales360.cn',
      `quarantineFile ${FILE}`,
    ]);
    // Defender's own malicious verdict on the file: `full` endpoint automation quarantines it.
    expect(Object.fromEntries(after.actions.map((a) => [a.type, a.status]))).toEqual({
      blockUrl: 'Pending',
      quarantineFile: 'Completed',
    });
    expect(after.actions.find((a) => a.type === 'quarantineFile')?.target.deviceId).toBe(DEVICE);
  });

  it('proposes deleting the phishing cluster and disabling the forwarding rule; the victim mailbox, user and IP propose nothing', async () => {
    const event = defender('graph-alert-email-evidence.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    expect(view.investigation).toMatchObject({
      title: 'Email reported by user as malware or phish',
      severity: 'informational',
      status: 'PendingApproval',
      origin: { source: 'defender', product: 'Microsoft Defender for Office 365' },
    });
    expect(evidenceOf(view)).toEqual([
      'emailCluster Subject;P2SenderDomain;ContentType:[EXTERNAL] Attention;mail.contoso.co.in;Html malicious',
      'emailMessage 6b3b4ea3-2c1e-4c6e-8b0a-08d8525cf099 malicious',
      'mailbox testUser3@contoso.com suspicious',
    ]);
    expect(proposed(view)).toEqual([
      'disableExternalForwarding testUser3@contoso.com',
      'softDeleteEmail Subject;P2SenderDomain;ContentType:[EXTERNAL] Attention;mail.contoso.co.in;Html',
    ]);
    expect(view.actions.every((a) => a.status === 'Pending')).toBe(true);
    expect(await bus.pendingIds(view.investigation.id)).toHaveLength(2);
  });

  it('maps an incidents API alert: the file on its machine for approval, the machine not isolated on a guess', async () => {
    const event = defender('incidents-api-mimikatz-file.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    expect(view.investigation).toMatchObject({
      title: "'Mimikatz' hacktool was detected",
      severity: 'low',
      status: 'PendingApproval',
      origin: {
        source: 'defender',
        findingId: 'da637349914833441527_393341063',
        link: 'https://security.microsoft.com/alerts/da637349914833441527_393341063',
      },
    });
    expect(evidenceOf(view)).toEqual([
      'device 24c222b0b60fe148eeece49ac83910cc6a7ef491 unknown',
      'file 5de839186691aa96ee2ca6d74f0a38fb8d1bd6dd suspicious',
    ]);
    // Inferred verdict (the incidents API gives none): even `full` waits for an operator.
    expect(view.actions).toEqual([
      expect.objectContaining({
        type: 'quarantineFile',
        status: 'Pending',
        target: expect.objectContaining({
          id: '5de839186691aa96ee2ca6d74f0a38fb8d1bd6dd',
          deviceId: '24c222b0b60fe148eeece49ac83910cc6a7ef491',
        }),
      }),
    ]);
  });

  it('proposes deleting each reported-phish cluster of an incidents API alert, once each', async () => {
    const event = defender('incidents-api-reported-phish-clusters.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    const scope = 'faf8edc936-85f8-a603-b800-08d8525cf099';
    expect(view.investigation.status).toBe('PendingApproval');
    expect(proposed(view)).toEqual(
      [
        `softDeleteEmail ${scope}/BodyFingerprintBin1;P2SenderDomain;ContentType`,
        `softDeleteEmail ${scope}/BodyFingerprintBin1;SenderIp;ContentType`,
        `softDeleteEmail ${scope}/Subject;P2SenderDomain;ContentType`,
        `softDeleteEmail ${scope}/Subject;SenderIp;ContentType`,
        'quarantineEmail user.abc@mail.contoso.co.in|test.User4@contoso.com|[EXTERNAL] Attention',
      ].sort(),
    );
    expect(view.actions.every((a) => a.status === 'Pending')).toBe(true);
  });

  it('opens an investigation that proposes nothing for an alert with only users and IP addresses, and says why', async () => {
    const event = defender('incidents-api-ransomware-user-ip.json');

    await bus.publish(event);
    const view = await bus.waitFor(alertIdOf(event));

    expect(view.investigation).toMatchObject({
      title: 'Ransomware activity',
      severity: 'medium',
      status: 'NoThreatsFound',
      origin: { source: 'defender', product: 'Microsoft Defender for Cloud Apps' },
    });
    expect(view.investigation.noActionReason).toMatch(
      /no evidence the Action Center can remediate/,
    );
    expect(view.actions).toEqual([]);
  });

  it('keeps an open alert it cannot read as a rejected alert with its reason', async () => {
    const event: BusEvent = {
      source: 'actioncenter.defender',
      'detail-type': 'Defender XDR Alert',
      detail: { id: 'not-an-alert-1', status: 'new', evidence: 'none' },
    };

    await bus.publish(event, markerAlert('def-after-rejected'));
    await bus.waitFor('def-after-rejected');

    expect(await bus.rejected()).toEqual([
      expect.objectContaining({
        source: 'actioncenter.defender',
        detailType: 'Defender XDR Alert',
        reason: 'The detail is not a Microsoft Graph security alert.',
        problems: ['evidence: Invalid input: expected array, received string'],
        body: JSON.stringify(event.detail),
      }),
    ]);
    expect(await bus.investigationOf('defender:not-an-alert-1')).toBeUndefined();
  });
});
