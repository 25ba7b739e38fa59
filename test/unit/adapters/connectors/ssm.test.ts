// The ssm connector where moto cannot go: the statuses a real agent reports (pending, running,
// failed with stderr, an offline node), hybrid nodes, throttling, and undo's wait.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  InvocationDoesNotExist,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
  SSMServiceException,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { SsmConnector } from '../../../../functions/adapters/connectors/ssm.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  ConnectorPermanentError,
  ConnectorTransientError,
} from '../../../../functions/core/workflow-errors.js';
import { makeAction } from '../../../fixtures/actions.js';

const ssm = mockClient(SSMClient);
const ec2 = mockClient(EC2Client);
const INSTANCE = 'i-0123456789abcdef0';
const HYBRID = 'mi-0123456789abcdef0';
const COMMAND = '6a4a1b7e-1111-2222-3333-444455556666';
const SHA256 = 'b'.repeat(64);

const placements: unknown[] = [];
const connector = (undoWaitMs = 50) =>
  new SsmConnector(
    async (target) => {
      placements.push(target);
      return {
        ssm: new SSMClient({ region: 'eu-west-1' }),
        ec2: new EC2Client({ region: 'eu-west-1' }),
      };
    },
    { documentPrefix: 'ActionCenter', timeoutSeconds: 3600 },
    { undoWaitMs, pollIntervalMs: 5 },
  );

const quarantine = (deviceId = INSTANCE, overrides: Partial<Action> = {}) =>
  makeAction({
    type: 'quarantineFile',
    target: {
      kind: 'file',
      id: SHA256,
      displayName: 'invoice.exe',
      deviceId,
      path: '/tmp/invoice.exe',
      sha256: SHA256,
    },
    ...overrides,
  });

const invocation = (fields: Partial<GetCommandInvocationCommandOutput>) => ({
  CommandId: COMMAND,
  InstanceId: INSTANCE,
  ...fields,
});

const ssmError = (name: string, status: number) =>
  new SSMServiceException({
    name,
    message: `${name} happened`,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

beforeEach(() => {
  ssm.reset();
  ec2.reset();
  placements.length = 0;
  ssm.on(ListCommandsCommand).resolves({ Commands: [] });
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: COMMAND } });
  ec2
    .on(DescribeInstancesCommand)
    .resolves({ Reservations: [{ Instances: [{ InstanceId: INSTANCE }] }] });
});

