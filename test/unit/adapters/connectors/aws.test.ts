import {
  CreateTagsCommand,
  DeleteTagsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  EC2ServiceException,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  ListFirewallDomainsCommand,
  type ListFirewallDomainsCommandInput,
  type ListFirewallDomainsCommandOutput,
  ResourceNotFoundException,
  Route53ResolverClient,
  ThrottlingException,
  UpdateFirewallDomainsCommand,
  type UpdateFirewallDomainsCommandInput,
  type UpdateFirewallDomainsCommandOutput,
} from '@aws-sdk/client-route53resolver';
import { type AwsCommand, type AwsStub, mockClient } from 'aws-sdk-client-mock';
import {
  AwsConnector,
  type AwsConnectorPorts,
} from '../../../../functions/adapters/connectors/aws.js';
import { blockableHostOf } from '../../../../functions/adapters/connectors/aws-dns-firewall.js';
import {
  ISOLATED_BY_TAG,
  ISOLATION_GROUP_TAG,
  PREVIOUS_GROUPS_TAG,
} from '../../../../functions/adapters/connectors/aws-isolation.js';
import type { AwsConnectorSettings } from '../../../../functions/core/aws-connector-settings.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';
import { MemoryDomainHolds } from '../../../support/domain-holds.js';

const ec2 = mockClient(EC2Client);
// The newest @aws-sdk/client-route53resolver on our registry (3.654) is built on an older
// @smithy/types than aws-sdk-client-mock: its classes are typed for the mock once, here.
type DomainsInput = UpdateFirewallDomainsCommandInput;
type DomainsOutput = UpdateFirewallDomainsCommandOutput;
type ListInput = ListFirewallDomainsCommandInput;
type ListOutput = ListFirewallDomainsCommandOutput;
const resolver = mockClient(Route53ResolverClient as never) as unknown as AwsStub<
  DomainsInput | ListInput,
  DomainsOutput | ListOutput,
  unknown
>;
const UpdateDomains = UpdateFirewallDomainsCommand as unknown as new (
  input: DomainsInput,
) => AwsCommand<DomainsInput, DomainsOutput>;
const ListDomains = ListFirewallDomainsCommand as unknown as new (
  input: ListInput,
) => AwsCommand<ListInput, ListOutput>;

const INSTANCE = 'i-0123456789abcdef0';
const ENI = 'eni-0aaaaaaaaaaaaaaa1';
const ISOLATION_SG = 'sg-0150150150150150a';
const DOMAIN_LIST = 'rslvr-fdl-0123456789abcdef';

let holds = new MemoryDomainHolds();

/** The hub's own account: the configured isolation group applies. */
const hubClients: AwsConnectorPorts['clientsFor'] = async () => ({
  place: { region: 'eu-west-1', hub: true },
  ec2: new EC2Client({ region: 'eu-west-1' }),
  resolver: new Route53ResolverClient({}),
});

const connector = (
  settings: Partial<AwsConnectorSettings> = {},
  clientsFor: AwsConnectorPorts['clientsFor'] = hubClients,
) =>
  new AwsConnector(
    { clientsFor, holds },
    {
      isolationSecurityGroupId: ISOLATION_SG,
      dnsFirewallDomainListId: DOMAIN_LIST,
      timeoutSeconds: 300,
      ...settings,
    },
  );

/** A Completed isolation whose result recorded these groups for ENI. */
const isolatedAction = (groups: string[]) =>
  isolateAction({
    status: 'Completed',
    result: {
      outcome: 'DeviceIsolated',
      at: '2026-11-01T12:00:00.000Z',
      detail: JSON.stringify({
        instanceId: INSTANCE,
        isolationSecurityGroupId: ISOLATION_SG,
        previousSecurityGroups: { [ENI]: groups },
      }),
    },
  });

const isolateAction = (overrides: Partial<Action> = {}) =>
  makeAction({
    type: 'isolateDevice',
    target: { kind: 'device', id: 'dev-web-1', displayName: 'web-1', deviceId: INSTANCE },
    ...overrides,
  });

