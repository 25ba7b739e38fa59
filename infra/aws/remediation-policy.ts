// What a remediation role may do to EC2 (and Systems Manager), the same in the hub and in every
// member account: each change only on what the operator marked remediable, by a resource tag
// (ActionCenterRemediable=true by default) or by lying in an allowed VPC.
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/** Where remediation may act: the tag on remediable resources and, optionally, allowed VPCs. */
export interface BlastRadius {
  readonly tagKey: string;
  readonly tagValue: string;
  /** `vpc-…` ids whose resources may be remediated whatever their tags. */
  readonly allowedVpcIds: readonly string[];
}

export const DEFAULT_REMEDIABLE_TAG = { key: 'ActionCenterRemediable', value: 'true' } as const;
/** The only tag keys the connectors write (aws-isolation.ts): they may not touch other tags. */
export const CONNECTOR_TAG_KEYS = 'actioncenter:*';
/** The SSM Command documents the ssm connector runs (their names start with this). */
export const SSM_DOCUMENT_PREFIX = 'ActionCenter-';

/** `ec2:Vpc` holds a VPC's ARN; any partition, region and account: a vpc id is unique. */
export const vpcArnPattern = (vpcId: string) => `arn:*:ec2:*:*:vpc/${vpcId}`;

/** The condition that makes a resource remediable: by tag, or (second statement) by VPC. */
export const tagCondition = (b: Pick<BlastRadius, 'tagKey' | 'tagValue'>) => ({
  StringEquals: { [`aws:ResourceTag/${b.tagKey}`]: b.tagValue },
});
export const vpcCondition = (vpcArns: string[] | string) => ({
  ArnLike: { 'ec2:Vpc': vpcArns },
});

const INTERFACE_CHANGES = ['ec2:ModifyNetworkInterfaceAttribute'];
const INTERFACE_TAGS = ['ec2:CreateTags', 'ec2:DeleteTags'];

/** `arn:<partition>:ec2:<region>:<account>:<type>/*` for the scope's partition/region/account. */
export type Ec2Arn = (resourceType: string) => string;

/**
 * EC2 isolation's statements, as pairs: one conditioned on the tag, one (when VPCs are allowed)
 * on the VPC. `vpcArns` may be a CloudFormation list token (the member stack's parameter).
 */
export function isolationStatements(
  ec2Arn: Ec2Arn,
  tag: Pick<BlastRadius, 'tagKey' | 'tagValue'>,
  vpcArns?: string[] | string,
): { byTag: PolicyStatement[]; byVpc: PolicyStatement[]; always: PolicyStatement[] } {
  const networkInterfaces = [ec2Arn('network-interface')];
  const ours = { 'ForAllValues:StringLike': { 'aws:TagKeys': [CONNECTOR_TAG_KEYS] } };
  const pair = (sid: string, condition: Record<string, unknown>) => [
    new PolicyStatement({
      sid: `${sid}Interfaces`,
      actions: INTERFACE_CHANGES,
      resources: networkInterfaces,
      conditions: condition,
    }),
    new PolicyStatement({
      sid: `${sid}InterfaceTags`,
      actions: INTERFACE_TAGS,
      resources: networkInterfaces,
      conditions: { ...condition, ...ours },
    }),
  ];
  return {
    byTag: pair('IsolateTagged', tagCondition(tag)),
    byVpc: vpcArns === undefined ? [] : pair('IsolateAllowedVpc', vpcCondition(vpcArns)),
    always: [
      new PolicyStatement({
        sid: 'FindDeviceInterfaces',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSecurityGroups'],
        resources: ['*'],
      }),
      // Attaching a group changes nothing by itself: EC2 authorizes the request's interface too,
      // which must pass the tag or VPC statement; the groups are the isolation group and those
      // the interface had.
      new PolicyStatement({
        sid: 'AttachGroupsToRemediableInterfaces',
        actions: INTERFACE_CHANGES,
        resources: [ec2Arn('security-group')],
      }),
    ],
  };
}

/** The ssm connector's Run Command on tagged nodes, with our documents only. */
export function runCommandStatements(
  arn: (service: string, resource: string) => string,
  tag: Pick<BlastRadius, 'tagKey' | 'tagValue'>,
): PolicyStatement[] {
  return [
    new PolicyStatement({
      sid: 'RunCommandOnTaggedNodes',
      actions: ['ssm:SendCommand'],
      resources: [arn('ec2', 'instance/*'), arn('ssm', 'managed-instance/*')],
      conditions: tagCondition(tag),
    }),
    new PolicyStatement({
      sid: 'RunActionCenterDocuments',
      actions: ['ssm:SendCommand'],
      resources: [arn('ssm', `document/${SSM_DOCUMENT_PREFIX}*`)],
    }),
    new PolicyStatement({
      sid: 'ReadCommandResults',
      actions: ['ssm:GetCommandInvocation', 'ssm:ListCommandInvocations'],
      resources: ['*'],
    }),
  ];
}