describe('submit', () => {
  it('sends our document with the delivery timeout leaving room for the script, and answers running', async () => {
    const action = quarantine();

    const progress = await connector().submit(action);

    expect(progress).toEqual({
      state: 'running',
      ref: COMMAND,
      detail: `Command ${COMMAND} (ActionCenter-QuarantineFile-Linux) sent to ${INSTANCE}`,
    });
    expect(ssm.commandCalls(SendCommandCommand).map((c) => c.args[0].input)).toEqual([
      {
        InstanceIds: [INSTANCE],
        DocumentName: 'ActionCenter-QuarantineFile-Linux',
        Parameters: {
          operation: ['execute'],
          actionId: [action.id],
          path: ['/tmp/invoice.exe'],
          sha256: [SHA256],
        },
        Comment: action.id,
        TimeoutSeconds: 3000,
      },
    ]);
    expect(placements).toEqual([{ accountId: undefined, region: undefined }]);
  });

  it("looks for an earlier command of the action from the action's creation on, across pages", async () => {
    const action = quarantine();
    ssm
      .on(ListCommandsCommand)
      .resolvesOnce({
        Commands: [{ CommandId: 'other', Comment: 'act-other' }],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        Commands: [
          {
            CommandId: COMMAND,
            Comment: action.id,
            DocumentName: 'ActionCenter-QuarantineFile-Linux',
          },
        ],
      });

    const progress = await connector().submit(action);

    expect(progress).toMatchObject({ state: 'running', ref: COMMAND });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
    expect(ssm.commandCalls(ListCommandsCommand).map((c) => c.args[0].input)).toEqual([
      {
        InstanceId: INSTANCE,
        Filters: [{ key: 'InvokedAfter', value: action.createdAt.replace('.000Z', 'Z') }],
      },
      {
        InstanceId: INSTANCE,
        Filters: [{ key: 'InvokedAfter', value: action.createdAt.replace('.000Z', 'Z') }],
        NextToken: 'page-2',
      },
    ]);
  });

  it("does not take a command with the action's comment but someone else's document for its own", async () => {
    const action = quarantine();
    ssm.on(ListCommandsCommand).resolves({
      Commands: [{ CommandId: 'forged', Comment: action.id, DocumentName: 'AWS-RunShellScript' }],
    });

    const progress = await connector().submit(action);

    expect(progress).toMatchObject({ state: 'running', ref: COMMAND });
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
  });

  it("learns a hybrid node's platform from Systems Manager", async () => {
    ssm.on(DescribeInstanceInformationCommand).resolves({
      InstanceInformationList: [{ InstanceId: HYBRID, PlatformType: 'Windows' }],
    });
    const action = quarantine(HYBRID, {
      target: {
        kind: 'file',
        id: 'f',
        displayName: 'f',
        deviceId: HYBRID,
        path: 'C:\\Temp\\f.exe',
      },
    });

    await connector().submit(action);

    expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input.DocumentName).toBe(
      'ActionCenter-QuarantineFile-Windows',
    );
  });

  it.each([
    [{ InstanceInformationList: [] }, /is not registered with Systems Manager/],
    [
      { InstanceInformationList: [{ InstanceId: HYBRID, PlatformType: 'MacOS' as const }] },
      /runs MacOS/,
    ],
  ])('refuses a hybrid node it cannot run on: %j', async (answer, reason) => {
    ssm.on(DescribeInstanceInformationCommand).resolves(answer);

    const error = await connector()
      .submit(quarantine(HYBRID))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(reason);
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(0);
  });

  it("hands the target's account and region to the clients, for cross-account roles", async () => {
    const action = quarantine();
    Object.assign(action.target, { accountId: '210987654321', region: 'us-east-2' });

    await connector().submit(action);

    expect(placements).toEqual([{ accountId: '210987654321', region: 'us-east-2' }]);
  });

  it('is transient when SSM throttles, permanent when it refuses the node', async () => {
    ssm
      .on(SendCommandCommand)
      .rejectsOnce(ssmError('ThrottlingException', 400))
      .rejectsOnce(ssmError('InvalidInstanceId', 400));

    const throttled = await connector()
      .submit(quarantine())
      .catch((e: unknown) => e);
    const refused = await connector()
      .submit(quarantine())
      .catch((e: unknown) => e);

    expect(throttled).toBeInstanceOf(ConnectorTransientError);
    expect(refused).toBeInstanceOf(ConnectorPermanentError);
    expect((refused as Error).message).toMatch(
      /AWS refused sending ActionCenter-QuarantineFile-Linux to i-0123456789abcdef0 \(InvalidInstanceId/,
    );
  });
});

describe('status', () => {
  it.each(['Pending', 'InProgress', 'Delayed', 'Cancelling'] as const)(
    'answers running while the invocation is %s',
    async (Status) => {
      ssm.on(GetCommandInvocationCommand).resolves(invocation({ Status, StatusDetails: Status }));

      const progress = await connector().status(quarantine(), COMMAND);

      expect(progress).toEqual({
        state: 'running',
        ref: COMMAND,
        detail: `Command ${COMMAND} on ${INSTANCE}: ${Status}`,
      });
    },
  );

  it('answers running while the invocation does not exist yet', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .rejects(new InvocationDoesNotExist({ message: 'not yet', $metadata: {} }));

    expect(await connector().status(quarantine(), COMMAND)).toMatchObject({
      state: 'running',
      ref: COMMAND,
    });
  });

  it("completes with the command's output, trimmed", async () => {
    const record = JSON.stringify({ path: '/tmp/invoice.exe', sha256: SHA256, platform: 'Linux' });
    ssm.on(GetCommandInvocationCommand).resolves(
      invocation({
        Status: 'Success',
        StandardOutputContent: `\nQuarantined /tmp/invoice.exe\n${record}\n\n`,
      }),
    );

    const progress = await connector().status(quarantine(), COMMAND);

    expect(progress).toEqual({
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: `Quarantined /tmp/invoice.exe\n${record}`,
    });
  });

  it('keeps the end of a long output: the record is its last line', async () => {
    ssm.on(GetCommandInvocationCommand).resolves(
      invocation({
        Status: 'Success',
        StandardOutputContent: `${'x'.repeat(9000)}\n{"platform":"Linux"}`,
      }),
    );

    const progress = await connector().status(quarantine(), COMMAND);

    expect(progress.state === 'completed' && progress.detail).toHaveLength(4000);
    expect(
      progress.state === 'completed' && progress.detail?.endsWith('{"platform":"Linux"}'),
    ).toBe(true);
  });

  it("fails with the script's refusal", async () => {
    ssm.on(GetCommandInvocationCommand).resolves(
      invocation({
        Status: 'Failed',
        StatusDetails: 'Failed',
        ResponseCode: 1,
        StandardErrorContent:
          'actioncenter: /tmp/invoice.exe has sha256 c…, not b… as in the alert: not quarantined\n',
      }),
    );

    expect(await connector().status(quarantine(), COMMAND)).toEqual({
      state: 'failed',
      reason: `Command ${COMMAND} on ${INSTANCE} Failed (exit 1): actioncenter: /tmp/invoice.exe has sha256 c…, not b… as in the alert: not quarantined`,
    });
  });

  it.each([
    ['TimedOut', 'Delivery Timed Out', /the node stayed offline until the delivery timed out/],
    ['Failed', 'Undeliverable', /the node is offline or not reachable by Systems Manager/],
    ['Failed', 'Terminated', /the node was stopped or terminated/],
    ['TimedOut', 'Execution Timed Out', /ran longer than the document allows/],
    ['Cancelled', 'Cancelled', /cancelled on the node/],
  ] as const)(
    'fails with the reason when the invocation is %s (%s)',
    async (Status, StatusDetails, reason) => {
      ssm
        .on(GetCommandInvocationCommand)
        .resolves(invocation({ Status, StatusDetails, ResponseCode: -1 }));

      const progress = await connector().status(quarantine(), COMMAND);

      expect(progress.state).toBe('failed');
      expect(progress.state === 'failed' && progress.reason).toMatch(reason);
    },
  );

  it('fails when no command was ever sent for the action', async () => {
    expect(await connector().status(quarantine())).toEqual({
      state: 'failed',
      reason: `No Systems Manager command was sent to ${INSTANCE} for this action`,
    });
  });
});

