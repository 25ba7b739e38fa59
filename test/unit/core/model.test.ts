import { AlertDetail, Entity } from '../../../functions/core/model.js';

const realisticAlert = () => ({
  alertId: 'da637b6d1f4e4c559a4a1f6a8f0ee001_1',
  title: "Suspicious PowerShell command line launched by 'invoice.docm'",
  severity: 'high',
  detectionSource: 'EDR',
  detectedAt: '2026-03-01T08:59:12.345Z',
  entities: [
    {
      kind: 'file',
      id: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      verdict: 'malicious',
      displayName: 'invoice.docm',
      deviceId: 'dev-7f3a',
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      path: 'C:\\Users\\alice\\Downloads\\invoice.docm',
    },
    {
      kind: 'process',
      id: 'pid-4242',
      verdict: 'suspicious',
      deviceId: 'dev-7f3a',
      commandLine: 'powershell.exe -enc SQBFAFgA',
    },
    { kind: 'device', id: 'dev-7f3a', verdict: 'unknown', displayName: 'ALICE-LAPTOP' },
    {
      kind: 'emailCluster',
      id: 'cluster-1',
      verdict: 'malicious',
      clusterId: 'cluster-1',
      messageCount: 40,
      query: { subject: 'Invoice', sender: 'billing@evil.example' },
    },
    { kind: 'mailbox', id: 'alice@example.com', verdict: 'clean', mailbox: 'alice@example.com' },
  ],
});

const entity = (i: number) => ({
  kind: 'url',
  id: `https://evil.example/${i}`,
  verdict: 'malicious',
});

