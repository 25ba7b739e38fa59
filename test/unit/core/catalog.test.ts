import {
  actionFor,
  type CatalogEntry,
  categoryOf,
  dedupKeyOf,
  kindsOf,
  manualEntryFor,
  targetOf,
} from '../../../functions/core/catalog.js';
import { actionIdFor, investigationIdFor } from '../../../functions/core/ids.js';
import {
  ACTION_TYPES,
  type ActionType,
  type Category,
  EMAIL_ACTION_TYPES,
  ENDPOINT_ACTION_TYPES,
  ENTITY_KINDS,
  Entity,
  type EntityKind,
  Target,
  VERDICTS,
  type Verdict,
} from '../../../functions/core/model.js';

// What each kind of evidence calls for when it is malicious, written out from catalog.ts.
const REMEDIATION: Record<EntityKind, CatalogEntry> = {
  file: { type: 'quarantineFile', category: 'endpoint', undoable: true },
  process: { type: 'killProcess', category: 'endpoint', undoable: false },
  registryKey: { type: 'removeRegistryKey', category: 'endpoint', undoable: true },
  service: { type: 'stopService', category: 'endpoint', undoable: true },
  driver: { type: 'disableDriver', category: 'endpoint', undoable: true },
  scheduledTask: { type: 'removeScheduledTask', category: 'endpoint', undoable: true },
  device: { type: 'isolateDevice', category: 'endpoint', undoable: true },
  emailMessage: { type: 'softDeleteEmail', category: 'email', undoable: true },
  emailCluster: { type: 'softDeleteEmail', category: 'email', undoable: true },
  url: { type: 'blockUrl', category: 'email', undoable: true },
  mailbox: { type: 'disableExternalForwarding', category: 'email', undoable: true },
  attachment: { type: 'quarantineAttachment', category: 'email', undoable: true },
};

function expectedAction(kind: EntityKind, verdict: Verdict): CatalogEntry | undefined {
  if (verdict === 'clean' || verdict === 'unknown') return undefined;
  if (kind === 'emailMessage' && verdict === 'suspicious') {
    return { type: 'quarantineEmail', category: 'email', undoable: true };
  }
  return REMEDIATION[kind];
}

const KINDS = Object.keys(REMEDIATION) as EntityKind[];
const ALL_VERDICTS: Verdict[] = ['malicious', 'suspicious', 'clean', 'unknown'];
const GRID = KINDS.flatMap((kind) =>
  ALL_VERDICTS.map((verdict) => ({ kind, verdict, expected: expectedAction(kind, verdict) })),
);

describe('actionFor: the remediation a piece of evidence calls for', () => {
  it('covers every entity kind and verdict of the contract', () => {
    expect([...KINDS].sort()).toEqual([...ENTITY_KINDS].sort());
    expect([...ALL_VERDICTS].sort()).toEqual([...VERDICTS].sort());
    expect(GRID).toHaveLength(48);
  });

  it.each(GRID)('$verdict $kind → $expected.type', ({ kind, verdict, expected }) => {
    // Act
    const entry = actionFor(kind, verdict);

    // Assess
    expect(entry).toEqual(expected);
  });

  it('quarantines a suspicious email message instead of deleting it', () => {
    expect(actionFor('emailMessage', 'suspicious')?.type).toBe('quarantineEmail');
    expect(actionFor('emailMessage', 'malicious')?.type).toBe('softDeleteEmail');
  });

  it.each(KINDS)('proposes nothing for clean or unknown %s evidence', (kind) => {
    expect(actionFor(kind, 'clean')).toBeUndefined();
    expect(actionFor(kind, 'unknown')).toBeUndefined();
  });

  it('can propose every action type in the catalogue', () => {
    // Act
    const reachable = new Set(GRID.map(({ kind, verdict }) => actionFor(kind, verdict)?.type));
    reachable.delete(undefined);

    // Assess
    expect([...reachable].sort()).toEqual([...ACTION_TYPES].sort());
  });

  it.each(GRID.filter((g) => g.expected !== undefined))(
    '$verdict $kind: the entry category agrees with categoryOf',
    ({ kind, verdict }) => {
      const entry = actionFor(kind, verdict);

      expect(entry && categoryOf(entry.type)).toBe(entry?.category);
    },
  );
});

