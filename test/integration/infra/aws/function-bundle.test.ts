// One function bundled for real, as `cdk synth` does it: an ES module for Node.js 24 on arm64,
// with the createRequire banner, a source map and the AWS SDK inside the bundle.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { SERVICE_FUNCTIONS } from '../../../../functions/entries.js';
import { ESM_REQUIRE_BANNER } from '../../../../infra/aws/bundling.js';
import { ActionCenterFunction } from '../../../../infra/aws/constructs/action-center-function.js';

let bundleDir: string;
let template: Template;

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Bundle', { env: { account: '123456789012', region: 'eu-west-1' } });
  new ActionCenterFunction(stack, 'Ingest', {
    defaults: {
      serviceName: 'action-center',
      logLevel: 'INFO',
      logRetention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
      bundling: 'esbuild',
      environment: { TABLE_NAME: 'table' },
    },
    entry: SERVICE_FUNCTIONS.ingest.entry,
    description: 'bundling test',
  });
  template = Template.fromStack(stack);
  const out = app.synth().directory;
  const assets = readdirSync(out).filter((d) => existsSync(join(out, d, 'index.mjs')));
  expect(assets).toHaveLength(1);
  bundleDir = join(out, assets[0] as string);
}, 60_000);

describe('a bundled function', () => {
  it('is an ES module handler for Node.js 24 on arm64', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    const code = readFileSync(join(bundleDir, 'index.mjs'), 'utf8');
    expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*as handler/);
  });

  it('ships a source map without the sources, and the AWS SDK inside the bundle', () => {
    const map = JSON.parse(readFileSync(join(bundleDir, 'index.mjs.map'), 'utf8'));
    expect(map.sourcesContent).toBeUndefined();
    const meta = JSON.parse(readFileSync(join(bundleDir, 'index.meta.json'), 'utf8'));
    const inputs = Object.keys(meta.inputs);
    expect(inputs.some((i) => i.includes('node_modules/@aws-sdk/client-sfn/'))).toBe(true);
    expect(inputs.some((i) => i.includes('node_modules/@aws-sdk/client-dynamodb/'))).toBe(true);
    const [output] = Object.values(meta.outputs) as {
      imports: { path: string; external?: boolean }[];
    }[];
    const externals = (output?.imports ?? []).filter((i) => i.external).map((i) => i.path);
    expect(externals.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });
});
