// The ssm connector against moto_server: real SSM and EC2 requests, answers and error shapes.
// Our documents are created in the emulator from the stack's own content. moto runs no agent: a
// command is Success at once, with no output (the tests with aws-sdk-client-mock cover the rest).
import { EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateDocumentCommand, ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type SsmClientsFor, SsmConnector } from '../../../../functions/adapters/connectors/ssm.js';
import type { Action } from '../../../../functions/core/model.js';
import {
  SSM_CONNECTOR_TYPES,
  SSM_DOCUMENTS,
  ssmDocumentName,
} from '../../../../functions/core/ssm-commands.js';
import { ConnectorPermanentError } from '../../../../functions/core/workflow-errors.js';
import { ssmDocumentContent } from '../../../../infra/aws/constructs/ssm-documents.js';
import {
  type MotoServer,
  motoClientConfig,
  motoMissing,
  startMoto,
} from '../../../../infra/local/moto-server.js';
import { makeAction } from '../../../fixtures/actions.js';

const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
let moto: MotoServer;
let ssm: SSMClient;
let ec2: EC2Client;
let instanceId: string;
let windowsInstanceId: string;
/** The Windows instance lives in another region: moto sends a command to every instance of its region. */
let windows: { ssm: SSMClient; ec2: EC2Client };
/** In moto's image catalogue: Amazon Linux, and Windows Server 2016 (`Platform: windows`). */
const LINUX_AMI = 'ami-760aaa0f';
const WINDOWS_AMI = 'ami-03cf127a';
const clientsFor: SsmClientsFor = async () => ({ ssm, ec2 });
const connector = () =>
  new SsmConnector(
    clientsFor,
    { documentPrefix: 'ActionCenter', timeoutSeconds: 3600 },
    { pollIntervalMs: 10 },
  );

const quarantine = (deviceId: string, overrides: Partial<Action> = {}) =>
  makeAction({
    type: 'quarantineFile',
    status: 'Running',
    target: {
      kind: 'file',
      id: SHA256,
      displayName: 'invoice.exe',
      deviceId,
      path: '/home/ec2-user/invoice.exe',
      sha256: SHA256,
    },
    createdAt: new Date(Date.now() - 60_000).toISOString(),
    ...overrides,
  });

const commandsFor = async (node: string) =>
  (await ssm.send(new ListCommandsCommand({ InstanceId: node }))).Commands ?? [];

const describeWithMoto = motoMissing ? describe.skip : describe;
if (motoMissing) it.skip(motoMissing, () => undefined);