describe('AlertDetail', () => {
  it('accepts a realistic alert', () => {
    // Act
    const parsed = AlertDetail.safeParse(realisticAlert());

    // Assess
    expect(parsed.success).toBe(true);
    expect(parsed.data?.entities).toHaveLength(5);
  });

  it('keeps the kind-specific fields of its entities', () => {
    // Act
    const parsed = AlertDetail.parse(realisticAlert());

    // Assess
    expect(parsed.entities[0]).toMatchObject({
      sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
      path: 'C:\\Users\\alice\\Downloads\\invoice.docm',
    });
    expect(parsed.entities[1]).toMatchObject({ commandLine: 'powershell.exe -enc SQBFAFgA' });
    expect(parsed.entities[3]).toMatchObject({
      query: { subject: 'Invoice', sender: 'billing@evil.example' },
    });
  });

  it('accepts an alert without entities', () => {
    expect(AlertDetail.safeParse({ ...realisticAlert(), entities: [] }).success).toBe(true);
  });

  it.each(['informational', 'low', 'medium', 'high', 'critical'])(
    'accepts severity %s',
    (severity) => {
      expect(AlertDetail.safeParse({ ...realisticAlert(), severity }).success).toBe(true);
    },
  );

  it.each(['severe', 'High', 'CRITICAL', 'info', '', 3, null])(
    'rejects severity %j',
    (severity) => {
      // Act
      const parsed = AlertDetail.safeParse({ ...realisticAlert(), severity });

      // Assess
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['severity']);
    },
  );

  it.each(['alertId', 'title', 'severity', 'detectionSource', 'detectedAt', 'entities'])(
    'rejects an alert without %s and names the field',
    (field) => {
      // Prepare
      const alert: Record<string, unknown> = realisticAlert();
      delete alert[field];

      // Act
      const parsed = AlertDetail.safeParse(alert);

      // Assess
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain(field);
    },
  );

  it.each(['alertId', 'title', 'detectionSource'])('rejects an empty %s', (field) => {
    expect(AlertDetail.safeParse({ ...realisticAlert(), [field]: '' }).success).toBe(false);
  });

  it('rejects an over-long alertId', () => {
    expect(AlertDetail.safeParse({ ...realisticAlert(), alertId: 'a'.repeat(257) }).success).toBe(
      false,
    );
  });

  it('accepts exactly 500 entities', () => {
    const entities = Array.from({ length: 500 }, (_, i) => entity(i));

    expect(AlertDetail.safeParse({ ...realisticAlert(), entities }).success).toBe(true);
  });

  it('rejects more than 500 entities', () => {
    // Prepare
    const entities = Array.from({ length: 501 }, (_, i) => entity(i));

    // Act
    const parsed = AlertDetail.safeParse({ ...realisticAlert(), entities });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['entities']);
  });

  it.each([
    '2026-03-01T08:59:12Z',
    '2026-03-01T08:59:12.345Z',
    '2026-03-01T10:59:12+02:00',
    '2026-03-01T03:59:12-05:00',
  ])('accepts detectedAt %s', (detectedAt) => {
    expect(AlertDetail.safeParse({ ...realisticAlert(), detectedAt }).success).toBe(true);
  });

  it.each([
    ['prose', 'yesterday'],
    ['a date without time', '2026-03-01'],
    ['a time without offset', '2026-03-01T08:59:12'],
    ['a space instead of T', '2026-03-01 08:59:12Z'],
    ['month 13', '2026-13-01T08:59:12Z'],
    ['30 February', '2026-02-30T08:59:12Z'],
    ['hour 25', '2026-03-01T25:00:00Z'],
    ['epoch milliseconds', 1772355552000],
    ['an empty string', ''],
  ])('rejects detectedAt as %s', (_, detectedAt) => {
    // Act
    const parsed = AlertDetail.safeParse({ ...realisticAlert(), detectedAt });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['detectedAt']);
  });

  it.each([
    ['an unknown kind', { kind: 'cookie', id: 'x', verdict: 'malicious' }, 'entities.0.kind'],
    ['an unknown verdict', { kind: 'file', id: 'x', verdict: 'evil' }, 'entities.0.verdict'],
    ['no id', { kind: 'file', verdict: 'malicious' }, 'entities.0.id'],
    ['an empty id', { kind: 'file', id: '', verdict: 'malicious' }, 'entities.0.id'],
    [
      'a negative message count',
      { kind: 'emailCluster', id: 'c', verdict: 'malicious', messageCount: -1 },
      'entities.0.messageCount',
    ],
    [
      'a fractional message count',
      { kind: 'emailCluster', id: 'c', verdict: 'malicious', messageCount: 1.5 },
      'entities.0.messageCount',
    ],
    [
      'a numeric deviceId',
      { kind: 'file', id: 'x', verdict: 'malicious', deviceId: 7 },
      'entities.0.deviceId',
    ],
  ])('rejects an entity with %s and names it', (_, bad, path) => {
    // Act
    const parsed = AlertDetail.safeParse({ ...realisticAlert(), entities: [bad] });

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([path]);
  });

  it('rejects a non-object detail', () => {
    expect(AlertDetail.safeParse('{"alertId":"a"}').success).toBe(false);
    expect(AlertDetail.safeParse(null).success).toBe(false);
  });
});

describe('Entity', () => {
  it('keeps kind-specific extra fields as given', () => {
    // Prepare
    const input = {
      kind: 'registryKey',
      id: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\updater',
      verdict: 'malicious',
      deviceId: 'dev-1',
      hive: 'HKLM',
      valueName: 'updater',
      valueData: 'C:\\ProgramData\\updater.exe',
      tags: ['persistence', 'T1547.001'],
      observed: { first: '2026-02-28T00:00:00Z', count: 3 },
    };

    // Act
    const parsed = Entity.parse(input);

    // Assess
    expect(parsed).toEqual(input);
  });

  it('keeps only the fields that were given (no defaults invented)', () => {
    const parsed = Entity.parse({ kind: 'url', id: 'https://evil.example', verdict: 'suspicious' });

    expect(Object.keys(parsed).sort()).toEqual(['id', 'kind', 'verdict']);
  });

  it('still validates the known optional fields', () => {
    expect(
      Entity.safeParse({ kind: 'mailbox', id: 'a', verdict: 'clean', mailbox: '' }).success,
    ).toBe(false);
    expect(
      Entity.safeParse({
        kind: 'mailbox',
        id: 'a',
        verdict: 'clean',
        mailbox: `${'a'.repeat(310)}@example.com`,
      }).success,
    ).toBe(false);
  });
});
