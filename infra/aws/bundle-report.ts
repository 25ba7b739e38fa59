// Bundles every function with the deployed options (infra/aws/bundling.ts: ESM, minified, the
// AWS SDK bundled and tree-shaken) and prints each bundle's size, its zipped size, and the
// packages that weigh most. `npm run bundle:report` (`-- --top 10` for more packages per bundle).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { ALL_FUNCTIONS } from '../../functions/entries.js';
import { esbuildOptions } from './bundling.js';
import { REPO_ROOT } from './paths.js';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The package (or first-party folder) an input file belongs to. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return input.split('/').slice(0, 2).join('/');
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
}

function heaviest(metafile: Metafile, top: number): [string, number][] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
}

export interface BundleSize {
  name: string;
  entry: string;
  bytes: number;
  gzipBytes: number;
  heaviest: [string, number][];
}

export async function measureBundles(top = 5): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const { id: name, entry } of ALL_FUNCTIONS) {
    const result = await build(
      esbuildOptions(resolve(REPO_ROOT, entry), resolve(REPO_ROOT, 'cdk.out/report/index.mjs')),
    );
    const code = result.outputFiles?.find((f) => f.path.endsWith('.mjs'));
    if (!code || !result.metafile) throw new Error(`esbuild produced no bundle for ${entry}`);
    sizes.push({
      name,
      entry,
      bytes: code.contents.byteLength,
      gzipBytes: gzipSync(code.contents).byteLength,
      heaviest: heaviest(result.metafile, top),
    });
  }
  return sizes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { top: { type: 'string', default: '5' } } });
  const sizes = await measureBundles(Number(values.top));
  const width = Math.max(...sizes.map((s) => s.name.length));
  console.log(`${'function'.padEnd(width)}  ${'bundle'.padStart(11)}  ${'gzip'.padStart(11)}`);
  for (const s of sizes) {
    console.log(
      `${s.name.padEnd(width)}  ${kib(s.bytes).padStart(11)}  ${kib(s.gzipBytes).padStart(11)}  ${s.entry}`,
    );
    console.log(
      `${' '.repeat(width)}  ${s.heaviest.map(([pkg, bytes]) => `${pkg} ${kib(bytes)}`).join(', ')}`,
    );
  }
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === resolve(REPO_ROOT, 'infra/aws/bundle-report.ts')
) {
  await main();
}