const blockUrlAction = (url = 'https://Login.Evil.example.com./reset?user=a') =>
  makeAction({
    type: 'blockUrl',
    category: 'email',
    target: { kind: 'url', id: url, displayName: 'phishing link' },
  });

const ec2Error = (name: string, status: number) =>
  new EC2ServiceException({
    name,
    message: `${name} happened`,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

const eni = (groups: string[], tags: { Key: string; Value: string }[] = [], id = ENI) => ({
  NetworkInterfaceId: id,
  VpcId: 'vpc-0123456789abcdef0',
  Groups: groups.map((GroupId) => ({ GroupId })),
  TagSet: tags,
});

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

beforeEach(() => {
  ec2.reset();
  resolver.reset();
  resolver.on(ListDomains).resolves({ Domains: [] });
  holds = new MemoryDomainHolds();
});

describe('aws connector: isolateDevice', () => {
  it('tags each interface with its groups, then moves it into the isolation group', async () => {
    // Prepare
    const action = isolateAction();
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1', 'sg-0bbbbbbbbbbbbbbb2'])] });

    // Act
    const outcome = completedOutcome(await connector().submit(action));

    // Assess
    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Name: 'attachment.instance-id', Values: [INSTANCE] }] },
    ]);
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Resources: [ENI],
        Tags: [
          { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2' },
          { Key: ISOLATED_BY_TAG, Value: action.id },
        ],
      },
    ]);
    expect(
      ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input),
    ).toEqual([{ NetworkInterfaceId: ENI, Groups: [ISOLATION_SG] }]);
    // The tags go on before the groups change, so a retry never loses the original groups.
    const [tagCall] = ec2.commandCalls(CreateTagsCommand);
    const [modifyCall] = ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand);
    expect(modifyCall && tagCall?.calledBefore(modifyCall)).toBe(true);
    expect(outcome.outcome).toBe('DeviceIsolated');
    expect(JSON.parse(outcome.detail ?? '')).toEqual({
      instanceId: INSTANCE,
      isolationSecurityGroupId: ISOLATION_SG,
      previousSecurityGroups: { [ENI]: ['sg-0aaaaaaaaaaaaaaa1', 'sg-0bbbbbbbbbbbbbbb2'] },
    });
  });

  it('isolates every interface of a multi-interface instance', async () => {
    // Prepare
    const second = 'eni-0bbbbbbbbbbbbbbb2';
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1']), eni(['sg-0ccccccccccccccc3'], [], second)],
    });

    // Act
    await connector().submit(isolateAction());

    // Assess
    expect(
      ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input),
    ).toEqual([
      { NetworkInterfaceId: ENI, Groups: [ISOLATION_SG] },
      { NetworkInterfaceId: second, Groups: [ISOLATION_SG] },
    ]);
  });

  it('splits more than 12 previous groups over numbered tags (a tag value holds 256 characters)', async () => {
    // Prepare
    const groups = Array.from({ length: 14 }, (_, i) => `sg-${i.toString(16).padStart(17, '0')}`);
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [eni(groups)] });

    // Act
    await connector().submit(isolateAction());

    // Assess
    const tags = ec2.commandCalls(CreateTagsCommand)[0]?.args[0].input.Tags ?? [];
    expect(tags.map((t) => t.Key)).toEqual([
      PREVIOUS_GROUPS_TAG,
      `${PREVIOUS_GROUPS_TAG}:2`,
      ISOLATED_BY_TAG,
    ]);
    expect(tags.every((t) => (t.Value ?? '').length <= 256)).toBe(true);
  });

  it('a retry after the swap keeps the tagged groups and changes nothing', async () => {
    // Prepare: the first run tagged and swapped, then the task was retried
    const action = isolateAction();
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        eni(
          [ISOLATION_SG],
          [
            { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0aaaaaaaaaaaaaaa1' },
            { Key: ISOLATED_BY_TAG, Value: action.id },
          ],
        ),
      ],
    });

    // Act
    const outcome = completedOutcome(await connector().submit(action));

    // Assess
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
    expect(JSON.parse(outcome.detail ?? '').previousSecurityGroups).toEqual({
      [ENI]: ['sg-0aaaaaaaaaaaaaaa1'],
    });
  });

  it('a retry after tagging but before the swap only swaps', async () => {
    const action = isolateAction();
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        eni(
          ['sg-0aaaaaaaaaaaaaaa1'],
          [
            { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0aaaaaaaaaaaaaaa1' },
            { Key: ISOLATED_BY_TAG, Value: action.id },
          ],
        ),
      ],
    });

    await connector().submit(action);

    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    expect(
      ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input),
    ).toEqual([{ NetworkInterfaceId: ENI, Groups: [ISOLATION_SG] }]);
  });

  it('records the groups the interface has, not those a tag set by someone else names', async () => {
    // Prepare: an attacker tagged the interface before isolation, naming an open group
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        eni(
          ['sg-0aaaaaaaaaaaaaaa1'],
          [
            { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0eeeeeeeeeeeeeee6' },
            { Key: ISOLATED_BY_TAG, Value: 'act-someone-else' },
          ],
        ),
      ],
    });

    // Act
    const outcome = completedOutcome(await connector().submit(isolateAction()));

    // Assess
    expect(JSON.parse(outcome.detail ?? '').previousSecurityGroups).toEqual({
      [ENI]: ['sg-0aaaaaaaaaaaaaaa1'],
    });
  });

  it('falls back on the target id when deviceId is not an instance id', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1'])] });

    await connector().submit(
      isolateAction({
        target: { kind: 'device', id: INSTANCE, displayName: 'web-1', deviceId: 'mde-7' },
      }),
    );

    expect(ec2.commandCalls(DescribeNetworkInterfacesCommand)[0]?.args[0].input.Filters).toEqual([
      { Name: 'attachment.instance-id', Values: [INSTANCE] },
    ]);
  });

  it('refuses a device that is not an EC2 instance without calling AWS', async () => {
    const action = isolateAction({
      target: { kind: 'device', id: 'dev-7f3a', displayName: 'ALICE-LAPTOP', deviceId: 'dev-7f3a' },
    });

    const error = await rejectionOf(connector().submit(action));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toMatch(/ALICE-LAPTOP is not an EC2 instance/);
    expect(ec2.calls()).toHaveLength(0);
  });

  it('an unknown instance is a permanent error', async () => {
    // Prepare: no interface is attached to that id
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [] });

    // Act
    const error = await rejectionOf(connector().submit(isolateAction()));

    // Assess
    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.name).toBe('ConnectorPermanentError');
    expect(error.message).toBe(
      `EC2 instance ${INSTANCE} not found (no network interface attached)`,
    );
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('an isolation group EC2 does not know is a permanent error naming it', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1'])] });
    ec2.on(ModifyNetworkInterfaceAttributeCommand).rejects(ec2Error('InvalidGroup.NotFound', 400));

    const error = await rejectionOf(connector().submit(isolateAction()));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain(`AWS refused isolating EC2 instance ${INSTANCE}`);
    expect(error.message).toContain('InvalidGroup.NotFound');
  });

  it.each([
    ['RequestLimitExceeded', 503],
    ['Throttling', 400],
    ['InternalError', 500],
  ])(
    'EC2 %s (HTTP %i) is a transient error, so the state machine retries',
    async (name, status) => {
      ec2.on(DescribeNetworkInterfacesCommand).rejects(ec2Error(name, status));

      const error = await rejectionOf(connector().submit(isolateAction()));

      expect(error).toBeInstanceOf(ConnectorTransientError);
      expect(error.name).toBe('ConnectorTransientError');
      expect(error.message).toContain(name);
    },
  );

  it('a network error (no answer at all) is transient', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

    const error = await rejectionOf(connector().submit(isolateAction()));

    expect(error).toBeInstanceOf(ConnectorTransientError);
  });

  it("in a member account, uses the group tagged ActionCenterIsolation=true in the instance's VPC", async () => {
    // Prepare
    const memberGroup = 'sg-0ddddddddddddddd4';
    const member: AwsConnectorPorts['clientsFor'] = async () => ({
      place: { region: 'eu-west-1', accountId: '210987654321', hub: false },
      ec2: new EC2Client({ region: 'eu-west-1' }),
      resolver: new Route53ResolverClient({}),
    });
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1'])] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: memberGroup }] });

    // Act
    await connector({}, member).submit(isolateAction());

    // Assess
    expect(ec2.commandCalls(DescribeSecurityGroupsCommand)[0]?.args[0].input).toEqual({
      Filters: [
        { Name: 'vpc-id', Values: ['vpc-0123456789abcdef0'] },
        { Name: `tag:${ISOLATION_GROUP_TAG.Key}`, Values: [ISOLATION_GROUP_TAG.Value] },
      ],
    });
    expect(
      ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input),
    ).toEqual([{ NetworkInterfaceId: ENI, Groups: [memberGroup] }]);
  });

  it('refuses to isolate when the VPC has no isolation group', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1'])] });
    ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });

    const error = await rejectionOf(
      connector({ isolationSecurityGroupId: undefined }).submit(isolateAction()),
    );

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain('ActionCenterIsolation=true');
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });
});

