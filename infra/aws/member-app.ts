// The member-account app: `npm run synth:member` writes the StackSet template
// (cdk.out/ActionCenterMember.template.json). Its settings come from CDK context, like the hub's.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import * as z from 'zod';
import { ActionCenterMemberStack } from './member-stack.js';
import { DEFAULT_REMEDIABLE_TAG } from './remediation-policy.js';

const MemberContext = z.object({
  memberStackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/)
    .default('ActionCenterMember'),
  memberRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/)
    .default('ActionCenterRemediation'),
  remediableTagKey: z
    .string()
    .regex(/^[\w.:/=+@-]{1,128}$/)
    .default(DEFAULT_REMEDIABLE_TAG.key),
  remediableTagValue: z
    .string()
    .regex(/^[\w.:/=+@ -]{0,256}$/)
    .default(DEFAULT_REMEDIABLE_TAG.value),
});

export function createMemberApp(app: App = new App()): {
  app: App;
  stack: ActionCenterMemberStack;
} {
  const lookup = (key: string) => {
    const value = app.node.tryGetContext(key);
    return value === '' ? undefined : value;
  };
  const parsed = MemberContext.safeParse(
    Object.fromEntries(Object.keys(MemberContext.shape).map((k) => [k, lookup(k)])),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  const s = parsed.data;
  const stack = new ActionCenterMemberStack(app, s.memberStackName, {
    roleName: s.memberRoleName,
    tag: { tagKey: s.remediableTagKey, tagValue: s.remediableTagValue },
    description: 'Action Center member account: the remediation role the hub assumes',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}

if (process.argv[1]?.endsWith('member-app.ts')) createMemberApp().app.synth();
