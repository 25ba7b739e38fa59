// The stack's parameters (CDK context) change what they name, and only that; cdk-nag stays clean.
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { alertRulePattern } from '../../../../functions/ingest/rule.js';
import { renderDefinition } from '../../../../statemachines/substitutions.js';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/soc/0c8a8a5e';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:action-center-webhook-AbCdEf';
const CONNECTORS = JSON.stringify({
  default: 'builtin',
  email: 'webhook',
  types: { isolateDevice: 'aws', blockUrl: 'aws' },
});
let synth: Synthesized;

beforeAll(() => {
  synth = synthesize({
    stackName: 'AcmeActionCenter',
    eventBusName: 'security-alerts',
    eventSource: 'acme.edr',
    automationLevelEndpoint: 'full',
    automationLevelEmail: 'none',
    pendingActionTtlSeconds: '86400',
    historyRetentionDays: '30',
    logRetentionDays: '30',
    retainData: 'false',
    threatProtection: 'true',
    apiWebAclArn: WEB_ACL,
    alarmEmail: '',
    notifyEmails: '',
    notifyDigestHour: '6',
    webDist: 'test/integration/infra/aws/fixtures/no-such-dir',
    connectors: CONNECTORS,
    webhookUrl: 'https://soar.example.com/action-center',
    webhookSecretArn: SECRET,
    isolationSecurityGroupId: 'sg-0123456789abcdef0',
    dnsFirewallDomainListId: 'rslvr-fdl-0123456789abcdef',
  });
});

const props = (r: { Properties?: Record<string, unknown> } | undefined) => r?.Properties ?? {};

it('routes alerts of the configured source on the configured bus', () => {
  synth.template.hasResourceProperties('AWS::Events::Rule', {
    EventBusName: 'security-alerts',
    EventPattern: alertRulePattern('acme.edr'),
  });
});

it('hands the automation levels, TTL and retention to every function', () => {
  for (const fn of Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'))) {
    expect(props(fn).Environment).toMatchObject({
      Variables: {
        AUTOMATION_LEVEL_ENDPOINT: 'full',
        AUTOMATION_LEVEL_EMAIL: 'none',
        PENDING_ACTION_TTL_SECONDS: '86400',
        HISTORY_RETENTION_DAYS: '30',
      },
    });
  }
});

it('names the state machine after the stack, with no pending TTL written into its waits', () => {
  // The wait's length comes from the state ($.waitSeconds), computed by the tasks from the
  // actions' expiry, which the TTL handed to every function sets.
  const [machine] = Object.values(resourcesOf(synth.template, 'AWS::StepFunctions::StateMachine'));
  const { DefinitionString, DefinitionSubstitutions } = props(machine) as {
    DefinitionString: string;
    DefinitionSubstitutions: Record<string, unknown>;
  };
  expect(props(machine).StateMachineName).toBe('AcmeActionCenter-investigation');
  const asText = Object.fromEntries(
    Object.entries(DefinitionSubstitutions).map(([k, v]) => [k, typeof v === 'string' ? v : 'arn']),
  );
  const definition = JSON.parse(renderDefinition(DefinitionString, asText));
  expect(definition.States.AwaitDecisions.TimeoutSecondsPath).toBe('$.waitSeconds');
  expect(JSON.stringify(definition)).not.toMatch(/86400|604800/);
});

it('deletes data with the stack when asked not to retain it', () => {
  synth.template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Delete',
    Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
  });
  for (const group of Object.values(resourcesOf(synth.template, 'AWS::Logs::LogGroup'))) {
    expect(group.DeletionPolicy).toBe('Delete');
    expect(props(group).RetentionInDays).toBe(30);
  }
});

it('puts the user pool on the Plus tier and the API behind the given web ACL', () => {
  synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
    UserPoolTier: 'PLUS',
    UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
  });
  synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: WEB_ACL });
});

it('deploys no page content and subscribes no e-mail when there is none', () => {
  synth.template.resourceCountIs('Custom::CDKBucketDeployment', 0);
  synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
});

