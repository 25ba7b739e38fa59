// The connectors' settings (functions/adapters/connectors) from the app's parameters: checked at
// synth with the functions' own parser, handed to every function as the variables
// functions/config.ts reads, and turned into exactly the IAM grants the routed connectors need.
import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { AWS_CONNECTOR_TYPES } from '../../functions/core/aws-connector-settings.js';
import {
  type ConnectorSettings,
  connectorSettingsFrom,
  resolveConnector,
} from '../../functions/core/connector-settings.js';
import { defenderSettingsFrom } from '../../functions/core/defender-settings.js';
import { ACTION_TYPES, type ActionType } from '../../functions/core/model.js';
import { isSsmActionType, type SsmActionType } from '../../functions/core/ssm-commands.js';
import { type ActionCenterFunction, XRAY_REASON } from './constructs/action-center-function.js';
import { SsmDocuments } from './constructs/ssm-documents.js';
import { nagArnPrefix } from './nag.js';
import {
  type BlastRadius,
  DEFAULT_REMEDIABLE_TAG,
  isolationStatements,
  vpcArnPattern,
} from './remediation-policy.js';

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
  /** The tag (key and value) on what the aws connector may change: ActionCenterRemediable=true. */
  readonly remediableTagKey?: string;
  readonly remediableTagValue?: string;
  /** VPCs whose network interfaces may be changed whatever their tags. */
  readonly allowedVpcIds?: readonly string[];
  /** The member stack's role (MEMBER_ROLE_NAME) and external id, for targets in other accounts. */
  readonly memberRoleName?: string;
  readonly memberExternalId?: string;
  readonly defenderTenantId?: string;
  readonly defenderClientId?: string;
  /** Secrets Manager secret holding the Defender app's client secret. */
  readonly defenderClientSecretArn?: string;
  readonly defenderLiveResponseScript?: string;
  readonly defenderLoginUrl?: string;
  readonly graphUrl?: string;
  readonly mdeApiUrl?: string;
  readonly ssmDocumentPrefix?: string;
  readonly ssmTimeoutSeconds?: number;
}

/** The operator's mark on what may be remediated: SendCommand is allowed only on nodes tagged so. */
export interface RemediableTag {
  readonly key: string;
  readonly value: string;
}

export interface Connectors {
  readonly settings: ConnectorSettings;
  readonly environment: Record<string, string>;
  readonly blastRadius: BlastRadius;
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
    MEMBER_ROLE_NAME: p.memberRoleName,
    MEMBER_EXTERNAL_ID: p.memberExternalId,
    DEFENDER_TENANT_ID: p.defenderTenantId,
    DEFENDER_CLIENT_ID: p.defenderClientId,
    DEFENDER_CLIENT_SECRET_ARN: p.defenderClientSecretArn,
    DEFENDER_LIVE_RESPONSE_SCRIPT: p.defenderLiveResponseScript,
    DEFENDER_LOGIN_URL: p.defenderLoginUrl,
    GRAPH_URL: p.graphUrl,
    MDE_API_URL: p.mdeApiUrl,
    SSM_DOCUMENT_PREFIX: p.ssmDocumentPrefix,
    SSM_TIMEOUT_SECONDS: p.ssmTimeoutSeconds,
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
  const blastRadius: BlastRadius = {
    tagKey: p.remediableTagKey ?? DEFAULT_REMEDIABLE_TAG.key,
    tagValue: p.remediableTagValue ?? DEFAULT_REMEDIABLE_TAG.value,
    allowedVpcIds: p.allowedVpcIds ?? [],
  };
  return {
    settings,
    environment,
    blastRadius,
    defenderClientSecretArn: p.defenderClientSecretArn,
  };
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

/**
 * What the function that carries out (and undoes) actions may call, per routed connector: only
 * the workflow's Advance task; the API records undo requests and holds no remediation rights.
 */
export function grantConnectors(fn: ActionCenterFunction, connectors: Connectors): void {
  const { settings, blastRadius, defenderClientSecretArn } = connectors;
  const remediableTag: RemediableTag = { key: blastRadius.tagKey, value: blastRadius.tagValue };
  const stack = Stack.of(fn);
  if (ssmTypesOf(settings).length > 0) grantSsmConnector(fn, settings, remediableTag);
  const aws = routedTo(settings, 'aws').filter((t) =>
    (AWS_CONNECTOR_TYPES as readonly string[]).includes(t),
  );

  if (aws.includes('isolateDevice')) {
    const ec2 = (resource: string) =>
      stack.formatArn({ service: 'ec2', resource, resourceName: '*' });
    const { byTag, byVpc, always } = isolationStatements(
      ec2,
      blastRadius,
      blastRadius.allowedVpcIds.length > 0
        ? blastRadius.allowedVpcIds.map(vpcArnPattern)
        : undefined,
    );
    for (const statement of [...always, ...byTag, ...byVpc])
      fn.role.addToPrincipalPolicy(statement);
    const where = nagArnPrefix(fn, 'ec2');
    Validations.of(fn.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: `${XRAY_REASON} So do ec2:DescribeNetworkInterfaces and ec2:DescribeSecurityGroups, which isolateDevice (aws connector) uses to find the instance's interfaces and its VPC's isolation group.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${where}:network-interface/*]`,
        reason: `isolateDevice (aws connector): the device is named by the alert at run time, so the interface is any, but only one tagged ${blastRadius.tagKey}=${blastRadius.tagValue} or in an allowed VPC (IAM conditions), and only our actioncenter:* tags.`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::${where}:security-group/*]`,
        reason:
          "isolateDevice (aws connector): the isolation group and, on undo, the interface's recorded groups are attached; EC2 authorizes the request's interface too, which must be remediable.",
      },
    );
  }
  if (aws.length > 0 && settings.aws.memberRoleName) {
    const memberRoles = `arn:${stack.partition}:iam::*:role/${settings.aws.memberRoleName}`;
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeMemberRemediationRoles',
        actions: ['sts:AssumeRole'],
        resources: [memberRoles],
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnPrefix(fn, 'iam').split(':').slice(0, 3).join(':')}::*:role/${settings.aws.memberRoleName}]`,
      reason:
        "The aws connector acts in the account a finding names: it may assume the member stack's role, by that one name, in any account; each member role trusts only this role, with the external id.",
    });
  }
  if (aws.includes('blockUrl') && settings.aws.dnsFirewallDomainListId) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'BlockUrls',
        actions: ['route53resolver:UpdateFirewallDomains', 'route53resolver:ListFirewallDomains'],
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
  grantWebhookSecret(fn, settings, 'ReadWebhookSecret');
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

/**
 * The webhook's signing secret, read to sign requests (Advance) or to verify the receivers'
 * signed callbacks (the API decide function, which serves them).
 */
export function grantWebhookSecret(
  fn: ActionCenterFunction,
  settings: ConnectorSettings,
  sid = 'VerifyWebhookCallbacks',
): void {
  if (routedTo(settings, 'webhook').length > 0 && settings.webhook.secretArn) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid,
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
