// The connectors' settings (functions/adapters/connectors) from the app's parameters: checked at
// synth with the functions' own parser, handed to every function as the variables
// functions/config.ts reads, and turned into exactly the IAM grants the routed connectors need.
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AWS_CONNECTOR_TYPES,
  type ConnectorSettings,
  connectorSettingsFrom,
  resolveConnector,
} from '../../functions/core/connector-settings.js';
import { defenderSettingsFrom } from '../../functions/core/defender-settings.js';
import { ACTION_TYPES, type ActionType } from '../../functions/core/model.js';
import { type ActionCenterFunction, XRAY_REASON } from './constructs/action-center-function.js';
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
  readonly defenderTenantId?: string;
  readonly defenderClientId?: string;
  /** Secrets Manager secret holding the Defender app's client secret. */
  readonly defenderClientSecretArn?: string;
  readonly defenderLiveResponseScript?: string;
}

export interface Connectors {
  readonly settings: ConnectorSettings;
  readonly environment: Record<string, string>;
  /** What the defender connector signs in with, when Defender is configured. */
  readonly defenderClientSecretArn?: string;
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
    DEFENDER_TENANT_ID: p.defenderTenantId,
    DEFENDER_CLIENT_ID: p.defenderClientId,
    DEFENDER_CLIENT_SECRET_ARN: p.defenderClientSecretArn,
    DEFENDER_LIVE_RESPONSE_SCRIPT: p.defenderLiveResponseScript,
  };
  const settings = connectorSettingsFrom(variables, () => {
    throw new Error('CONNECTORS_FILE is not used in AWS; pass the routing as `connectors`');
  });
  const defenderProblems: string[] = [];
  defenderSettingsFrom(variables, defenderProblems);
  if (defenderProblems.length > 0) {
    throw new Error(`Invalid Defender configuration: ${defenderProblems.join('; ')}`);
  }
  const environment = Object.fromEntries(
    Object.entries(variables)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, String(value)]),
  );
  return { settings, environment, defenderClientSecretArn: p.defenderClientSecretArn };
}

const routedTo = (settings: ConnectorSettings, name: string): ActionType[] =>
  ACTION_TYPES.filter((type) => resolveConnector(settings.routing, type).name === name);

/** What a function that carries out (or undoes) actions may call, per routed connector. */
export function grantConnectors(
  fn: ActionCenterFunction,
  settings: ConnectorSettings,
  defenderClientSecretArn?: string,
): void {
  const stack = Stack.of(fn);
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
  // The defender connector signs in to Microsoft with the app's client secret; its grants are
  // Microsoft's application permissions (docs/defender.md), nothing in AWS.
  if (routedTo(settings, 'defender').length > 0 && defenderClientSecretArn) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadDefenderClientSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [defenderClientSecretArn],
      }),
    );
  }
}
