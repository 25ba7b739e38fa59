// Synthesizes the CDK app once for a test file, with a stub instead of each esbuild bundle so
// the template tests stay fast (`npm run synth` bundles for real).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createActionCenterApp } from '../../../../infra/aws/action-center-app.js';
import type { ActionCenterStack } from '../../../../infra/aws/action-center-stack.js';
import { REPO_ROOT } from '../../../../infra/aws/paths.js';

export const TEST_CONTEXT = {
  bundling: 'none',
  webDist: 'test/integration/infra/aws/fixtures/web-dist',
  alarmEmail: 'soc@example.com',
  notifyEmails: 'soc-oncall@example.com, secops-lead@example.com',
  account: '123456789012',
  region: 'eu-west-1',
};

export interface Synthesized {
  app: App;
  stack: ActionCenterStack;
  template: Template;
}

/** The context of cdk.json (feature flags and defaults), as the CLI passes it. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(resolve(REPO_ROOT, 'cdk.json'), 'utf8'),
).context;

export function synthesize(context: Record<string, unknown> = {}): Synthesized {
  const { app, stack } = createActionCenterApp(
    new App({ context: { ...CDK_JSON_CONTEXT, ...TEST_CONTEXT, ...context } }),
  );
  return { app, stack, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown };

/** Every resource of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}
