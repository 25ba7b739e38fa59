// The aws connector against moto_server: real EC2 and STS requests, responses and error shapes.
// A member account's instance is isolated through the member role and released from the record.
import {
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { Route53ResolverClient } from '@aws-sdk/client-route53resolver';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientsFor, AwsConnector } from '../../../../functions/adapters/connectors/aws.js';
import { AwsAccounts } from '../../../../functions/adapters/connectors/aws-accounts.js';
import {
  ISOLATED_BY_TAG,
  ISOLATION_GROUP_TAG,
  PREVIOUS_GROUPS_TAG,
} from '../../../../functions/adapters/connectors/aws-isolation.js';
import type { Action } from '../../../../functions/core/model.js';
import { ConnectorPermanentError } from '../../../../functions/core/workflow-errors.js';
import { type MotoServer, motoMissing, startMoto } from '../../../../infra/local/moto-server.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';
import { MemoryDomainHolds } from '../../../support/domain-holds.js';

const REGION = 'eu-west-1';
const HUB_ACCOUNT = '123456789012'; // moto's account for long-term keys
const MEMBER_ACCOUNT = '210987654321';
const ROLE = 'ActionCenterRemediation';
const EXTERNAL_ID = 'acme-action-center-7f3a';
const HUB_CREDENTIALS = { accessKeyId: 'AKIAHUBHUBHUBHUBHUB1', secretAccessKey: 'hub-secret' };

if (motoMissing) console.warn(motoMissing);
const describeMoto = motoMissing ? describe.skip : describe;

let moto: MotoServer;
let member: EC2Client;
let app: { instanceId: string; appGroup: string; isolationGroup: string; eniId: string };

const sts = () =>
  new STSClient({ region: REGION, endpoint: moto.endpoint, credentials: HUB_CREDENTIALS });

/** The connector as a Lambda builds it, its clients pointed at moto. */
function connectorWith(accounts: AwsAccounts): AwsConnector {
  const clientsFor: AwsClientsFor = accounts.clientsFor((place) => ({
    place,
    ec2: new EC2Client({
      region: place.region,
      endpoint: moto.endpoint,
      credentials: place.credentials ?? HUB_CREDENTIALS,
    }),
    resolver: new Route53ResolverClient({ region: place.region, endpoint: moto.endpoint }),
  }));
  return new AwsConnector(
    { clientsFor, holds: new MemoryDomainHolds() },
    { isolationSecurityGroupId: 'sg-0150150150150150a', timeoutSeconds: 300 },
  );
}

const memberAccess = (clock?: () => Date) =>
  new AwsAccounts(
    sts(),
    { region: REGION, memberRoleName: ROLE, memberExternalId: EXTERNAL_ID },
    clock,
  );

const isolateInMember = (instanceId: string): Action =>
  makeAction({
    type: 'isolateDevice',
    target: {
      kind: 'device',
      id: instanceId,
      displayName: `web-1 (${instanceId})`,
      deviceId: instanceId,
      accountId: MEMBER_ACCOUNT,
      region: REGION,
    },
  });

async function groupsOf(eniId: string): Promise<{ groups: string[]; tags: string[] }> {
  const out = await member.send(
    new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eniId] }),
  );
  const eni = out.NetworkInterfaces?.[0];
  return {
    groups: (eni?.Groups ?? []).map((g) => g.GroupId as string).sort(),
    tags: (eni?.TagSet ?? []).map((t) => t.Key as string).sort(),
  };
}

