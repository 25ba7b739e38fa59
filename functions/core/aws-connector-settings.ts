// The aws connector's part of the connector settings: the isolation group, the DNS Firewall
// domain list and the member role it assumes in other accounts, each checked by AWS's own rules.
// Pure, so CDK's synth checks its parameters the same way.
import type { ActionType } from './model.js';

/** The action types whose target lives in AWS: the only ones the `aws` connector carries out. */
export const AWS_CONNECTOR_TYPES = ['isolateDevice', 'blockUrl'] as const satisfies ActionType[];

/** Its changes are made within the call; this only bounds a call that is retried for long. */
const AWS_CONNECTOR_TIMEOUT_SECONDS = 300;

export interface AwsConnectorSettings {
  isolationSecurityGroupId?: string;
  dnsFirewallDomainListId?: string;
  /** The role the connectors assume in a member account (`arn:aws:iam::<account>:role/<name>`). */
  memberRoleName?: string;
  /** The external id the member role's trust policy requires. */
  memberExternalId?: string;
  timeoutSeconds: number;
}

export interface AwsVariables {
  AWS_ISOLATION_SECURITY_GROUP_ID?: string;
  AWS_DNS_FIREWALL_DOMAIN_LIST_ID?: string;
  MEMBER_ROLE_NAME?: string;
  MEMBER_EXTERNAL_ID?: string;
}

/** Every malformed aws setting, by name; a member role without an external id is refused. */
export function awsSettingProblems(v: AwsVariables): string[] {
  const problems: string[] = [];
  const sg = v.AWS_ISOLATION_SECURITY_GROUP_ID;
  if (sg !== undefined && !/^sg-[0-9a-f]{8,17}$/.test(sg)) {
    problems.push('AWS_ISOLATION_SECURITY_GROUP_ID: not a security group id (sg-...)');
  }
  const domainList = v.AWS_DNS_FIREWALL_DOMAIN_LIST_ID;
  if (domainList !== undefined && !/^rslvr-fdl-[0-9a-f]{8,20}$/.test(domainList)) {
    problems.push(
      'AWS_DNS_FIREWALL_DOMAIN_LIST_ID: not a DNS Firewall domain list id (rslvr-fdl-...)',
    );
  }
  const role = v.MEMBER_ROLE_NAME;
  if (role !== undefined && !/^[\w+=,.@-]{1,64}$/.test(role)) {
    problems.push('MEMBER_ROLE_NAME: not an IAM role name (1-64 of letters, digits and +=,.@_-)');
  }
  const externalId = v.MEMBER_EXTERNAL_ID;
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) {
    problems.push(
      'MEMBER_EXTERNAL_ID: not an external id (2-1224 of letters, digits and +=,.@:/_-)',
    );
  }
  if ((role === undefined) !== (externalId === undefined)) {
    problems.push('MEMBER_ROLE_NAME and MEMBER_EXTERNAL_ID go together: set both or neither');
  }
  return problems;
}

export function awsSettingsFrom(v: AwsVariables): AwsConnectorSettings {
  return {
    isolationSecurityGroupId: v.AWS_ISOLATION_SECURITY_GROUP_ID,
    dnsFirewallDomainListId: v.AWS_DNS_FIREWALL_DOMAIN_LIST_ID,
    memberRoleName: v.MEMBER_ROLE_NAME,
    memberExternalId: v.MEMBER_EXTERNAL_ID,
    timeoutSeconds: AWS_CONNECTOR_TIMEOUT_SECONDS,
  };
}
