// The stack's parameters (CDK context) change what they name, and only that; cdk-nag stays clean.
import { Match } from 'aws-cdk-lib/assertions';
import { alertRulePattern } from '../../../functions/ingest/rule.js';
import { renderDefinition } from '../../../statemachines/substitutions.js';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

const WEB_ACL = 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/soc/0c8a8a5e';
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
    webDist: 'test/integration/infra/fixtures/no-such-dir',
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

it('waits for a decision as long as the configured pending TTL', () => {
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
  expect(definition.States.ProcessActions.ItemProcessor.States.AwaitDecision.TimeoutSeconds).toBe(
    86_400,
  );
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
