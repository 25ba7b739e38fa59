import {
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  EC2Client,
  ModifyNetworkInterfaceAttributeCommand,
} from '@aws-sdk/client-ec2';
import { Route53ResolverClient } from '@aws-sdk/client-route53resolver';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListCommandsCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { createConnectorRegistry } from '../../../../functions/adapters/connectors/index.js';
import { loadConfig } from '../../../../functions/config.js';
import { categoryOf } from '../../../../functions/core/catalog.js';
import type { Action, ActionType } from '../../../../functions/core/model.js';
import type { Connector } from '../../../../functions/core/ports.js';
import { ConnectorPermanentError } from '../../../../functions/core/workflow-errors.js';
import { makeAction } from '../../../fixtures/actions.js';
import { completedOutcome } from '../../../support/connector-progress.js';

const SETTINGS = {
  TABLE_NAME: 'ActionCenter',
  WEBHOOK_URL: 'https://edr.example.com/action-center',
  WEBHOOK_SECRET: 'a-signing-secret-of-32-characters',
  AWS_ISOLATION_SECURITY_GROUP_ID: 'sg-0150150150150150a',
  AWS_DNS_FIREWALL_DOMAIN_LIST_ID: 'rslvr-fdl-0123456789abcdef',
};

/** The registry as a Lambda builds it at cold start; no client is ever called here. */
function registryFor(env: Record<string, string> = {}) {
  const config = loadConfig({ ...SETTINGS, ...env });
  return createConnectorRegistry(config, {
    doc: {} as DynamoDBDocumentClient,
    clients: {
      aws: async () => ({
        place: { region: 'eu-west-1', hub: true },
        ec2: new EC2Client({}),
        resolver: new Route53ResolverClient({}),
      }),
      secretsManager: new SecretsManagerClient({}),
    },
  });
}

const actionOf = (type: ActionType): Action => makeAction({ type, category: categoryOf(type) });

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('connector registry', () => {
  it('gives every action the built-in connector by default', () => {
    // Prepare
    const registry = registryFor();

    // Act
    const names = (['quarantineFile', 'isolateDevice', 'blockUrl', 'softDeleteEmail'] as const).map(
      (type) => registry.connectorFor(actionOf(type)).name,
    );

    // Assess
    expect(names).toEqual(['builtin', 'builtin', 'builtin', 'builtin']);
  });

  it('routes by category, with per-type overrides', () => {
    // Prepare
    const registry = registryFor({
      CONNECTORS: JSON.stringify({
        endpoint: 'webhook',
        email: 'webhook',
        types: { blockUrl: 'aws', isolateDevice: 'aws', quarantineEmail: 'builtin' },
      }),
    });

    // Act
    const nameOf = (type: ActionType) => registry.connectorFor(actionOf(type)).name;

    // Assess
    expect(nameOf('quarantineFile')).toBe('webhook');
    expect(nameOf('softDeleteEmail')).toBe('webhook');
    expect(nameOf('isolateDevice')).toBe('aws');
    expect(nameOf('blockUrl')).toBe('aws');
    expect(nameOf('quarantineEmail')).toBe('builtin');
  });

  it('builds each configured connector once', () => {
    const registry = registryFor({ CONNECTORS: '{"default":"webhook"}' });

    const connectors = new Set<Connector>(
      (['quarantineFile', 'blockUrl', 'stopService'] as const).map((t) =>
        registry.connectorFor(actionOf(t)),
      ),
    );

    expect(connectors.size).toBe(1);
  });

  it('fails an action whose type no entry names, with the reason, for execute and undo', async () => {
    // Prepare
    const registry = registryFor({ CONNECTORS: '{"endpoint":"builtin"}' });
    const action = actionOf('blockUrl');

    // Act
    const connector = registry.connectorFor(action);
    const errors = [
      await rejectionOf(connector.submit(action)),
      await rejectionOf(connector.undo(action)),
    ];

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectorPermanentError);
      expect(error.name).toBe('ConnectorPermanentError');
      expect(error.message).toBe(
        'No connector is configured for blockUrl (email): route it in CONNECTORS (by type, by category or as "default")',
      );
    }
  });

  it('fails an action whose type is switched off with "none"', async () => {
    const registry = registryFor({
      CONNECTORS: '{"default":"builtin","types":{"killProcess":"none"}}',
    });
    const action = actionOf('killProcess');

    const error = await rejectionOf(registry.connectorFor(action).submit(action));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toBe(
      'Connectors are switched off for killProcess (endpoint): CONNECTORS routes it to "none"',
    );
    expect(registry.connectorFor(actionOf('quarantineFile')).name).toBe('builtin');
  });

  it('gives each connector its time to run: the webhook as configured, the others fixed', () => {
    const registry = registryFor({
      CONNECTORS: JSON.stringify({
        default: 'builtin',
        endpoint: 'webhook',
        types: { blockUrl: 'aws', killProcess: 'none' },
      }),
      WEBHOOK_RESULT_TIMEOUT_SECONDS: '900',
    });

    const timeoutOf = (type: ActionType) => registry.connectorFor(actionOf(type)).timeoutSeconds;

    expect({
      webhook: timeoutOf('quarantineFile'),
      aws: timeoutOf('blockUrl'),
      none: timeoutOf('killProcess'),
      builtin: timeoutOf('softDeleteEmail'),
    }).toEqual({ webhook: 900, aws: 300, none: 60, builtin: 60 });
  });

  it('fails status too where no connector is configured', async () => {
    const registry = registryFor({ CONNECTORS: '{"endpoint":"builtin"}' });
    const action = actionOf('blockUrl');

    const error = await rejectionOf(registry.connectorFor(action).status(action, 'ref-1'));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
  });

  it('keeps the built-in connector when the config carries no connector settings', () => {
    const { connectors: _omitted, ...config } = loadConfig(SETTINGS);

    const registry = createConnectorRegistry(config, { doc: {} as DynamoDBDocumentClient });

    expect(registry.connectorFor(actionOf('isolateDevice')).name).toBe('builtin');
  });
});

