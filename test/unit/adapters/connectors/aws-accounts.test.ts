import {
  AssumeRoleCommand,
  type AssumeRoleCommandInput,
  type AssumeRoleCommandOutput,
  GetCallerIdentityCommand,
  type GetCallerIdentityCommandInput,
  type GetCallerIdentityCommandOutput,
  STSClient,
  STSServiceException,
} from '@aws-sdk/client-sts';
import { type AwsCommand, type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { AwsAccounts } from '../../../../functions/adapters/connectors/aws-accounts.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';

type In = AssumeRoleCommandInput | GetCallerIdentityCommandInput;
type Out = AssumeRoleCommandOutput | GetCallerIdentityCommandOutput;
// client-sts 3.654 is typed on an older @smithy/types than the mock: typed for it once, here.
const sts = mockClient(STSClient as never) as unknown as AwsStub<In, Out, unknown>;
const Assume = AssumeRoleCommand as unknown as new (
  input: AssumeRoleCommandInput,
) => AwsCommand<AssumeRoleCommandInput, Out>;
const WhoAmI = GetCallerIdentityCommand as unknown as new (
  input: GetCallerIdentityCommandInput,
) => AwsCommand<GetCallerIdentityCommandInput, Out>;

const HUB = '123456789012';
const MEMBER = '210987654321';
const member = {
  region: 'eu-west-1',
  memberRoleName: 'ActionCenterRemediation',
  memberExternalId: 'ext-7f3a',
};

const stsError = (name: string, status: number) =>
  new STSServiceException({
    name,
    message: `${name} happened`,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

beforeEach(() => {
  sts.reset();
  sts.on(WhoAmI).resolves({ Account: HUB });
});

describe('aws accounts', () => {
  it('assumes the member role by name with the external id', async () => {
    // Prepare
    sts.on(Assume).resolves({
      Credentials: {
        AccessKeyId: 'ASIA1',
        SecretAccessKey: 's',
        SessionToken: 't',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    });
    const accounts = new AwsAccounts(new STSClient({}), member);

    // Act
    const place = await accounts.placeOf({ accountId: MEMBER, region: 'us-west-2' });
    await place.credentials?.();

    // Assess
    expect(place).toMatchObject({ region: 'us-west-2', accountId: MEMBER, hub: false });
    expect(sts.commandCalls(Assume).map((c) => c.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/ActionCenterRemediation`,
        RoleSessionName: 'ActionCenterRemediation',
        ExternalId: 'ext-7f3a',
        DurationSeconds: 3600,
      },
    ]);
  });

  it('a target naming no account or region is acted on in the hub, with its own role', async () => {
    const place = await new AwsAccounts(new STSClient({}), member).placeOf({});

    expect(place).toEqual({ region: 'eu-west-1', hub: true });
    expect(sts.calls()).toHaveLength(0);
  });

  it('a refused AssumeRole is permanent and names the role; throttling is transient', async () => {
    // Prepare
    sts
      .on(Assume)
      .rejectsOnce(stsError('AccessDenied', 403))
      .rejectsOnce(stsError('Throttling', 400));
    const accounts = new AwsAccounts(new STSClient({}), member);

    // Act
    const denied = await accounts.credentialsFor(MEMBER).catch((e: unknown) => e);
    const throttled = await accounts.credentialsFor(MEMBER).catch((e: unknown) => e);

    // Assess
    expect(denied).toBeInstanceOf(ConnectorPermanentError);
    expect((denied as Error).message).toContain(
      `arn:aws:iam::${MEMBER}:role/ActionCenterRemediation`,
    );
    expect(throttled).toBeInstanceOf(ConnectorTransientError);
  });

  it('without MEMBER_ROLE_NAME, a target in another account is refused, saying what to set', async () => {
    const accounts = new AwsAccounts(new STSClient({}), { region: 'eu-west-1' });

    const error = await accounts.placeOf({ accountId: MEMBER }).catch((e: unknown) => e);
    const own = await accounts.placeOf({ accountId: HUB });

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(/MEMBER_ROLE_NAME/);
    expect(own).toMatchObject({ hub: true });
  });
});
