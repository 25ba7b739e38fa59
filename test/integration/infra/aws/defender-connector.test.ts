// The defender connector in the stack: the functions that run connectors may read the Defender
// app's client secret, and only they; the Defender settings reach every function; cdk-nag stays
// clean (the synth fails on any open finding).
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resourcesOf, type Synthesized, synthesize } from './synth.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = '66666666-7777-8888-9999-000000000000';
const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:defender-app-AbCdEf';
const CONNECTORS = JSON.stringify({
  default: 'builtin',
  endpoint: 'defender',
  types: { blockUrl: 'defender' },
});
let synth: Synthesized;

beforeAll(() => {
  synth = synthesize({
    stackName: 'DefenderActionCenter',
    connectors: CONNECTORS,
    defenderTenantId: TENANT,
    defenderClientId: CLIENT,
    defenderClientSecretArn: SECRET,
    defenderLiveResponseScript: 'actioncenter-remediate.ps1',
  });
});

const props = (r: { Properties?: Record<string, unknown> } | undefined) => r?.Properties ?? {};

/** The statements of a function's role, by construct path. */
function statementsOf(path: string): Statement[] {
  const roleId = Stack.of(synth.stack).getLogicalId(
    synth.app.node.findAll().find((c) => c.node.path === `${path}/Role/Resource`) as CfnElement,
  );
  return Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
    .filter((p) => (props(p).Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement);
}

const readsSecret = (path: string) =>
  statementsOf(path).filter(
    (st) => st.Action === 'secretsmanager:GetSecretValue' && st.Resource === SECRET,
  );

it('lets only Advance (which remediates and undoes) read the Defender client secret', () => {
  expect(readsSecret('DefenderActionCenter/Workflow/Advance')).toHaveLength(1);
  for (const path of [
    'DefenderActionCenter/Workflow/Investigate',
    'DefenderActionCenter/ApiRead',
    'DefenderActionCenter/ApiDecide',
  ]) {
    expect(readsSecret(path)).toEqual([]);
  }
});

it('hands every function the Defender settings, never a client secret itself', () => {
  const actionCenterFunctions = Object.values(
    resourcesOf(synth.template, 'AWS::Lambda::Function'),
  ).filter((fn) => JSON.stringify(props(fn).Environment ?? {}).includes('TABLE_NAME'));
  expect(actionCenterFunctions.length).toBeGreaterThan(5);
  for (const fn of actionCenterFunctions) {
    expect(props(fn).Environment).toMatchObject({
      Variables: {
        CONNECTORS,
        DEFENDER_TENANT_ID: TENANT,
        DEFENDER_CLIENT_ID: CLIENT,
        DEFENDER_CLIENT_SECRET_ARN: SECRET,
        DEFENDER_LIVE_RESPONSE_SCRIPT: 'actioncenter-remediate.ps1',
      },
    });
    expect(JSON.stringify(props(fn).Environment)).not.toMatch(/DEFENDER_CLIENT_SECRET"/);
  }
});

it('refuses at synth the defender connector without the Defender tenant', () => {
  expect(() =>
    synthesize({ connectors: JSON.stringify({ types: { isolateDevice: 'defender' } }) }),
  ).toThrow(/DEFENDER_TENANT_ID/);
});

it('leaves cdk-nag AwsSolutions with no finding', () => {
  const report = new AwsSolutionsChecks().validateScope(synth.app);

  expect(
    report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`),
  ).toEqual([]);
});