describe('undo', () => {
  const quarantined = (overrides: Partial<Action> = {}) =>
    quarantine(INSTANCE, {
      status: 'Completed',
      result: {
        outcome: 'FileQuarantined',
        detail: `Quarantined\n${JSON.stringify({ path: '/srv/app/invoice.exe', sha256: SHA256, platform: 'Linux' })}`,
        at: '2026-11-30T08:20:00.000Z',
      },
      ...overrides,
    });

  it('waits for the undo command and answers its outcome', async () => {
    ssm
      .on(GetCommandInvocationCommand)
      .resolvesOnce(invocation({ Status: 'InProgress' }))
      .resolves(
        invocation({ Status: 'Success', StandardOutputContent: 'Restored /srv/app/invoice.exe' }),
      );

    const action = quarantined();

    const outcome = await connector(1_000).undo(action);

    expect(outcome).toEqual({ outcome: 'FileRestored', detail: 'Restored /srv/app/invoice.exe' });
    expect(ssm.commandCalls(SendCommandCommand)[0]?.args[0].input).toMatchObject({
      Comment: `${action.id}:undo`,
      Parameters: { operation: ['undo'], path: ['/srv/app/invoice.exe'], sha256: [SHA256] },
    });
  });

  it('is transient while the command still runs, and the next try finds the same command', async () => {
    const action = quarantined();
    ssm.on(GetCommandInvocationCommand).resolves(invocation({ Status: 'InProgress' }));

    const first = await connector()
      .undo(action)
      .catch((e: unknown) => e);
    ssm.on(ListCommandsCommand).resolves({
      Commands: [
        {
          CommandId: COMMAND,
          Comment: `${action.id}:undo`,
          DocumentName: 'ActionCenter-QuarantineFile-Linux',
          Status: 'InProgress',
        },
      ],
    });
    ssm
      .on(GetCommandInvocationCommand)
      .resolves(invocation({ Status: 'Success', StandardOutputContent: 'Restored' }));
    const second = await connector().undo(action);

    expect(first).toBeInstanceOf(ConnectorTransientError);
    expect(second.outcome).toBe('FileRestored');
    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
  });

  it('sends again after a failed undo, and fails with the reason', async () => {
    const action = quarantined();
    ssm.on(ListCommandsCommand).resolves({
      Commands: [
        {
          CommandId: 'failed-before',
          Comment: `${action.id}:undo`,
          DocumentName: 'ActionCenter-QuarantineFile-Linux',
          Status: 'Failed',
        },
      ],
    });
    ssm.on(GetCommandInvocationCommand).resolves(
      invocation({
        Status: 'Failed',
        ResponseCode: 1,
        StandardErrorContent: 'actioncenter: /srv/app/invoice.exe exists again: not overwritten',
      }),
    );

    const error = await connector()
      .undo(action)
      .catch((e: unknown) => e);

    expect(ssm.commandCalls(SendCommandCommand)).toHaveLength(1);
    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(/^Undo failed: .*exists again: not overwritten/);
  });

  it('uses the record, not the node: no EC2 lookup of the platform', async () => {
    ssm.on(GetCommandInvocationCommand).resolves(invocation({ Status: 'Success' }));

    await connector().undo(quarantined());

    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(0);
  });
});