describe('categoryOf', () => {
  const CATEGORIES: [ActionType, Category][] = [
    ['quarantineFile', 'endpoint'],
    ['removeRegistryKey', 'endpoint'],
    ['killProcess', 'endpoint'],
    ['stopService', 'endpoint'],
    ['disableDriver', 'endpoint'],
    ['removeScheduledTask', 'endpoint'],
    ['isolateDevice', 'endpoint'],
    ['softDeleteEmail', 'email'],
    ['blockUrl', 'email'],
    ['disableExternalForwarding', 'email'],
    ['quarantineEmail', 'email'],
    ['quarantineAttachment', 'email'],
  ];

  it('has a row for each of the 12 action types', () => {
    expect(CATEGORIES.map(([t]) => t).sort()).toEqual([...ACTION_TYPES].sort());
  });

  it.each(CATEGORIES)('%s is an %s action', (type, category) => {
    expect(categoryOf(type)).toBe(category);
  });

  it.each(ENDPOINT_ACTION_TYPES)('agrees with the model that %s is endpoint', (type) => {
    expect(categoryOf(type)).toBe('endpoint');
  });

  it.each(EMAIL_ACTION_TYPES)('agrees with the model that %s is email', (type) => {
    expect(categoryOf(type)).toBe('email');
  });
});

describe('targetOf', () => {
  it("carries the AWS account and region of the entity's device, when well formed", () => {
    // Prepare
    const placed = Entity.parse({
      kind: 'process',
      id: '42@2026-11-01T00:00:00Z',
      verdict: 'suspicious',
      deviceId: 'i-0123456789abcdef0',
      accountId: '210987654321',
      region: 'eu-west-1',
    });
    const malformed = Entity.parse({ ...placed, accountId: '1234', region: 'evil.example.com/x' });

    // Act
    const target = targetOf(placed);
    const withoutPlace = targetOf(malformed);

    // Assess
    expect(target).toMatchObject({ accountId: '210987654321', region: 'eu-west-1' });
    expect(Object.hasOwn(withoutPlace, 'accountId')).toBe(false);
    expect(Object.hasOwn(withoutPlace, 'region')).toBe(false);
  });

  it('carries what the defender connector reaches the target by: a SHA-1 and an inbox rule id', () => {
    const file = Entity.parse({
      kind: 'file',
      id: 'sha256:abc',
      verdict: 'malicious',
      sha1: '87662bc3d60e4200ceaf7aae249d1c343f4b83c9',
    });
    const mailbox = Entity.parse({
      kind: 'mailbox',
      id: 'megan@contoso.com',
      verdict: 'malicious',
      inboxRuleId: 'AQAAAJ5dZqA=',
    });
    const notASha1 = Entity.parse({ kind: 'file', id: 'f', verdict: 'malicious', sha1: 'abc' });

    expect(targetOf(file).sha1).toBe('87662bc3d60e4200ceaf7aae249d1c343f4b83c9');
    expect(targetOf(mailbox).inboxRuleId).toBe('AQAAAJ5dZqA=');
    expect(Object.hasOwn(targetOf(notASha1), 'sha1')).toBe(false);
  });

  it('keeps kind and id and falls back to the id for the display name', () => {
    // Prepare
    const entity = Entity.parse({ kind: 'file', id: 'sha256:abc', verdict: 'malicious' });

    // Act
    const target = targetOf(entity);

    // Assess
    expect(target).toEqual({ kind: 'file', id: 'sha256:abc', displayName: 'sha256:abc' });
    for (const key of ['deviceId', 'mailbox', 'clusterId', 'messageCount']) {
      expect(Object.hasOwn(target, key)).toBe(false);
    }
  });

  it('uses the display name when there is one', () => {
    const entity = Entity.parse({
      kind: 'file',
      id: 'f-1',
      verdict: 'malicious',
      displayName: 'invoice.exe',
    });

    expect(targetOf(entity).displayName).toBe('invoice.exe');
  });

  it('copies every optional field that is present', () => {
    // Prepare
    const entity = Entity.parse({
      kind: 'emailCluster',
      id: 'c-1',
      verdict: 'malicious',
      displayName: 'Invoice phish',
      deviceId: 'dev-9',
      mailbox: 'alice@example.com',
      clusterId: 'c-1',
      messageCount: 40,
    });

    // Act
    const target = targetOf(entity);

    // Assess
    expect(target).toEqual({
      kind: 'emailCluster',
      id: 'c-1',
      displayName: 'Invoice phish',
      deviceId: 'dev-9',
      mailbox: 'alice@example.com',
      clusterId: 'c-1',
      messageCount: 40,
    });
  });

  it.each([
    ['deviceId', { deviceId: 'dev-1' }],
    ['mailbox', { mailbox: 'bob@example.com' }],
    ['clusterId', { clusterId: 'c-7' }],
    ['messageCount', { messageCount: 3 }],
    ['a zero messageCount', { messageCount: 0 }],
  ])('copies only %s when only it is present', (_, extra) => {
    // Prepare
    const entity = Entity.parse({
      kind: 'emailMessage',
      id: 'm-1',
      verdict: 'suspicious',
      ...extra,
    });

    // Act
    const target = targetOf(entity);

    // Assess
    expect(target).toEqual({ kind: 'emailMessage', id: 'm-1', displayName: 'm-1', ...extra });
  });

  it('keeps what an agent on the device needs (path, sha256) and leaves out the verdict and the rest', () => {
    const entity = Entity.parse({
      kind: 'file',
      id: 'f-1',
      verdict: 'malicious',
      sha256: 'AB'.repeat(32),
      path: 'C:\\Users\\alice\\invoice.exe',
      remediationStatus: 'none',
    });

    expect(targetOf(entity)).toEqual({
      kind: 'file',
      id: 'f-1',
      displayName: 'f-1',
      sha256: 'ab'.repeat(32),
      path: 'C:\\Users\\alice\\invoice.exe',
    });
  });

  it("keeps a process's pid, start time and image path (executablePath from GuardDuty)", () => {
    const entity = Entity.parse({
      kind: 'process',
      id: '4242@2026-11-30T08:15:02.000Z',
      verdict: 'suspicious',
      pid: 4242,
      processStartTime: '2026-11-30T08:15:02.000Z',
      executablePath: '/usr/bin/xmrig',
      commandLine: 'xmrig --donate-level 0',
    });

    expect(targetOf(entity)).toMatchObject({
      pid: 4242,
      processStartTime: '2026-11-30T08:15:02.000Z',
      path: '/usr/bin/xmrig',
    });
    expect(Object.hasOwn(targetOf(entity), 'commandLine')).toBe(false);
  });

  it('drops a malformed hash or start time rather than pass it on', () => {
    const entity = Entity.parse({
      kind: 'process',
      id: '7@unknown',
      verdict: 'suspicious',
      pid: 7,
      processStartTime: 'unknown',
      sha256: 'not-a-hash',
    });

    expect(targetOf(entity)).toEqual({
      kind: 'process',
      id: '7@unknown',
      displayName: '7@unknown',
      pid: 7,
    });
  });

  it('produces a valid Target for a fully populated entity', () => {
    const entity = Entity.parse({
      kind: 'mailbox',
      id: 'alice@example.com',
      verdict: 'suspicious',
      mailbox: 'alice@example.com',
    });

    expect(Target.safeParse(targetOf(entity)).success).toBe(true);
  });
});

