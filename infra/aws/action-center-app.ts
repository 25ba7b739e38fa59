// Builds the CDK app: one Action Center stack, checked by cdk-nag's AwsSolutions pack. Nothing is
// looked up at synth time, so `npm run synth` needs no credentials.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ActionCenterStack } from './action-center-stack.js';
import { readSettings } from './settings.js';

export function createActionCenterApp(app: App = new App()): {
  app: App;
  stack: ActionCenterStack;
} {
  const settings = readSettings((key) => app.node.tryGetContext(key));
  const stack = new ActionCenterStack(app, settings.stackName, {
    settings,
    description: 'Action Center: automated investigation and response with operator approvals',
    env: {
      account: settings.account ?? process.env.CDK_DEFAULT_ACCOUNT,
      region: settings.region ?? process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
