// The approval parameters reach the functions that read them, checked at synth.
import { resourcesOf, synthesize } from './synth.js';

type Fn = {
  Properties: { Environment?: { Variables?: Record<string, unknown> }; Description?: string };
};
const variablesOf = (fns: Record<string, Fn>, description: string) =>
  Object.values(fns).find((f) => String(f.Properties.Description).includes(description))?.Properties
    .Environment?.Variables ?? {};

it('hands the policy file to the API functions and Investigate (quorum rules) only, and the asset groups and approvals to every function', () => {
  const { template } = synthesize({
    approvalPolicyFile: 'infra/policy/examples/isolation-undo-admins.cedar',
    assetGroupsFile: 'infra/policy/examples/asset-groups.json',
    approvalsRequired: '{"isolateDevice":2}',
  });
  const fns = resourcesOf(template, 'AWS::Lambda::Function') as unknown as Record<string, Fn>;

  const decide = variablesOf(fns, 'Approve, reject');
  const investigate = variablesOf(fns, 'Analyzes the evidence');
  expect(decide).toMatchObject({
    APPROVAL_POLICY_FILE: '/var/task/approval-policies.cedar',
    ASSET_GROUPS_FILE: '/var/task/asset-groups.json',
    APPROVALS_REQUIRED: '{"isolateDevice":2}',
  });
  expect(variablesOf(fns, 'The GET routes').APPROVAL_POLICY_FILE).toBe(
    '/var/task/approval-policies.cedar',
  );
  expect(investigate).toMatchObject({
    APPROVAL_POLICY_FILE: '/var/task/approval-policies.cedar',
    ASSET_GROUPS_FILE: '/var/task/asset-groups.json',
  });
  for (const other of ['Expiries, remediation', 'Registers the investigation', 'Maps an alert']) {
    expect([other, variablesOf(fns, other).APPROVAL_POLICY_FILE]).toEqual([other, undefined]);
    expect(variablesOf(fns, other).ASSET_GROUPS_FILE).toBe('/var/task/asset-groups.json');
  }
});

it('fails the synth on a policy that does not fit the schema, naming the policy and its line', () => {
  expect(() => synthesize({ approvalPolicyFile: 'test/fixtures/policies/broken.cedar' })).toThrow(
    /policy broken: line 3: .*colour/,
  );
});

it('fails the synth on a bad APPROVALS_REQUIRED', () => {
  expect(() => synthesize({ approvalsRequired: '{"isolate":2}' })).toThrow(/APPROVALS_REQUIRED/);
});