describeMoto('aws connector against moto_server', () => {
  beforeAll(async () => {
    moto = await startMoto();
    // The member account's own resources, made with the member role's credentials.
    const assumed = await sts().send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${MEMBER_ACCOUNT}:role/${ROLE}`,
        RoleSessionName: 'setup',
        ExternalId: EXTERNAL_ID,
      }),
    );
    const c = assumed.Credentials;
    member = new EC2Client({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: {
        accessKeyId: c?.AccessKeyId as string,
        secretAccessKey: c?.SecretAccessKey as string,
        sessionToken: c?.SessionToken as string,
      },
    });
    const vpc = await member.send(new CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }));
    const VpcId = vpc.Vpc?.VpcId as string;
    const subnet = await member.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.7.1.0/24' }));
    const group = (name: string) =>
      member
        .send(new CreateSecurityGroupCommand({ GroupName: name, Description: name, VpcId }))
        .then((g) => g.GroupId as string);
    const appGroup = await group('app');
    const isolationGroup = await group('isolation');
    await member.send(
      new CreateTagsCommand({ Resources: [isolationGroup], Tags: [{ ...ISOLATION_GROUP_TAG }] }),
    );
    // An interface made first: moto reports a launch's own groups on its primary interface forever.
    const eni = await member.send(
      new CreateNetworkInterfaceCommand({ SubnetId: subnet.Subnet?.SubnetId, Groups: [appGroup] }),
    );
    const eniId = eni.NetworkInterface?.NetworkInterfaceId as string;
    const images = await member.send(new DescribeImagesCommand({}));
    const run = await member.send(
      new RunInstancesCommand({
        ImageId: images.Images?.[0]?.ImageId ?? 'ami-12c6146b',
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: eniId }],
      }),
    );
    app = {
      instanceId: run.Instances?.[0]?.InstanceId as string,
      appGroup,
      isolationGroup,
      eniId,
    };
  }, 60_000);
  afterAll(() => moto?.stop());

  it("isolates a member account's instance through the member role, and undo restores its groups", async () => {
    // Prepare
    const connector = connectorWith(memberAccess());
    const action = isolateInMember(app.instanceId);

    // Act
    const isolated = completedOutcome(await connector.submit(action));
    const during = await groupsOf(app.eniId);
    await connector.undo({
      ...action,
      status: 'Completed',
      result: { ...isolated, at: '2026-11-01T12:00:00.000Z' },
    });
    const after = await groupsOf(app.eniId);

    // Assess: the VPC's tagged isolation group, not the hub's configured one
    expect(during).toEqual({
      groups: [app.isolationGroup],
      tags: [ISOLATED_BY_TAG, PREVIOUS_GROUPS_TAG].sort(),
    });
    expect(JSON.parse(isolated.detail ?? '')).toEqual({
      instanceId: app.instanceId,
      isolationSecurityGroupId: app.isolationGroup,
      previousSecurityGroups: { [app.eniId]: [app.appGroup] },
    });
    expect(after).toEqual({ groups: [app.appGroup], tags: [] });
  });

  it('an interface re-tagged by an attacker does not change what undo restores', async () => {
    // Prepare
    const connector = connectorWith(memberAccess());
    const action = isolateInMember(app.instanceId);
    const isolated = completedOutcome(await connector.submit(action));
    const open = await member.send(
      new CreateSecurityGroupCommand({
        GroupName: 'attacker-open',
        Description: 'open',
        VpcId: (
          await member.send(
            new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [app.eniId] }),
          )
        ).NetworkInterfaces?.[0]?.VpcId,
      }),
    );
    await member.send(
      new CreateTagsCommand({
        Resources: [app.eniId],
        Tags: [{ Key: PREVIOUS_GROUPS_TAG, Value: open.GroupId as string }],
      }),
    );

    // Act
    await connector.undo({
      ...action,
      status: 'Completed',
      result: { ...isolated, at: '2026-11-01T12:00:00.000Z' },
    });

    // Assess
    expect((await groupsOf(app.eniId)).groups).toEqual([app.appGroup]);
  });

  it("does not find a member's instance with the hub's own credentials", async () => {
    // Prepare: the same instance, named without its account
    const connector = connectorWith(memberAccess());
    const action = isolateInMember(app.instanceId);
    const { accountId: _, ...inHub } = action.target;

    // Act
    const error = await connector.submit({ ...action, target: inHub }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(/not found/);
  });

  it('assumes the member role once, and again only shortly before the credentials expire', async () => {
    // Prepare
    let now = new Date();
    const client = sts();
    let assumed = 0;
    client.middlewareStack.add(
      (next, context) => (args) => {
        if (context.commandName === 'AssumeRoleCommand') assumed += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const accounts = new AwsAccounts(
      client,
      { region: REGION, memberRoleName: ROLE, memberExternalId: EXTERNAL_ID },
      () => now,
    );

    // Act
    const first = await accounts.credentialsFor(MEMBER_ACCOUNT);
    await accounts.credentialsFor(MEMBER_ACCOUNT);
    const assumedFresh = assumed;
    now = new Date(first.expiration.getTime() - 4 * 60_000);
    const renewed = await accounts.credentialsFor(MEMBER_ACCOUNT);
    const identity = await new STSClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: renewed,
    }).send(new GetCallerIdentityCommand({}));

    // Assess
    expect(assumedFresh).toBe(1);
    expect(assumed).toBe(2);
    expect(identity.Account).toBe(MEMBER_ACCOUNT);
    expect(identity.Arn).toMatch(new RegExp(`:assumed-role/${ROLE}/`));
  });

  it("acts in the hub's own account with the function's credentials", async () => {
    const accounts = memberAccess();

    const place = await accounts.placeOf({ accountId: HUB_ACCOUNT, region: 'us-east-2' });

    expect(place).toEqual({ region: 'us-east-2', accountId: HUB_ACCOUNT, hub: true });
  });
});