describeWithMoto('ssm connector against moto_server', () => {
  beforeAll(async () => {
    moto = await startMoto();
    ssm = new SSMClient(motoClientConfig(moto.endpoint));
    ec2 = new EC2Client(motoClientConfig(moto.endpoint));
    for (const type of SSM_CONNECTOR_TYPES) {
      for (const platform of SSM_DOCUMENTS[type].platforms) {
        await ssm.send(
          new CreateDocumentCommand({
            Name: ssmDocumentName('ActionCenter', type, platform),
            DocumentType: 'Command',
            DocumentFormat: 'JSON',
            Content: JSON.stringify(ssmDocumentContent(type, platform)),
          }),
        );
      }
    }
    windows = {
      ssm: new SSMClient(motoClientConfig(moto.endpoint, 'eu-central-1')),
      ec2: new EC2Client(motoClientConfig(moto.endpoint, 'eu-central-1')),
    };
    const launch = async (client: EC2Client, ImageId: string) =>
      (await client.send(new RunInstancesCommand({ ImageId, MinCount: 1, MaxCount: 1 })))
        .Instances?.[0]?.InstanceId as string;
    instanceId = await launch(ec2, LINUX_AMI);
    windowsInstanceId = await launch(windows.ec2, WINDOWS_AMI);
    await windows.ssm.send(
      new CreateDocumentCommand({
        Name: 'ActionCenter-QuarantineFile-Windows',
        DocumentType: 'Command',
        DocumentFormat: 'JSON',
        Content: JSON.stringify(ssmDocumentContent('quarantineFile', 'Windows')),
      }),
    );
  }, 30_000);
  afterAll(async () => {
    for (const client of [ssm, ec2, windows?.ssm, windows?.ec2]) client?.destroy();
    await moto?.stop();
  });

  it('sends our Linux quarantine document with checked parameters, running, then completed', async () => {
    // Prepare
    const action = quarantine(instanceId);

    // Act
    const submitted = await connector().submit(action);
    const [command] = await commandsFor(instanceId);
    const status = await connector().status(
      action,
      submitted.state === 'running' ? submitted.ref : undefined,
    );

    // Assess
    expect(submitted).toMatchObject({ state: 'running', ref: command?.CommandId });
    expect(command).toMatchObject({
      DocumentName: 'ActionCenter-QuarantineFile-Linux',
      Comment: action.id,
      Parameters: {
        operation: ['execute'],
        actionId: [action.id],
        path: ['/home/ec2-user/invoice.exe'],
        sha256: [SHA256],
      },
    });
    expect(command?.InstanceIds).toContain(instanceId);
    // moto reports the command Success at once and returns no output.
    expect(status).toEqual({
      state: 'completed',
      outcome: 'FileQuarantined',
      detail: `Command ${command?.CommandId} on ${instanceId} succeeded with no output`,
    });
  });

  it('sends the Windows document to a Windows instance', async () => {
    const action = quarantine(windowsInstanceId, {
      target: {
        kind: 'file',
        id: SHA256,
        displayName: 'invoice.exe',
        deviceId: windowsInstanceId,
        path: 'C:\\Users\\Public\\invoice.exe',
      },
    });

    const inWindowsRegion = new SsmConnector(async () => windows, {
      documentPrefix: 'ActionCenter',
      timeoutSeconds: 3600,
    });

    await inWindowsRegion.submit(action);

    const { Commands: [command] = [] } = await windows.ssm.send(
      new ListCommandsCommand({ InstanceId: windowsInstanceId }),
    );
    expect(command).toMatchObject({
      DocumentName: 'ActionCenter-QuarantineFile-Windows',
      Parameters: { path: ['C:\\Users\\Public\\invoice.exe'], sha256: [SHA256] },
    });
  });

  it('refuses to remove a registry key on a Linux instance before sending anything', async () => {
    const action = makeAction({
      type: 'removeRegistryKey',
      target: {
        kind: 'registryKey',
        id: 'HKLM\\Software\\Run\\x',
        displayName: 'Run key',
        deviceId: instanceId,
      },
    });
    const before = (await commandsFor(instanceId)).length;

    const error = await connector()
      .submit(action)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(/Windows nodes only/);
    expect((await commandsFor(instanceId)).length).toBe(before);
  });

  it('finds the command of a repeated submit instead of sending another', async () => {
    const action = quarantine(instanceId, { alertId: 'alert-repeat' });
    const before = (await commandsFor(instanceId)).length;

    const first = await connector().submit(action);
    const again = await connector().submit(action);

    expect(again).toMatchObject({
      state: 'running',
      ref: first.state === 'running' ? first.ref : 'none',
    });
    expect((await commandsFor(instanceId)).length).toBe(before + 1);
  });

  it('finds the command again when status has no ref', async () => {
    const action = quarantine(instanceId, { alertId: 'alert-no-ref' });
    await connector().submit(action);

    const status = await connector().status(action);

    expect(status).toMatchObject({ state: 'completed', outcome: 'FileQuarantined' });
  });

  it('undoes with the recorded path and hash, sent as the undo of the action', async () => {
    const record = { path: '/home/ec2-user/invoice.exe', sha256: SHA256, platform: 'Linux' };
    const action = quarantine(instanceId, {
      alertId: 'alert-undo',
      status: 'Completed',
      result: {
        outcome: 'FileQuarantined',
        detail: `Quarantined\n${JSON.stringify(record)}`,
        at: new Date().toISOString(),
      },
    });

    const undone = await connector().undo(action);

    const undo = (await commandsFor(instanceId)).find((c) => c.Comment === `${action.id}:undo`);
    expect(undone.outcome).toBe('FileRestored');
    expect(undo).toMatchObject({
      DocumentName: 'ActionCenter-QuarantineFile-Linux',
      Parameters: {
        operation: ['undo'],
        actionId: [action.id],
        path: [record.path],
        sha256: [SHA256],
      },
    });
  });

  it("refuses an instance that does not exist, with EC2's own error", async () => {
    const error = await connector()
      .submit(quarantine('i-0123456789abcdef0', { alertId: 'alert-ghost' }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(/InvalidInstanceID\.NotFound/);
  });

  it("refuses a command id the service does not know, with SSM's own error", async () => {
    const error = await connector()
      .status(quarantine(instanceId), '11111111-2222-3333-4444-555555555555')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect((error as Error).message).toMatch(/InvalidCommandId/);
  });
});
