// The connectors' settings (functions/adapters/connectors) from the app's parameters: checked at
// synth with the functions' own parser, handed to every function as the variables
// functions/config.ts reads, and turned into exactly the IAM grants the routed connectors need.
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  AWS_CONNECTOR_TYPES,
  type ConnectorSettings,
  connectorSettingsFrom,
  resolveConnector,
} from '../../functions/core/connector-settings.js';
import { ACTION_TYPES, type ActionType } from '../../functions/core/model.js';
import { isSsmActionType, type SsmActionType } from '../../functions/core/ssm-commands.js';
import { type ActionCenterFunction, XRAY_REASON } from './constructs/action-center-function.js';
import { SsmDocuments } from './constructs/ssm-documents.js';
import { nagArnPrefix } from './nag.js';

export interface ConnectorParameters {
  /** The routing JSON (`CONNECTORS`), e.g. `{"default":"builtin","types":{"isolateDevice":"aws"}}`. */
  readonly connectors?: string;
  readonly webhookUrl?: string;
  /** Secrets Manager secret holding the webhook's signing secret (never the secret itself). */
  readonly webhookSecretArn?: string;
  /** How long a receiver that answered 202 has to call back. */
  readonly webhookResultTimeoutSeconds?: number;
  readonly isolationSecurityGroupId?: string;
  readonly dnsFirewallDomainListId?: string;
  readonly ssmDocumentPrefix?: string;
  readonly ssmTimeoutSeconds?: number;
  /** The tag an instance or managed node must carry for the ssm connector to act on it. */
  readonly remediableTagKey?: string;
  readonly remediableTagValue?: string;
}

/** The operator's mark on what may be remediated: SendCommand is allowed only on nodes tagged so. */
export interface RemediableTag {
  readonly key: string;
  readonly value: string;
}

export interface Connectors {
  readonly settings: ConnectorSettings;
  readonly environment: Record<string, string>;
  readonly remediableTag: RemediableTag;
}

