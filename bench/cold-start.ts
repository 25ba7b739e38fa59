// Cold start: each function bundled as it is deployed (infra/aws/bundling.ts: ESM, minified, the
// AWS SDK bundled and tree-shaken, code split), what a cold start loads of it (the entry chunk and
// the chunks it imports statically; chunks only `import()` reaches stay on disk), the whole bundle
// on disk, and the time a fresh Node process takes to import the entry (median of
// BENCH_COLD_RUNS, each run right after one of the baseline's), against a bare handler that only
// creates a DynamoDB client, bundled the same way. Targets (issue #19): loaded bytes at most 1.3 times the baseline's, import at most 1.2 times.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { ALL_FUNCTIONS } from '../functions/entries.js';
import { cedarWasmFile } from '../infra/aws/approvals.js';
import { bundleOutputs, bytesByPackage, esbuildOptions } from '../infra/aws/bundling.js';
import { REPO_ROOT } from '../infra/aws/paths.js';
import { envNumber, machine, median, report, round } from './lib.js';

const runs = envNumber('BENCH_COLD_RUNS', 7);
const dir = mkdtempSync(join(tmpdir(), 'action-center-cold-'));
const cedar = cedarWasmFile();

/** Issue #19's targets, as ratios to the baseline. */
const TARGETS = { bytesRatio: 1.3, importRatio: 1.2 };

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

/** The three packages that weigh most in what a cold start loads, in KiB. */
function heaviest(metafile: Metafile, loaded: readonly string[]): string {
  return [...bytesByPackage(metafile, loaded).entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)} KiB`)
    .join(', ');
}

async function measure(name: string, entry: string) {
  // Written to a folder of its own without node_modules: the bundle must hold all it imports.
  const outdir = join(dir, name);
  mkdirSync(outdir);
  // Beside the chunks, as CDK ships it to the functions that ask the approval policies.
  copyFileSync(cedar.source, join(outdir, cedar.name));
  const result = await build({
    ...esbuildOptions(resolve(REPO_ROOT, entry), outdir),
    write: true,
  });
  if (result.errors.length || !result.metafile) throw new Error(`esbuild failed for ${entry}`);
  const { metafile } = result;
  const outputs = bundleOutputs(metafile);
  const loaded = Buffer.concat(
    outputs.loadedAtStart.map((path) => readFileSync(resolve(REPO_ROOT, path))),
  );
  const totalBytes = outputs.all.reduce((sum, p) => sum + (metafile.outputs[p]?.bytes ?? 0), 0);
  const probe = () => {
    const t = performance.now();
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', PROBE, `file://${resolve(REPO_ROOT, outputs.entry)}`],
      { env, cwd: outdir },
    ).toString();
    return { importMs: Number(out), processMs: performance.now() - t };
  };
  return {
    name,
    entry,
    bytes: loaded.byteLength,
    gzipBytes: gzipSync(loaded).byteLength,
    chunksAtStart: outputs.loadedAtStart.length,
    totalBytes,
    chunks: outputs.all.length,
    heaviest: heaviest(metafile, outputs.loadedAtStart),
    probe,
  };
}

/**
 * `runs` imports of the function, each right after one of the baseline: the machine is shared, so
 * the ratio compares imports made under the same load, not a baseline measured minutes earlier.
 */
function timePaired(fn: Bundle, base: Bundle) {
  const samples = { fn: [] as number[], fnProcess: [] as number[], base: [] as number[] };
  for (let i = 0; i < runs; i += 1) {
    samples.base.push(base.probe().importMs);
    const m = fn.probe();
    samples.fn.push(m.importMs);
    samples.fnProcess.push(m.processMs);
  }
  return {
    importMs: round(median(samples.fn), 1),
    processMs: round(median(samples.fnProcess), 1),
    baselineImportMs: round(median(samples.base), 1),
  };
}

type Bundle = Awaited<ReturnType<typeof measure>>;

const base = await measure('bare-dynamodb-client', 'bench/bare-handler.ts');
const { probe: _baseProbe, ...baselineSizes } = base;
const baselineTimes = Array.from({ length: runs }, () => base.probe());
const baseline = {
  ...baselineSizes,
  importMs: round(median(baselineTimes.map((t) => t.importMs)), 1),
  processMs: round(median(baselineTimes.map((t) => t.processMs)), 1),
};
const functions = [];
for (const { id: name, entry } of ALL_FUNCTIONS) {
  const measured = await measure(name, entry);
  const { probe: _probe, ...m } = measured;
  const times = timePaired(measured, base);
  const bytesRatio = round(m.bytes / baseline.bytes, 2);
  const importRatio = round(times.importMs / times.baselineImportMs, 2);
  functions.push({
    ...m,
    ...times,
    bytesRatio,
    importRatio,
    bytesMet: bytesRatio <= TARGETS.bytesRatio,
    importMet: importRatio <= TARGETS.importRatio,
  });
  process.stderr.write(`cold-start: ${JSON.stringify(functions.at(-1))}\n`);
}
rmSync(dir, { recursive: true, force: true });
report({ name: 'coldStart', machine: machine(), runs, targets: TARGETS, baseline, functions });