describe('aws connector: undo isolateDevice', () => {
  it("restores the groups the action's result recorded, then removes its tags", async () => {
    // Prepare
    const action = isolatedAction(['sg-0aaaaaaaaaaaaaaa1', 'sg-0bbbbbbbbbbbbbbb2']);
    const tags = [
      { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0aaaaaaaaaaaaaaa1,sg-0bbbbbbbbbbbbbbb2' },
      { Key: ISOLATED_BY_TAG, Value: action.id },
      { Key: 'Name', Value: 'web-1' },
    ];
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni([ISOLATION_SG], tags)] });

    // Act
    const outcome = await connector().undo(action);

    // Assess
    expect(
      ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input),
    ).toEqual([
      { NetworkInterfaceId: ENI, Groups: ['sg-0aaaaaaaaaaaaaaa1', 'sg-0bbbbbbbbbbbbbbb2'] },
    ]);
    expect(ec2.commandCalls(DeleteTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resources: [ENI], Tags: [{ Key: PREVIOUS_GROUPS_TAG }, { Key: ISOLATED_BY_TAG }] },
    ]);
    expect(outcome).toEqual({
      outcome: 'DeviceReleased',
      detail: JSON.stringify({
        instanceId: INSTANCE,
        restoredSecurityGroups: { [ENI]: ['sg-0aaaaaaaaaaaaaaa1', 'sg-0bbbbbbbbbbbbbbb2'] },
      }),
    });
  });

  it('an interface re-tagged by an attacker does not change what undo restores', async () => {
    // Prepare: the tags now name an open group; the record names the original one
    const action = isolatedAction(['sg-0aaaaaaaaaaaaaaa1']);
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        eni(
          [ISOLATION_SG],
          [
            { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0eeeeeeeeeeeeeee6' },
            { Key: ISOLATED_BY_TAG, Value: action.id },
          ],
        ),
      ],
    });

    // Act
    await connector().undo(action);

    // Assess
    expect(
      ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand).map((c) => c.args[0].input),
    ).toEqual([{ NetworkInterfaceId: ENI, Groups: ['sg-0aaaaaaaaaaaaaaa1'] }]);
  });

  it('submit then undo round-trips the groups through the result', async () => {
    // Prepare: a tiny EC2 that keeps the interface's groups and tags
    const state = eni(['sg-0aaaaaaaaaaaaaaa1']);
    ec2.on(DescribeNetworkInterfacesCommand).callsFake(() => ({
      NetworkInterfaces: [structuredClone(state)],
    }));
    ec2.on(CreateTagsCommand).callsFake((input) => {
      state.TagSet.push(...input.Tags);
      return {};
    });
    ec2.on(DeleteTagsCommand).callsFake((input) => {
      const keys = new Set(input.Tags.map((t: { Key: string }) => t.Key));
      state.TagSet = state.TagSet.filter((t) => !keys.has(t.Key));
      return {};
    });
    ec2.on(ModifyNetworkInterfaceAttributeCommand).callsFake((input) => {
      state.Groups = input.Groups.map((GroupId: string) => ({ GroupId }));
      return {};
    });
    const action = isolateAction();

    // Act
    const result = completedOutcome(await connector().submit(action));
    const isolatedGroups = state.Groups.map((g) => g.GroupId);
    await connector().undo({
      ...action,
      status: 'Completed',
      result: { ...result, at: '2026-11-01T12:00:00.000Z' },
    });

    // Assess
    expect(isolatedGroups).toEqual([ISOLATION_SG]);
    expect(state.Groups).toEqual([{ GroupId: 'sg-0aaaaaaaaaaaaaaa1' }]);
    expect(state.TagSet).toEqual([]);
  });

  it('refuses to guess when the result has no record, whatever the tags say', async () => {
    const action = isolateAction({ status: 'Completed' });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        eni(
          [ISOLATION_SG],
          [
            { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0aaaaaaaaaaaaaaa1' },
            { Key: ISOLATED_BY_TAG, Value: action.id },
          ],
        ),
      ],
    });

    const error = await rejectionOf(connector().undo(action));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toMatch(/restore them by hand/);
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('an interface back in its recorded groups is released already', async () => {
    ec2
      .on(DescribeNetworkInterfacesCommand)
      .resolves({ NetworkInterfaces: [eni(['sg-0aaaaaaaaaaaaaaa1'])] });

    const outcome = await connector().undo(isolatedAction(['sg-0aaaaaaaaaaaaaaa1']));

    expect(outcome.outcome).toBe('DeviceReleased');
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
    expect(ec2.commandCalls(DeleteTagsCommand)).toHaveLength(0);
  });

  it('throttling while restoring is transient', async () => {
    ec2.on(DescribeNetworkInterfacesCommand).resolves({ NetworkInterfaces: [eni([ISOLATION_SG])] });
    ec2.on(ModifyNetworkInterfaceAttributeCommand).rejects(ec2Error('RequestLimitExceeded', 503));

    const error = await rejectionOf(connector().undo(isolatedAction(['sg-0aaaaaaaaaaaaaaa1'])));

    expect(error).toBeInstanceOf(ConnectorTransientError);
    expect(error.message).toContain(`releasing EC2 instance ${INSTANCE}`);
  });
});

