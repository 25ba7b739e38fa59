// The Defender alert poller in the CDK stack: present only with a Defender tenant, run by an
// EventBridge Scheduler schedule, its settings in its environment, and a role that may read the
// client secret, publish to the alert bus and touch only its own item; cdk-nag finds nothing.
import type { CfnElement } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

type Json = Record<string, unknown>;
interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Json;
}

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:defender-app-AbCdEf';
const DEFENDER = {
  defenderTenantId: 'b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
  defenderClientId: '2f0c8a55-5bd4-4a3e-9a0e-6d3c2b1a7e10',
  defenderClientSecretArn: SECRET_ARN,
  defenderPollSeconds: '120',
};

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize(DEFENDER);
});

const props = (r: { Properties?: Json } | undefined) => r?.Properties ?? {};
const pollerFunctionId = () => {
  const fn = synth.stack.defenderPoller?.fn.function;
  if (!fn) throw new Error('no poller');
  return synth.stack.getLogicalId(fn.node.defaultChild as CfnElement);
};
function pollerStatements(): Statement[] {
  const roleId = synth.stack.getLogicalId(
    synth.stack.defenderPoller?.fn.role.node.defaultChild as CfnElement,
  );
  return Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
    .filter((p) => (props(p).Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('the Defender alert poller', () => {
  it('is not deployed without a Defender tenant', () => {
    const plain = synthesize();

    expect(plain.stack.defenderPoller).toBeUndefined();
    expect(Object.keys(resourcesOf(plain.template, 'AWS::Scheduler::Schedule'))).toEqual([]);
  });

  it('runs on an EventBridge Scheduler schedule every DEFENDER_POLL_SECONDS, no retry, failures dead-lettered', () => {
    const schedules = Object.values(resourcesOf(synth.template, 'AWS::Scheduler::Schedule'));

    expect(schedules).toHaveLength(1);
    expect(props(schedules[0])).toMatchObject({
      ScheduleExpression: 'rate(2 minutes)',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [pollerFunctionId(), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: expect.anything() },
      },
    });
  });

  it('gets the Defender settings and the bus in its environment, the secret as an ARN only', () => {
    const fn = resourcesOf(synth.template, 'AWS::Lambda::Function')[pollerFunctionId()];
    const variables = (props(fn).Environment as { Variables: Json }).Variables;

    expect(variables).toMatchObject({
      DEFENDER_TENANT_ID: DEFENDER.defenderTenantId,
      DEFENDER_CLIENT_ID: DEFENDER.defenderClientId,
      DEFENDER_CLIENT_SECRET_ARN: SECRET_ARN,
      DEFENDER_LOGIN_URL: 'https://login.microsoftonline.com',
      GRAPH_URL: 'https://graph.microsoft.com',
      DEFENDER_POLL_SECONDS: '120',
      DEFENDER_POLL_LOOKBACK_HOURS: '24',
      EVENT_BUS_NAME: 'default',
    });
    expect(variables.DEFENDER_CLIENT_SECRET).toBeUndefined();
    expect(props(fn).Timeout).toBe(120);
  });

  it('may read only the client secret, publish only to the alert bus, and write only its own item and rejected alerts', () => {
    const statements = pollerStatements();
    const withAction = (prefix: string) =>
      statements.filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));

    expect(withAction('secretsmanager:')).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: SECRET_ARN }),
    ]);
    expect(withAction('events:')).toEqual([
      expect.objectContaining({
        Action: 'events:PutEvents',
        Resource: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
      }),
    ]);
    const table = withAction('dynamodb:');
    expect(table.map((s) => [actionsOf(s).sort(), s.Condition])).toEqual([
      [
        ['dynamodb:GetItem', 'dynamodb:PutItem'],
        { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['POLLER#defender-alerts'] } },
      ],
      [
        ['dynamodb:PutItem'],
        { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REJECTED#*'] } },
      ],
    ]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('lets only the scheduler invoke it, through a role of its own', () => {
    const schedule = Object.values(resourcesOf(synth.template, 'AWS::Scheduler::Schedule'))[0];
    const roleId = (props(schedule).Target as { RoleArn: { 'Fn::GetAtt': [string] } }).RoleArn[
      'Fn::GetAtt'
    ][0];
    const role = resourcesOf(synth.template, 'AWS::IAM::Role')[roleId];

    expect(JSON.stringify(props(role).AssumeRolePolicyDocument)).toContain(
      'scheduler.amazonaws.com',
    );
    const invokes = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
      .filter((p) => (props(p).Roles as Json[]).some((r) => r.Ref === roleId))
      .flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((st) => actionsOf(st).includes('lambda:InvokeFunction'));
    expect(invokes.map((st) => st.Resource)).toEqual([
      { 'Fn::GetAtt': [pollerFunctionId(), 'Arn'] },
    ]);
  });

  it('refuses at synth a poll period EventBridge Scheduler cannot run, and a missing client id, naming them', () => {
    expect(() => synthesize({ ...DEFENDER, defenderPollSeconds: '90' })).toThrow(
      /DEFENDER_POLL_SECONDS: EventBridge Scheduler runs the poller every whole minute/,
    );
    expect(() => synthesize({ ...DEFENDER, defenderClientId: '' })).toThrow(
      /DEFENDER_CLIENT_ID: required when DEFENDER_TENANT_ID is set/,
    );
  });

  it('leaves no cdk-nag AwsSolutions finding open', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);

    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
  });
});