describe('connector registry: the aws connector', () => {
  const ec2 = mockClient(EC2Client);

  beforeEach(() => ec2.reset());

  it('is loaded on first use and carries out the action', async () => {
    // Prepare
    const registry = registryFor({
      CONNECTORS: '{"default":"builtin","types":{"isolateDevice":"aws"}}',
    });
    const action = makeAction({
      type: 'isolateDevice',
      target: { kind: 'device', id: 'i-0123456789abcdef0', displayName: 'web-1' },
    });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        { NetworkInterfaceId: 'eni-01', Groups: [{ GroupId: 'sg-0aaaaaaaaaaaaaaa1' }] },
      ],
    });

    // Act
    const outcome = completedOutcome(await registry.connectorFor(action).submit(action));

    // Assess
    expect(outcome.outcome).toBe('DeviceIsolated');
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)[0]?.args[0].input).toEqual({
      NetworkInterfaceId: 'eni-01',
      Groups: [SETTINGS.AWS_ISOLATION_SECURITY_GROUP_ID],
    });
  });

  it('answers status through the registry by asking the target again, changing nothing more', async () => {
    // Prepare
    const registry = registryFor({
      CONNECTORS: '{"default":"builtin","types":{"isolateDevice":"aws"}}',
    });
    const action = makeAction({
      type: 'isolateDevice',
      target: { kind: 'device', id: 'i-0123456789abcdef0', displayName: 'web-1' },
    });
    ec2.on(DescribeNetworkInterfacesCommand).resolves({
      NetworkInterfaces: [
        {
          NetworkInterfaceId: 'eni-01',
          Groups: [{ GroupId: SETTINGS.AWS_ISOLATION_SECURITY_GROUP_ID }],
          TagSet: [{ Key: 'actioncenter:previous-security-groups', Value: 'sg-0aaaaaaaaaaaaaaa1' }],
        },
      ],
    });

    // Act
    const status = await registry.connectorFor(action).status(action);

    // Assess
    expect(status).toMatchObject({ state: 'completed', outcome: 'DeviceIsolated' });
    expect(ec2.commandCalls(ModifyNetworkInterfaceAttributeCommand)).toHaveLength(0);
  });

  it('refuses, through the registry, a type it does not handle', async () => {
    // The routing check at cold start forbids this; the connector refuses it anyway.
    const registry = registryFor({
      CONNECTORS: '{"default":"builtin","types":{"blockUrl":"aws"}}',
    });
    const aws = registry.connectorFor(actionOf('blockUrl'));

    const error = await rejectionOf(aws.submit(actionOf('quarantineFile')));

    expect(error).toBeInstanceOf(ConnectorPermanentError);
    expect(error.message).toBe('aws connector does not handle quarantineFile');
  });
});

describe('connector registry: the ssm connector', () => {
  it('is loaded on first use, with its timeout, and sends through the clients it is given', async () => {
    // Prepare
    const ssm = new SSMClient({});
    const ec2 = new EC2Client({});
    const ssmStub = mockClient(ssm);
    const ec2Stub = mockClient(ec2);
    ssmStub.on(ListCommandsCommand).resolves({ Commands: [] });
    ssmStub.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    ec2Stub.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{}] }] });
    const config = loadConfig({
      ...SETTINGS,
      CONNECTORS: '{"default":"builtin","types":{"stopService":"ssm"}}',
      SSM_TIMEOUT_SECONDS: '1800',
    });
    const registry = createConnectorRegistry(config, {
      doc: {} as DynamoDBDocumentClient,
      clients: { ssm: async () => ({ ssm, ec2 }) },
    });
    const action = makeAction({
      type: 'stopService',
      target: {
        kind: 'service',
        id: 'miner.service',
        displayName: 'miner',
        deviceId: 'i-0123456789abcdef0',
      },
    });

    // Act
    const connector = registry.connectorFor(action);
    const progress = await connector.submit(action);

    // Assess
    expect({ name: connector.name, timeoutSeconds: connector.timeoutSeconds }).toEqual({
      name: 'ssm',
      timeoutSeconds: 1800,
    });
    expect(progress).toMatchObject({ state: 'running', ref: 'cmd-1' });
    expect(ssmStub.commandCalls(SendCommandCommand)[0]?.args[0].input.DocumentName).toBe(
      'ActionCenter-StopService-Linux',
    );
  });
});
