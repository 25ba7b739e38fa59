import { describe, expect, it } from '@jest/globals';
import { normalizeAlert } from '../../../functions/core/alert.js';
import { analyzeAlert } from '../../../functions/core/analysis.js';
import {
  type AssetGroup,
  assetGroupOf,
  parseAssetGroups,
} from '../../../functions/core/asset-groups.js';
import { ConfigError } from '../../../functions/core/errors.js';
import { investigationIdFor } from '../../../functions/core/ids.js';
import type { Entity } from '../../../functions/core/model.js';
import { type PlanContext, planActions } from '../../../functions/core/planning.js';
import { anAlert, file, message } from '../../fixtures/alerts.js';

const GROUPS: AssetGroup[] = parseAssetGroups(
  JSON.stringify({
    groups: [
      {
        name: 'domain-controllers',
        rules: [{ deviceName: 'DC-*' }],
        automation: { endpoint: 'none' },
        protected: true,
      },
      {
        name: 'prod-aws',
        rules: [{ awsAccount: '123456789012', awsTags: { env: 'prod' } }],
        automation: { endpoint: 'full' },
      },
      { name: 'executives', rules: [{ mailboxDomain: 'execs.example.com' }], protected: true },
      {
        name: 'servers',
        rules: [{ deviceName: 'srv-??' }, { deviceId: 'i-*' }],
        automation: { endpoint: 'full' },
      },
    ],
  }),
  'ASSET_GROUPS_FILE',
);

const device = (id: string, extra: Record<string, unknown> = {}): Entity =>
  ({ kind: 'device', id, verdict: 'malicious', ...extra }) as Entity;

describe('asset groups', () => {
  it('pick the first group any of whose rules matches, in file order', () => {
    expect(assetGroupOf(GROUPS, device('dc-01'))?.name).toBe('domain-controllers'); // case-insensitive
    expect(assetGroupOf(GROUPS, device('srv-07'))?.name).toBe('servers');
    expect(assetGroupOf(GROUPS, device('srv-107'))).toBeUndefined(); // ? is one character
    expect(
      assetGroupOf(GROUPS, device('i-0abc', { accountId: '123456789012', tags: { env: 'prod' } }))
        ?.name,
    ).toBe('prod-aws');
    // Account matches but the tag does not: the rule's fields are all required, so the next group's rule wins.
    expect(
      assetGroupOf(GROUPS, device('i-0abc', { accountId: '123456789012', tags: { env: 'dev' } }))
        ?.name,
    ).toBe('servers');
    expect(
      assetGroupOf(GROUPS, message('m1', 'malicious', undefined, 'ceo@execs.example.com'))?.name,
    ).toBe('executives');
  });

  it('refuse a file with unknown fields, an empty rule or two groups of one name, naming where', () => {
    const parse = (groups: unknown) => () =>
      parseAssetGroups(JSON.stringify({ groups }), 'ASSET_GROUPS_FILE');
    expect(parse([{ name: 'a', rules: [{ hostname: 'x' }] }])).toThrow(
      /ASSET_GROUPS_FILE\.groups\.0\.rules\.0: Unrecognized key.*hostname/,
    );
    expect(parse([{ name: 'a', rules: [{}] }])).toThrow(
      /groups\.0\.rules\.0: a rule must name at least one field/,
    );
    expect(
      parse([
        { name: 'a', rules: [{ deviceId: 'x' }] },
        { name: 'a', rules: [{ deviceId: 'y' }] },
      ]),
    ).toThrow('ASSET_GROUPS_FILE: two asset groups are named "a"');
    expect(() => parseAssetGroups('{', 'ASSET_GROUPS_FILE')).toThrow(ConfigError);
  });
});

describe('planning with asset groups and approvals required', () => {
  const context = (overrides: Partial<PlanContext> = {}): PlanContext => ({
    investigationId: investigationIdFor('alert-1'),
    alertId: 'alert-1',
    severity: 'high',
    automation: { endpoint: 'full', email: 'full' },
    assetGroups: GROUPS,
    approvalsRequired: {},
    pendingActionTtlSeconds: 604_800,
    now: new Date('2026-11-01T12:00:00.000Z'),
    ...overrides,
  });
  const plan = (entities: Entity[], overrides: Partial<PlanContext> = {}) =>
    planActions(
      analyzeAlert(normalizeAlert(anAlert('alert-1', entities))).evidence,
      context(overrides),
    );

  it("use the group's automation level and name the group on the action", () => {
    const { proposals } = plan([
      file('f1', 'malicious', 'srv-01'),
      file('f2', 'malicious', 'laptop-1'),
    ]);

    expect(
      proposals.map((p) => [p.action.target.deviceId, p.approval, p.action.assetGroup]),
    ).toEqual([
      ['srv-01', 'automatic', 'servers'],
      ['laptop-1', 'automatic', undefined],
    ]);
  });

  it('name the automation level that approved an action without an operator (for its audit entry)', () => {
    const { proposals } = plan([
      file('f1', 'malicious', 'srv-01'),
      file('f2', 'malicious', 'laptop-1'),
      file('f3', 'suspicious', 'laptop-2'),
    ]);

    expect(proposals.map((p) => [p.action.target.deviceId, p.approval, p.policy])).toEqual([
      ['srv-01', 'automatic', ['asset-group:servers:endpoint=full']],
      ['laptop-1', 'automatic', ['AUTOMATION_LEVEL_ENDPOINT=full']],
      ['laptop-2', 'operator', undefined],
    ]);
  });

  it("ask the quorum the approval policies' quorum rules set, with their roles and ids", () => {
    const { proposals } = plan([file('f1', 'suspicious', 'laptop-1')], {
      approvalsRequired: { quarantineFile: 2 },
      quorumOf: (resource) =>
        resource.type === 'quarantineFile'
          ? { required: 3, fromRoles: ['SecurityAdmin'], policies: ['three-for-files'] }
          : undefined,
    });

    expect(proposals[0]?.action.approvals).toEqual({
      required: 3,
      received: [],
      fromRoles: ['SecurityAdmin'],
      policy: ['three-for-files'],
    });
  });

  it('never remediate a protected asset automatically, and ask two approvals for it', () => {
    const { proposals } = plan([message('m1', 'malicious', undefined, 'cfo@execs.example.com')]);

    expect(proposals).toHaveLength(1);
    expect(proposals[0]?.approval).toBe('operator');
    expect(proposals[0]?.action).toMatchObject({
      status: 'Pending',
      assetGroup: 'executives',
      approvals: { required: 2, received: [] },
    });
  });

  it("propose nothing where the group's automation is none", () => {
    const result = plan([file('f1', 'malicious', 'DC-02')]);
    expect(result.proposals).toEqual([]);
    expect(result.notProposed).toBe(1);
  });

  it('ask APPROVALS_REQUIRED by type before category, and one approval otherwise (no approvals field)', () => {
    const { proposals } = plan(
      [
        file('f1', 'suspicious', 'laptop-1'),
        message('m1', 'suspicious', undefined, 'ana@example.com'),
      ],
      { approvalsRequired: { quarantineFile: 3, endpoint: 2 } },
    );
    const byType = Object.fromEntries(proposals.map((p) => [p.action.type, p.action.approvals]));
    expect(byType.quarantineFile).toEqual({ required: 3, received: [] });
    expect(Object.values(byType).filter((a) => a === undefined)).toHaveLength(1);
  });
});