describe('aws connector: blockUrl', () => {
  it("adds the URL's host to the DNS Firewall domain list", async () => {
    // Act
    const outcome = completedOutcome(await connector().submit(blockUrlAction()));

    // Assess
    expect(resolver.commandCalls(UpdateDomains).map((c) => c.args[0].input)).toEqual([
      { FirewallDomainListId: DOMAIN_LIST, Operation: 'ADD', Domains: ['login.evil.example.com'] },
    ]);
    expect(outcome).toEqual({
      outcome: 'UrlBlocked',
      detail: JSON.stringify({
        host: 'login.evil.example.com',
        domainListId: DOMAIN_LIST,
        addedByActionCenter: true,
      }),
    });
  });

  it('undo removes the host it added', async () => {
    // Prepare
    const action = blockUrlAction();
    await connector().submit(action);
    resolver.resetHistory();

    // Act
    const outcome = await connector().undo(action);

    // Assess
    expect(resolver.commandCalls(UpdateDomains).map((c) => c.args[0].input)).toEqual([
      {
        FirewallDomainListId: DOMAIN_LIST,
        Operation: 'REMOVE',
        Domains: ['login.evil.example.com'],
      },
    ]);
    expect(outcome.outcome).toBe('UrlUnblocked');
    expect(holds.records.size).toBe(0);
  });

  it('a host listed before is recorded as such, and undo leaves it listed', async () => {
    // Prepare
    resolver.on(ListDomains).resolves({ Domains: ['other.example', 'login.evil.example.com.'] });
    const action = blockUrlAction();

    // Act
    const blocked = completedOutcome(await connector().submit(action));
    const undone = await connector().undo(action);

    // Assess
    expect(JSON.parse(blocked.detail ?? '').addedByActionCenter).toBe(false);
    expect(resolver.commandCalls(UpdateDomains)).toHaveLength(0);
    expect(undone.detail).toMatch(/listed before the Action Center blocked it/);
  });

  it('two actions on one host: undoing one keeps the block, undoing both removes it', async () => {
    // Prepare
    const first = blockUrlAction('https://login.evil.example.com/a');
    const second = makeAction({
      id: 'act-second',
      type: 'blockUrl',
      category: 'email',
      target: { kind: 'url', id: 'http://LOGIN.evil.example.com/b', displayName: 'second link' },
    });
    await connector().submit(first);
    await connector().submit(second);
    resolver.resetHistory();

    // Act
    const undoFirst = await connector().undo(first);
    const removesAfterFirst = resolver.commandCalls(UpdateDomains).length;
    await connector().undo(second);

    // Assess
    expect(undoFirst.detail).toMatch(/other actions still block it \(act-second\)/);
    expect(removesAfterFirst).toBe(0);
    expect(resolver.commandCalls(UpdateDomains).map((c) => c.args[0].input.Operation)).toEqual([
      'REMOVE',
    ]);
  });

  it('undo of a block with no record removes nothing', async () => {
    const outcome = await connector().undo(blockUrlAction());

    expect(resolver.commandCalls(UpdateDomains)).toHaveLength(0);
    expect(outcome.detail).toMatch(/no record says the Action Center added it/);
  });

  it('throttling is a transient error', async () => {
    resolver
      .on(UpdateDomains)
      .rejects(
        new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } }),
      );

    const error = await rejectionOf(connector().submit(blockUrlAction()));

    expect(error).toBeInstanceOf(ConnectorTransientError);
    expect(error.message).toContain('ThrottlingException');
  });

  it('a domain list that does not exist is a permanent error', async () => {
    resolver
      .on(UpdateDomains)
      .rejects(
        new ResourceNotFoundException({ message: 'No list', $metadata: { httpStatusCode: 400 } }),
      );

    const error = await rejectionOf(connector().submit(blockUrlAction()));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toContain(`blocking login.evil.example.com in ${DOMAIN_LIST}`);
  });

  it('refuses a URL whose host is an IP address without calling AWS', async () => {
    const error = await rejectionOf(connector().submit(blockUrlAction('http://203.0.113.9/x')));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toMatch(/no domain name to block/);
    expect(resolver.calls()).toHaveLength(0);
  });

  it.each([
    ['https://a.example.com/path?q=1', 'a.example.com'],
    ['evil.example', 'evil.example'],
    ['HTTP://WWW.EXAMPLE.ORG:8080/', 'www.example.org'],
    ['https://xn--80ak6aa92e.com/', 'xn--80ak6aa92e.com'],
    ['https://[2001:db8::1]/', undefined],
    ['http://10.0.0.1/', undefined],
    ['localhost', undefined],
    ['not a url', undefined],
  ])('the blockable host of %j is %j', (url, host) => {
    expect(blockableHostOf(url)).toBe(host);
  });
});