describe('dedupKeyOf: what makes two remediations the same', () => {
  const cluster = (clusterId: string, extra: Partial<Target> = {}): Target => ({
    kind: 'emailCluster',
    id: clusterId,
    clusterId,
    displayName: `Cluster ${clusterId}`,
    ...extra,
  });
  const fileOn = (deviceId: string, id = 'sha256:abc'): Target => ({
    kind: 'file',
    id,
    displayName: 'invoice.exe',
    deviceId,
  });

  it('is equal for the same cluster found by two investigations', () => {
    // Prepare
    const firstInvestigation = investigationIdFor('alert-1');
    const secondInvestigation = investigationIdFor('alert-2');
    const inFirst = cluster('c-1', { messageCount: 40, displayName: 'Invoice phish' });
    const inSecond = cluster('c-1', { messageCount: 52, displayName: 'Invoice phish (updated)' });

    // Act
    const key1 = dedupKeyOf('softDeleteEmail', inFirst);
    const key2 = dedupKeyOf('softDeleteEmail', inSecond);

    // Assess
    expect(key1).toBe(key2);
    expect(actionIdFor(firstInvestigation, key1)).not.toBe(actionIdFor(secondInvestigation, key2));
  });

  it('treats an emailCluster without clusterId as identified by its id', () => {
    const withoutClusterId: Target = { kind: 'emailCluster', id: 'c-1', displayName: 'c' };

    expect(dedupKeyOf('softDeleteEmail', withoutClusterId)).toBe(
      dedupKeyOf('softDeleteEmail', cluster('c-1')),
    );
  });

  it('is equal for the same file on the same device whatever its display name', () => {
    expect(dedupKeyOf('quarantineFile', fileOn('dev-1'))).toBe(
      dedupKeyOf('quarantineFile', { ...fileOn('dev-1'), displayName: 'other.exe' }),
    );
  });

  it.each([
    [
      'different clusters',
      ['softDeleteEmail', cluster('c-1')],
      ['softDeleteEmail', cluster('c-2')],
    ],
    [
      'different types on one cluster',
      ['softDeleteEmail', cluster('c-1')],
      ['quarantineEmail', cluster('c-1')],
    ],
    [
      'the same file on different devices',
      ['quarantineFile', fileOn('dev-1')],
      ['quarantineFile', fileOn('dev-2')],
    ],
    [
      'different files on one device',
      ['quarantineFile', fileOn('dev-1', 'a')],
      ['quarantineFile', fileOn('dev-1', 'b')],
    ],
    [
      'different types on one device',
      ['stopService', { kind: 'service', id: 'svc', displayName: 'svc', deviceId: 'dev-1' }],
      ['disableDriver', { kind: 'service', id: 'svc', displayName: 'svc', deviceId: 'dev-1' }],
    ],
    [
      'different kinds with the same id',
      ['quarantineFile', { kind: 'file', id: 'x', displayName: 'x', deviceId: 'dev-1' }],
      ['quarantineFile', { kind: 'process', id: 'x', displayName: 'x', deviceId: 'dev-1' }],
    ],
    [
      'different mailboxes',
      [
        'disableExternalForwarding',
        { kind: 'mailbox', id: 'rule-1', displayName: 'r', mailbox: 'a@x.com' },
      ],
      [
        'disableExternalForwarding',
        { kind: 'mailbox', id: 'rule-1', displayName: 'r', mailbox: 'b@x.com' },
      ],
    ],
    [
      'a device-scoped and an unscoped target',
      ['isolateDevice', { kind: 'device', id: 'dev-1', displayName: 'd', deviceId: 'dev-1' }],
      ['isolateDevice', { kind: 'device', id: 'dev-1', displayName: 'd' }],
    ],
  ] as [string, [ActionType, Target], [ActionType, Target]][])(
    'differs for %s',
    (_, [typeA, targetA], [typeB, targetB]) => {
      expect(dedupKeyOf(typeA, targetA)).not.toBe(dedupKeyOf(typeB, targetB));
    },
  );

  // The doc comment of dedupKeyOf: the cluster is the key "for email clusters"; other targets are
  // keyed by their concrete entity. Evidence that merely belongs to a cluster (a message, a URL, an
  // attachment carrying clusterId) must not collapse into one action per cluster: remediating one
  // message does nothing to another message of the same cluster.
  it.each([
    [
      'two suspicious messages of one cluster',
      'quarantineEmail',
      {
        kind: 'emailMessage',
        id: 'msg-1',
        displayName: 'm1',
        clusterId: 'c-1',
        mailbox: 'a@x.com',
      },
      {
        kind: 'emailMessage',
        id: 'msg-2',
        displayName: 'm2',
        clusterId: 'c-1',
        mailbox: 'a@x.com',
      },
    ],
    [
      'two URLs found in one cluster',
      'blockUrl',
      { kind: 'url', id: 'https://evil.example/a', displayName: 'a', clusterId: 'c-1' },
      { kind: 'url', id: 'https://evil.example/b', displayName: 'b', clusterId: 'c-1' },
    ],
    [
      'two attachments found in one cluster',
      'quarantineAttachment',
      { kind: 'attachment', id: 'att-1', displayName: 'a.docm', clusterId: 'c-1' },
      { kind: 'attachment', id: 'att-2', displayName: 'b.xlsm', clusterId: 'c-1' },
    ],
  ] as [string, ActionType, Target, Target][])(
    'differs for %s (only emailCluster targets are keyed by cluster)',
    (_, type, a, b) => {
      // Act
      const keyA = dedupKeyOf(type, a);
      const keyB = dedupKeyOf(type, b);

      // Assess
      expect(keyA).not.toBe(keyB);
    },
  );
});

describe('manual actions', () => {
  it('lets every action type be proposed on the kinds the catalog maps to it, and no other', () => {
    for (const type of ACTION_TYPES) {
      // Prepare
      const kinds = kindsOf(type);

      // Act
      const fitting = ENTITY_KINDS.filter((kind) => manualEntryFor(type, kind) !== undefined);

      // Assess
      expect(kinds.length).toBeGreaterThan(0);
      expect(fitting).toEqual(kinds);
      for (const kind of kinds) expect(manualEntryFor(type, kind)?.type).toBe(type);
    }
  });

  it('quarantines a single message and soft-deletes a message or a cluster', () => {
    expect(kindsOf('quarantineEmail')).toEqual(['emailMessage']);
    expect(kindsOf('softDeleteEmail')).toEqual(['emailMessage', 'emailCluster']);
    expect(kindsOf('isolateDevice')).toEqual(['device']);
  });
});
