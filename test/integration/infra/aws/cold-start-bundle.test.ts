// What a cold start loads (issue #19): the functions are code split (infra/aws/bundling.ts), and
// the AWS clients only an action or a route uses stay in chunks that `import()` reaches, on disk
// beside the entry but out of the entry chunk and the chunks it imports statically.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { ALL_FUNCTIONS } from '../../../../functions/entries.js';
import { bundleOutputs, ENTRY_FILE, esbuildOptions } from '../../../../infra/aws/bundling.js';
import { REPO_ROOT } from '../../../../infra/aws/paths.js';

/** The AWS SDK clients only connectors and the audit seal use. */
const LAZY_CLIENTS = [
  'client-ec2',
  'client-ssm',
  'client-sts',
  'client-route53resolver',
  'client-s3',
  'client-kms',
  'client-secrets-manager',
];

/** The SDK clients among the inputs of these outputs. */
function clientsIn(metafile: Metafile, outputs: readonly string[]): Set<string> {
  const clients = new Set<string>();
  for (const path of outputs) {
    for (const input of Object.keys(metafile.outputs[path]?.inputs ?? {})) {
      const match = /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(input);
      if (match?.[1]) clients.add(match[1]);
    }
  }
  return clients;
}

async function bundleOf(id: string) {
  const entry = ALL_FUNCTIONS.find((f) => f.id === id)?.entry as string;
  const result = await build(esbuildOptions(resolve(REPO_ROOT, entry), join(tmpdir(), id)));
  const metafile = result.metafile as Metafile;
  const outputs = bundleOutputs(metafile);
  const inputsOf = (paths: readonly string[]) =>
    new Set(paths.flatMap((p) => Object.keys(metafile.outputs[p]?.inputs ?? {})));
  return {
    atStart: clientsIn(metafile, outputs.loadedAtStart),
    onDisk: clientsIn(metafile, outputs.all),
    inputsAtStart: inputsOf(outputs.loadedAtStart),
    inputsOnDisk: inputsOf(outputs.all),
  };
}

describe('what a cold start loads', () => {
  it.each(['decide', 'Advance', 'ingest'])(
    '%s: no connector or audit client, only DynamoDB and Step Functions',
    async (id) => {
      // Act
      const { atStart } = await bundleOf(id);

      // Assess
      expect([...atStart].sort()).toEqual(['client-dynamodb', 'client-sfn']);
    },
    60_000,
  );

  it('Advance ships the connectors’ clients beside its entry, loaded when an action of theirs runs', async () => {
    // Act
    const { onDisk } = await bundleOf('Advance');

    // Assess
    for (const client of ['client-ec2', 'client-ssm', 'client-sts', 'client-route53resolver']) {
      expect(onDisk).toContain(client);
    }
  }, 60_000);

  it('read: the OpenAPI document only when GET /openapi.json asks for it', async () => {
    // Act
    const { inputsAtStart, inputsOnDisk } = await bundleOf('read');

    // Assess
    expect(inputsAtStart).not.toContain('functions/api/openapi.ts');
    expect(inputsOnDisk).toContain('functions/api/openapi.ts');
  }, 60_000);

  it.each(['read', 'reconcile'])(
    '%s: the audit export and signer (S3, KMS) only on disk',
    async (id) => {
      // Act
      const { atStart, onDisk } = await bundleOf(id);

      // Assess
      for (const client of LAZY_CLIENTS) expect(atStart).not.toContain(client);
      expect(onDisk).toContain('client-s3');
      expect(onDisk).toContain('client-kms');
    },
    60_000,
  );
});

describe('a split bundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'split-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the aws connector’s chunk when its action runs, where no node_modules can be found', async () => {
    // Prepare: the connector registry as Advance wires it, routing isolateDevice to aws; the
    // device is no EC2 instance, so the connector refuses it before any call to AWS.
    mkdirSync(join(REPO_ROOT, 'test', 'output'), { recursive: true });
    const entry = join(REPO_ROOT, 'test', 'output', 'split-bundle-entry.ts');
    writeFileSync(
      entry,
      `import { createConnectorRegistry } from '../../functions/adapters/connectors/index.js';
import { loadConfig } from '../../functions/config.js';
const config = loadConfig({
  TABLE_NAME: 'ActionCenter',
  AWS_REGION: 'eu-west-1',
  CONNECTORS: '{"default":"builtin","types":{"isolateDevice":"aws"}}',
  AWS_ISOLATION_SECURITY_GROUP_ID: 'sg-0150150150150150a',
  AWS_DNS_FIREWALL_DOMAIN_LIST_ID: 'rslvr-fdl-0123456789abcdef',
});
const registry = createConnectorRegistry(config, { doc: {} });
const action = { id: 'a-1', type: 'isolateDevice', category: 'endpoint', target: { kind: 'device', id: 'device-1', displayName: 'laptop-7' } };
const connector = registry.connectorFor(action);
try {
  await connector.submit(action);
  console.log(JSON.stringify({ connector: connector.name, outcome: 'submitted' }));
} catch (error) {
  console.log(JSON.stringify({ connector: connector.name, error: error.name, message: error.message }));
}
`,
    );
    const result = await build({ ...esbuildOptions(entry, dir), write: true });
    expect(result.errors).toEqual([]);
    const outputs = bundleOutputs(result.metafile as Metafile);
    // The EC2 client is in a chunk the entry does not import statically.
    expect(clientsIn(result.metafile as Metafile, outputs.loadedAtStart)).not.toContain(
      'client-ec2',
    );

    // Act: run it from a folder of its own.
    const printed = execFileSync(process.execPath, [join(dir, ENTRY_FILE)], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
    });

    // Assess: the answer of the EC2 isolation code, which only the lazy chunk holds.
    expect(JSON.parse(printed.trim().split('\n').at(-1) as string)).toEqual({
      connector: 'aws',
      error: 'ConnectorPermanentError',
      message: 'Device laptop-7 is not an EC2 instance (no i-... id in deviceId or id)',
    });
    rmSync(entry);
  }, 60_000);
});