/** The parameters as the functions' variables, validated exactly as a cold start would. */
export function connectorsFrom(p: ConnectorParameters): Connectors {
  const variables = {
    CONNECTORS: p.connectors,
    WEBHOOK_URL: p.webhookUrl,
    WEBHOOK_SECRET_ARN: p.webhookSecretArn,
    WEBHOOK_TIMEOUT_MS: 10_000,
    WEBHOOK_RESULT_TIMEOUT_SECONDS: p.webhookResultTimeoutSeconds,
    AWS_ISOLATION_SECURITY_GROUP_ID: p.isolationSecurityGroupId,
    AWS_DNS_FIREWALL_DOMAIN_LIST_ID: p.dnsFirewallDomainListId,
    SSM_DOCUMENT_PREFIX: p.ssmDocumentPrefix,
    SSM_TIMEOUT_SECONDS: p.ssmTimeoutSeconds,
  };
  const settings = connectorSettingsFrom(variables, () => {
    throw new Error('CONNECTORS_FILE is not used in AWS; pass the routing as `connectors`');
  });
  const environment = Object.fromEntries(
    Object.entries(variables)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
  const remediableTag = {
    key: p.remediableTagKey ?? 'ActionCenterRemediable',
    value: p.remediableTagValue ?? 'true',
  };
  return { settings, environment, remediableTag };
}

const ssmTypesOf = (settings: ConnectorSettings): SsmActionType[] =>
  routedTo(settings, 'ssm').filter(isSsmActionType);

/** The ssm connector's documents, for the action types routed to it (none: no documents). */
export function createSsmDocuments(scope: Construct, settings: ConnectorSettings): void {
  const types = ssmTypesOf(settings);
  if (types.length === 0) return;
  new SsmDocuments(scope, 'SsmDocuments', { prefix: settings.ssm.documentPrefix, types });
}

const routedTo = (settings: ConnectorSettings, name: string): ActionType[] =>
  ACTION_TYPES.filter((type) => resolveConnector(settings.routing, type).name === name);

/** What a function that carries out (or undoes) actions may call, per routed connector. */
export function grantConnectors(
  fn: ActionCenterFunction,
  settings: ConnectorSettings,
  remediableTag: RemediableTag = { key: 'ActionCenterRemediable', value: 'true' },
): void {
  const stack = Stack.of(fn);
  if (ssmTypesOf(settings).length > 0) grantSsmConnector(fn, settings, remediableTag);
  const aws = routedTo(settings, 'aws').filter((t) =>
    (AWS_CONNECTOR_TYPES as readonly string[]).includes(t),
  );

  if (aws.includes('isolateDevice')) {
    const ec2 = (resource: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName: '*' });
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'FindDeviceInterfaces',
        actions: ['ec2:DescribeNetworkInterfaces'],
        resources: ['*'],
      }),
    );
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'IsolateAndReleaseDevices',
        actions: ['ec2:ModifyNetworkInterfaceAttribute', 'ec2:CreateTags', 'ec2:DeleteTags'],
        resources: [ec2('network-interface'), ec2('security-group')],
      }),
    );
    const where = nagArnPrefix(fn, 'ec2');
    Validations.of(fn.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${XRAY_REASON} So does ec2:DescribeNetworkInterfaces, which isolateDevice (aws connector) uses to find the interfaces of the instance named by the alert.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${where}:network-interface/*]`,
        reason:
          'isolateDevice (aws connector): the device to isolate is named by the alert at run time, so any network interface of this account and region may have its security groups swapped and tagged.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${where}:security-group/*]`,
        reason:
          "isolateDevice (aws connector): undo restores each interface's previous security groups, which can be any group of this account and region.",
      },
    );
  }
  if (aws.includes('blockUrl') && settings.aws.dnsFirewallDomainListId) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'BlockUrls',
        actions: ['route53resolver:UpdateFirewallDomains'],
        resources: [
          stack.formatArn({
            service: 'route53resolver',
            resource: 'firewall-domain-list',
            resourceName: settings.aws.dnsFirewallDomainListId,
          }),
        ],
      }),
    );
  }
  if (routedTo(settings, 'webhook').length > 0 && settings.webhook.secretArn) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWebhookSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [settings.webhook.secretArn],
      }),
    );
  }
}

/**
 * The ssm connector: SendCommand only with our documents and only to instances and managed nodes
 * that carry the remediable tag; reading commands and platforms (no resource-level permissions).
 */
function grantSsmConnector(
  fn: ActionCenterFunction,
  settings: ConnectorSettings,
  tag: RemediableTag,
): void {
  const stack = Stack.of(fn);
  const prefix = settings.ssm.documentPrefix;
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SendCommandsToRemediableNodes',
      actions: ['ssm:SendCommand'],
      resources: [
        stack.formatArn({ service: 'ec2', resource: 'instance', resourceName: '*' }),
        stack.formatArn({ service: 'ssm', resource: 'managed-instance', resourceName: '*' }),
      ],
      conditions: { StringEquals: { [`ssm:resourceTag/${tag.key}`]: tag.value } },
    }),
  );
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SendOnlyOurDocuments',
      actions: ['ssm:SendCommand'],
      resources: [
        stack.formatArn({ service: 'ssm', resource: 'document', resourceName: `${prefix}-*` }),
      ],
    }),
  );
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'FollowCommandsAndNodes',
      actions: [
        'ssm:ListCommands',
        'ssm:GetCommandInvocation',
        'ssm:DescribeInstanceInformation',
        'ec2:DescribeInstances',
      ],
      resources: ['*'],
    }),
  );
  const ssmArn = nagArnPrefix(fn, 'ssm');
  Validations.of(fn.role).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${XRAY_REASON} So do ssm:ListCommands, ssm:GetCommandInvocation, ssm:DescribeInstanceInformation and ec2:DescribeInstances, which the ssm connector uses to follow its commands and learn a node's platform; none of them changes anything.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(fn, 'ec2')}:instance/*]`,
      reason: `ssm connector: the instance is named by the alert at run time; SendCommand is allowed only on instances tagged ${tag.key}=${tag.value}, and only with our documents.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${ssmArn}:managed-instance/*]`,
      reason: `ssm connector: the hybrid node is named by the alert at run time; SendCommand is allowed only on nodes tagged ${tag.key}=${tag.value}, and only with our documents.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::${ssmArn}:document/${prefix}-*]`,
      reason: `ssm connector: the Action Center's own documents (${prefix}-<Action>-<Platform>, one per action type and platform), none of AWS's or anyone else's.`,
    },
  );
}
