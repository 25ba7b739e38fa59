// Cold start: each function bundled as it is deployed (infra/aws/bundling.ts: ESM, minified, the
// AWS SDK bundled and tree-shaken), its size, and the time a fresh Node process takes to import
// the bundle (median of BENCH_COLD_RUNS), against a bare handler that only creates a DynamoDB
// client, bundled the same way.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { ALL_FUNCTIONS } from '../functions/entries.js';
import { cedarWasmFile } from '../infra/aws/approvals.js';
import { esbuildOptions } from '../infra/aws/bundling.js';
import { REPO_ROOT } from '../infra/aws/paths.js';
import { envNumber, machine, median, report, round } from './lib.js';

const runs = envNumber('BENCH_COLD_RUNS', 7);
const dir = mkdtempSync(join(tmpdir(), 'action-center-cold-'));
// Beside the bundles, as CDK ships it to the functions that ask the approval policies.
const cedar = cedarWasmFile();
copyFileSync(cedar.source, join(dir, cedar.name));

// What the functions read at cold start (config.ts validates it).
const env = {
  ...process.env,
  TABLE_NAME: 'ActionCenter',
  AWS_REGION: 'us-east-1',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:ActionCenterInvestigation',
  AWS_ACCESS_KEY_ID: 'cold',
  AWS_SECRET_ACCESS_KEY: 'cold',
  LOG_LEVEL: 'ERROR',
  // The read function's cursor key (in AWS resolved from Secrets Manager at deploy).
  CURSOR_SECRET: 'cold-start-bench-cursor-secret-0123456789',
  // As in Lambda: the entry wires its clients at import (functions/wiring.ts lambdaHandler).
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  NODE_OPTIONS: '',
  // The Defender alert poller needs its tenant (deployed only when one is set).
  DEFENDER_TENANT_ID: '11111111-2222-3333-4444-555555555555',
  DEFENDER_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  DEFENDER_CLIENT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:mde-AbCdEf',
};

const PROBE =
  'const t = performance.now(); const m = await import(process.argv[1]);' +
  " if (typeof m.handler !== 'function') throw new Error('no handler');" +
  ' process.stdout.write(String(performance.now() - t));';

/** The three packages that weigh most in a bundle, in KiB. */
function heaviest(metafile: Metafile | undefined): string {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile?.outputs ?? {})) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const at = input.lastIndexOf('node_modules/');
      const parts = at === -1 ? ['(first party)'] : input.slice(at + 13).split('/');
      const name = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)} KiB`)
    .join(', ');
}

async function measure(name: string, entry: string) {
  const outfile = join(dir, `${name}.mjs`);
  const options = esbuildOptions(resolve(REPO_ROOT, entry), outfile);
  // Written to a temp folder without node_modules: the bundle must hold all it imports.
  const result = await build({ ...options, write: true, metafile: true });
  if (result.errors.length) throw new Error(`esbuild failed for ${entry}`);
  const code = readFileSync(outfile);
  const times: number[] = [];
  let wall: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const t = performance.now();
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', PROBE, `file://${outfile}`],
      {
        env,
        cwd: dir,
      },
    ).toString();
    wall.push(performance.now() - t);
    times.push(Number(out));
  }
  wall = wall.sort((a, b) => a - b);
  return {
    name,
    entry,
    bytes: code.byteLength,
    gzipBytes: gzipSync(code).byteLength,
    importMs: round(median(times), 1),
    processMs: round(median(wall), 1),
    heaviest: heaviest(result.metafile),
  };
}

const baseline = await measure('bare-dynamodb-client', 'bench/bare-handler.ts');
const functions = [];
for (const { id: name, entry } of ALL_FUNCTIONS) {
  const m = await measure(name, entry);
  functions.push({ ...m, importRatio: round(m.importMs / baseline.importMs, 2) });
  process.stderr.write(`cold-start: ${JSON.stringify(functions.at(-1))}\n`);
}
rmSync(dir, { recursive: true, force: true });
report({ name: 'coldStart', machine: machine(), runs, baseline, functions });