it('still makes the notifications topic, for subscriptions made later, and the notifier publishes to it', () => {
  const topic = synth.stack.notifications.topic;
  const topicId = synth.stack.getLogicalId(topic.node.defaultChild as CfnElement);
  const notify = synth.stack.functions.notify.function;
  const notifyId = synth.stack.getLogicalId(notify.node.defaultChild as CfnElement);

  expect(Object.keys(resourcesOf(synth.template, 'AWS::SNS::Topic'))).toContain(topicId);
  expect(
    props(resourcesOf(synth.template, 'AWS::Lambda::Function')[notifyId]).Environment,
  ).toMatchObject({ Variables: { NOTIFY_TOPIC_ARN: { Ref: topicId }, NOTIFY_DIGEST_HOUR: '6' } });
});

describe('connectors', () => {
  /** The actions a function's role is allowed, by construct path. */
  const allowedActions = (path: string): string[] => {
    const fn = synth.app.node.findAll().find((c) => c.node.path === `${path}/Function`);
    const roleId = Stack.of(synth.stack).getLogicalId(
      synth.app.node.findAll().find((c) => c.node.path === `${path}/Role/Resource`) as CfnElement,
    );
    expect(fn).toBeDefined();
    return Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
      .filter((p) => (props(p).Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((st) => st.Effect === 'Allow')
      .flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
  };
  const CONNECTOR_ACTIONS = [
    'ec2:DescribeNetworkInterfaces',
    'ec2:ModifyNetworkInterfaceAttribute',
    'ec2:CreateTags',
    'ec2:DeleteTags',
    'route53resolver:UpdateFirewallDomains',
    'secretsmanager:GetSecretValue',
  ];

  it('hands every function the routing and the connector settings', () => {
    for (const fn of Object.values(resourcesOf(synth.template, 'AWS::Lambda::Function'))) {
      expect(props(fn).Environment).toMatchObject({
        Variables: {
          CONNECTORS,
          WEBHOOK_SECRET_ARN: SECRET,
          AWS_ISOLATION_SECURITY_GROUP_ID: 'sg-0123456789abcdef0',
          AWS_DNS_FIREWALL_DOMAIN_LIST_ID: 'rslvr-fdl-0123456789abcdef',
        },
      });
      expect(JSON.stringify(props(fn).Environment)).not.toMatch(/WEBHOOK_SECRET"/);
    }
  });

  it('lets only Advance call the routed connectors: the API decide function holds no remediation rights', () => {
    expect(allowedActions('AcmeActionCenter/Workflow/Advance')).toEqual(
      expect.arrayContaining(CONNECTOR_ACTIONS),
    );
    // Undo is recorded by the API and carried out by Advance; the decide function only reads the
    // webhook's secret to verify the receivers' signed callbacks, and may start a reopened execution.
    const decide = allowedActions('AcmeActionCenter/ApiDecide');
    expect(decide.filter((a) => /^(ec2|route53resolver|ssm):/i.test(a))).toEqual([]);
    expect(decide.filter((a) => CONNECTOR_ACTIONS.includes(a))).toEqual([
      'secretsmanager:GetSecretValue',
    ]);
    expect(decide).toContain('states:StartExecution');
    for (const path of [
      'AcmeActionCenter/Workflow/Investigate',
      'AcmeActionCenter/Workflow/AwaitDecisions',
      'AcmeActionCenter/ApiRead',
    ]) {
      expect(allowedActions(path).filter((a) => CONNECTOR_ACTIONS.includes(a))).toEqual([]);
    }
    const statements = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).flatMap(
      (p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement,
    );
    const onlyOn = (action: string) =>
      statements.filter((st) => st.Action === action).map((st) => JSON.stringify(st.Resource));
    for (const resource of onlyOn('route53resolver:UpdateFirewallDomains')) {
      expect(resource).toMatch(/firewall-domain-list\/rslvr-fdl-0123456789abcdef"/);
    }
    expect(new Set(onlyOn('secretsmanager:GetSecretValue'))).toEqual(
      new Set([JSON.stringify(SECRET)]),
    );
  });

  it('refuses at synth a routing the functions would refuse at cold start', () => {
    expect(() =>
      synthesize({ connectors: JSON.stringify({ types: { isolateDevice: 'aws' } }) }),
    ).toThrow(/AWS_ISOLATION_SECURITY_GROUP_ID/);
  });
});
