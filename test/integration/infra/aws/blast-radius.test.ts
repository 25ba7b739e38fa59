// The blast radius of remediation in AWS: the hub's connector rights only on what the operator
// marked remediable, in its own account; the member stack's role trusted by the hub's
// remediation role alone, with the external id; cdk-nag (and cfn-lint) clean on both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createMemberApp } from '../../../../infra/aws/member-app.js';
import { CDK_JSON_CONTEXT, resourcesOf, type Synthesized, synthesize } from './synth.js';

type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
};
const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);
const EC2_CHANGES = ['ec2:ModifyNetworkInterfaceAttribute', 'ec2:CreateTags', 'ec2:DeleteTags'];
const VPC = 'vpc-0123456789abcdef0';

let hub: Synthesized;
let hubStatements: Statement[];

beforeAll(() => {
  hub = synthesize({
    connectors: JSON.stringify({
      default: 'builtin',
      types: { isolateDevice: 'aws', blockUrl: 'aws' },
    }),
    isolationSecurityGroupId: 'sg-0123456789abcdef0',
    dnsFirewallDomainListId: 'rslvr-fdl-0123456789abcdef',
    remediableTagKey: 'SecOpsRemediable',
    remediableTagValue: 'yes',
    allowedVpcIds: VPC,
    memberRoleName: 'ActionCenterRemediation',
    memberExternalId: 'acme-action-center-7f3a',
  });
  hubStatements = Object.values(resourcesOf(hub.template, 'AWS::IAM::Policy')).flatMap(
    (p) =>
      (p.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
  );
});

describe('the hub', () => {
  it('changes a network interface only when it carries the tag, or lies in an allowed VPC', () => {
    const onInterfaces = hubStatements.filter(
      (st) =>
        actionsOf(st).some((a) => EC2_CHANGES.includes(a)) &&
        JSON.stringify(st.Resource).includes('network-interface'),
    );
    expect(onInterfaces.length).toBeGreaterThan(0);
    for (const st of onInterfaces) {
      const byTag = st.Condition?.StringEquals?.['aws:ResourceTag/SecOpsRemediable'] === 'yes';
      const byVpc =
        JSON.stringify(st.Condition?.ArnLike?.['ec2:Vpc']) ===
        JSON.stringify([`arn:*:ec2:*:*:vpc/${VPC}`]);
      expect({ sid: st.Sid, conditioned: byTag || byVpc }).toEqual({
        sid: st.Sid,
        conditioned: true,
      });
    }
    expect(onInterfaces.map((st) => st.Sid)).toEqual(
      expect.arrayContaining(['IsolateTaggedInterfaces', 'IsolateAllowedVpcInterfaces']),
    );
  });

  it('writes and deletes only its own actioncenter:* tags', () => {
    for (const st of hubStatements.filter((s) => actionsOf(s).includes('ec2:CreateTags'))) {
      expect(st.Condition?.['ForAllValues:StringLike']).toEqual({
        'aws:TagKeys': ['actioncenter:*'],
      });
    }
  });

  it('holds EC2 rights in its own account and region only, never ec2:* anywhere', () => {
    for (const st of hubStatements.filter((s) => actionsOf(s).some((a) => a.startsWith('ec2:')))) {
      expect(actionsOf(st)).not.toContain('ec2:*');
      const resources = JSON.stringify(st.Resource);
      const describeOnly = actionsOf(st).every((a) => a.startsWith('ec2:Describe'));
      expect(describeOnly ? true : resources.includes(':ec2:eu-west-1:123456789012:')).toBe(true);
    }
  });

  it("reaches members only by assuming the member role's one name", () => {
    const assume = hubStatements.filter((st) => actionsOf(st).some((a) => a.startsWith('sts:')));
    expect(assume.length).toBeGreaterThan(0);
    for (const st of assume) {
      expect(actionsOf(st)).toEqual(['sts:AssumeRole']);
      expect(JSON.stringify(st.Resource)).toMatch(/:iam::\*:role\/ActionCenterRemediation"/);
    }
  });

  it('tells the functions the member role, the external id, and outputs its remediation role', () => {
    const ours = Object.values(resourcesOf(hub.template, 'AWS::Lambda::Function')).filter((fn) =>
      JSON.stringify(fn.Properties?.Environment ?? {}).includes('TABLE_NAME'),
    );
    expect(ours.length).toBeGreaterThan(0);
    for (const fn of ours) {
      expect(fn.Properties?.Environment).toMatchObject({
        Variables: {
          MEMBER_ROLE_NAME: 'ActionCenterRemediation',
          MEMBER_EXTERNAL_ID: 'acme-action-center-7f3a',
        },
      });
    }
    const advanceRole = Stack.of(hub.stack).getLogicalId(
      hub.stack.workflow.taskFunction('Advance').role.node.defaultChild as never,
    );
    hub.template.hasOutput('RemediationRoleArn', {
      Value: { 'Fn::GetAtt': [advanceRole, 'Arn'] },
    });
  });

  it('is cdk-nag clean with the aws connector, VPCs and member roles configured', () => {
    const report = new AwsSolutionsChecks().validateScope(hub.app);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
  });
});

describe('the member stack', () => {
  const member = createMemberApp(
    new App({
      context: {
        ...CDK_JSON_CONTEXT,
        remediableTagKey: 'SecOpsRemediable',
        remediableTagValue: 'yes',
      },
    }),
  );
  const template = Template.fromStack(member.stack);
  const role = Object.values(resourcesOf(template, 'AWS::IAM::Role'))[0]?.Properties ?? {};
  const statements = (
    (role.Policies as { PolicyDocument: { Statement: unknown[] } }[])[0]?.PolicyDocument
      .Statement ?? []
  ).map((st) => {
    // A VPC statement exists only when AllowedVpcIds is not empty.
    const conditional = (st as { 'Fn::If'?: [string, Statement, unknown] })['Fn::If'];
    return conditional ? { ...conditional[1], onlyIf: conditional[0] } : (st as Statement);
  });

  it('is one role, trusted by the hub remediation role alone, with the external id', () => {
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(role.RoleName).toBe('ActionCenterRemediation');
    expect(role.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: { Ref: 'HubRemediationRoleArn' } },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
        },
      ],
    });
    expect(role.MaxSessionDuration).toBe(3600);
  });

  it('conditions every EC2 change and every command on the tag or an allowed VPC', () => {
    const changes = statements.filter((st) =>
      actionsOf(st).some((a) => EC2_CHANGES.includes(a) || a === 'ssm:SendCommand'),
    );
    for (const st of changes) {
      const on = JSON.stringify(st.Resource);
      if (on.includes(':security-group/') || on.includes(':document/')) continue;
      const byTag = st.Condition?.StringEquals?.['aws:ResourceTag/SecOpsRemediable'] === 'yes';
      const byVpc = st.Condition?.ArnLike?.['ec2:Vpc'] !== undefined;
      expect({ sid: st.Sid, conditioned: byTag || byVpc }).toEqual({
        sid: st.Sid,
        conditioned: true,
      });
      if (byVpc) expect((st as { onlyIf?: string }).onlyIf).toBe('HasAllowedVpcs');
    }
    expect(statements.flatMap(actionsOf)).not.toContain('ec2:*');
    expect(statements.flatMap(actionsOf).some((a) => a.startsWith('route53resolver:'))).toBe(false);
  });

  it('needs no bootstrap stack: a StackSet can deploy the template as it is', () => {
    const json = template.toJSON();
    expect(json.Parameters).not.toHaveProperty('BootstrapVersion');
    expect(json.Rules).toBeUndefined();
    expect(Object.keys(json.Parameters)).toEqual([
      'HubRemediationRoleArn',
      'ExternalId',
      'AllowedVpcIds',
    ]);
  });

  it('is cdk-nag clean, and every acknowledgment names a finding that exists', () => {
    const report = new AwsSolutionsChecks().validateScope(member.app);
    expect(report.violations).toEqual([]);
  });

  it('passes cfn-lint', () => {
    const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      console.warn('cfn-lint is not installed: the member template was not linted');
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'member-')), 'member.template.json');
    writeFileSync(file, JSON.stringify(template.toJSON()));
    const lint = spawnSync('cfn-lint', [file], { encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});
