// One function bundled for real, as `cdk synth` does it: an ES module for Node.js 24 on arm64,
// with the createRequire banner, a source map and the AWS SDK inside the bundle, code split into
// chunks beside the entry.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { SERVICE_FUNCTIONS } from '../../../../functions/entries.js';
import { bundleOutputs, ESM_REQUIRE_BANNER } from '../../../../infra/aws/bundling.js';
import { ActionCenterFunction } from '../../../../infra/aws/constructs/action-center-function.js';

let bundleDir: string;
let template: Template;

let codeKeys: string[];

beforeAll(() => {
  const app = new App();
  const stack = new Stack(app, 'Bundle', { env: { account: '123456789012', region: 'eu-west-1' } });
  const defaults = {
    serviceName: 'action-center',
    logLevel: 'INFO',
    logRetention: RetentionDays.ONE_WEEK,
    removalPolicy: RemovalPolicy.DESTROY,
    bundling: 'esbuild',
    environment: { TABLE_NAME: 'table' },
  } as const;
  new ActionCenterFunction(stack, 'Ingest', {
    defaults,
    entry: SERVICE_FUNCTIONS.ingest.entry,
    description: 'bundling test',
  });
  new ActionCenterFunction(stack, 'ExecutionStatus', {
    defaults,
    entry: SERVICE_FUNCTIONS.executionStatus.entry,
    description: 'another entry',
  });
  template = Template.fromStack(stack);
  const out = app.synth().directory;
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
    Properties: { Description: string; Code: { S3Key: string } };
  }[];
  codeKeys = functions.map((f) => f.Properties.Code.S3Key);
  const ingest = functions.find((f) => f.Properties.Description === 'bundling test');
  bundleDir = join(out, `asset.${ingest?.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
  expect(existsSync(join(bundleDir, 'index.mjs'))).toBe(true);
}, 120_000);

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
    const outputs = Object.values(meta.outputs) as {
      imports: { path: string; external?: boolean }[];
    }[];
    const externals = outputs.flatMap((o) =>
      o.imports.filter((i) => i.external).map((i) => i.path),
    );
    expect(externals.filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
  });

  it('is built from its own entry: two functions, two code assets', () => {
    expect(new Set(codeKeys).size).toBe(2);
  });

  it('is code split: every chunk the entry loads is shipped beside it', () => {
    const meta = JSON.parse(readFileSync(join(bundleDir, 'index.meta.json'), 'utf8'));
    const { loadedAtStart, all } = bundleOutputs(meta);
    expect(loadedAtStart.length).toBeGreaterThan(1);
    // The metafile names the folder esbuild wrote to (CDK's staging folder): same file names.
    for (const path of all) expect(existsSync(join(bundleDir, basename(path)))).toBe(true);
    expect(new Set(all.map((p) => dirname(p))).size).toBe(1);
  });
});