describe('aws connector: status', () => {
  it('asks the target again: an isolated instance is completed, and nothing changes', async () => {
    // Prepare
    const action = isolateAction();
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        eni(
          [ISOLATION_SG],
          [
            { Key: PREVIOUS_GROUPS_TAG, Value: 'sg-0aaaaaaaaaaaaaaa1' },
            { Key: ISOLATED_BY_TAG, Value: action.id },
          ],
        ),
      ],
    });

    // Act
    const status = await connector().status(action);

    // Assess
    expect(status).toMatchObject({ state: 'completed', outcome: 'DeviceIsolated' });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it('has a fixed time to run: its changes finish within the call', () => {
    expect(connector().timeoutSeconds).toBe(300);
  });
});

describe('aws connector: other types', () => {
  it.each(['quarantineFile', 'killProcess', 'softDeleteEmail'] as const)(
    'refuses %s with a permanent error, for execute and undo',
    async (type) => {
      const action = makeAction({ type });

      const errors = [
        await rejectionOf(connector().submit(action)),
        await rejectionOf(connector().undo(action)),
      ];

      for (const error of errors) {
        expect(error).toBeInstanceOf(ConnectorPermanentError);
        expect(error.message).toBe(`aws connector does not handle ${type}`);
      }
      expect(ec2.calls()).toHaveLength(0);
      expect(resolver.calls()).toHaveLength(0);
    },
  );
});
