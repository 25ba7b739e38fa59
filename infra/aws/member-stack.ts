// The member-account stack: one remediation role the hub's remediation role may assume, with the
// external id, holding only what the aws and ssm connectors do, on what the operator marked
// remediable. Plain CloudFormation (parameters, no assets, no bootstrap), so StackSets deploy it
// to every account of an organization.
import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import {
  type BlastRadius,
  isolationStatements,
  runCommandStatements,
  SSM_DOCUMENT_PREFIX,
  vpcArnPattern,
} from './remediation-policy.js';

export interface MemberStackProps extends StackProps {
  /** The role's name: the hub's MEMBER_ROLE_NAME. */
  readonly roleName: string;
  /** The tag is fixed at synth: an IAM condition key cannot come from a parameter. */
  readonly tag: Pick<BlastRadius, 'tagKey' | 'tagValue'>;
}

/** The role assumed from the hub is chained from a Lambda role: one hour is the most STS gives. */
const MAX_SESSION_SECONDS = 3_600;

export class ActionCenterMemberStack extends Stack {
  readonly role: CfnRole;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, {
      ...props,
      analyticsReporting: false,
      // StackSets deploy the template itself: no bootstrap stack in the member accounts.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
    });
    const hubRoleArn = new CfnParameter(this, 'HubRemediationRoleArn', {
      type: 'String',
      description: "The hub stack's RemediationRoleArn output: the only principal trusted",
      allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      description: "The hub's MEMBER_EXTERNAL_ID",
      minLength: 2,
      maxLength: 1224,
      allowedPattern: '^[\\w+=,.@:/-]+$',
    });
    const allowedVpcIds = new CfnParameter(this, 'AllowedVpcIds', {
      type: 'CommaDelimitedList',
      description: `VPCs whose network interfaces may be isolated whatever their tags (empty: only those tagged ${props.tag.tagKey}=${props.tag.tagValue})`,
      default: '',
    });
    const hasVpcs = new CfnCondition(this, 'HasAllowedVpcs', {
      expression: Fn.conditionNot(Fn.conditionEquals(Fn.join('', allowedVpcIds.valueAsList), '')),
    });

    const ec2Arn = (type: string) => `arn:${Aws.PARTITION}:ec2:*:${Aws.ACCOUNT_ID}:${type}/*`;
    // The VPC ids as ARN patterns: CloudFormation cannot map a list, so join and split around them.
    const prefix = vpcArnPattern('');
    const vpcArns = Fn.split(
      ',',
      Fn.join('', [prefix, Fn.join(`,${prefix}`, allowedVpcIds.valueAsList)]),
    );
    const { byTag, byVpc, always } = isolationStatements(ec2Arn, props.tag, vpcArns as never);
    const run = runCommandStatements(
      (service, resource) =>
        service === 'ssm' && resource.startsWith('document/')
          ? `arn:${Aws.PARTITION}:ssm:*:*:${resource}`
          : `arn:${Aws.PARTITION}:${service}:*:${Aws.ACCOUNT_ID}:${resource}`,
      props.tag,
    );
    const statements = [
      ...[...always, ...byTag, ...run].map((st) => st.toStatementJson()),
      ...byVpc.map((st) => Fn.conditionIf(hasVpcs.logicalId, st.toStatementJson(), Aws.NO_VALUE)),
    ];

    this.role = new CfnRole(this, 'RemediationRole', {
      roleName: props.roleName,
      description: 'Action Center: remediation in this account, assumed by the hub only',
      maxSessionDuration: MAX_SESSION_SECONDS,
      assumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: hubRoleArn.valueAsString },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'sts:ExternalId': externalId.valueAsString } },
          },
        ],
      },
      policies: [
        {
          policyName: 'Remediation',
          policyDocument: { Version: '2012-10-17', Statement: statements },
        },
      ],
    });
    const remediable = `tagged ${props.tag.tagKey}=${props.tag.tagValue}`;
    const here = (service: string, resource: string) =>
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:${service}:*:<AWS::AccountId>:${resource}/*]`;
    Validations.of(this.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ec2:DescribeNetworkInterfaces, ec2:DescribeSecurityGroups and the ssm command results have no resource-level permissions: they only read.',
      },
      {
        id: here('ec2', 'network-interface'),
        reason: `isolateDevice: the instance is named by a finding at run time, so any interface of this account, but only one ${remediable} or in an allowed VPC (IAM conditions), and only actioncenter:* tags.`,
      },
      {
        id: here('ec2', 'security-group'),
        reason:
          "isolateDevice: attaches the VPC's isolation group and, on undo, the recorded groups; EC2 authorizes the request's interface too, which must be remediable.",
      },
      {
        id: here('ec2', 'instance'),
        reason: `The ssm connector runs commands on the instance a finding names: any instance of this account, but only one ${remediable} (IAM condition).`,
      },
      {
        id: here('ssm', 'managed-instance'),
        reason: `The ssm connector runs commands on hybrid-managed nodes too: only those ${remediable} (IAM condition).`,
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:*:*:document/${SSM_DOCUMENT_PREFIX}*]`,
        reason: `Only the Action Center's own SSM Command documents (${SSM_DOCUMENT_PREFIX}*), in any region, shared from the hub account.`,
      },
    );
    new CfnOutput(this, 'RemediationRoleArn', { value: this.role.attrArn });
  }
}
