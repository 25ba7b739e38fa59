// Bundles every function with the deployed options (infra/aws/bundling.ts: ESM, minified, the
// AWS SDK bundled and tree-shaken, code split) and prints what each cold start loads (the entry
// chunk and the chunks it imports statically), its zipped size, the packages that weigh most in
// it, and the whole bundle on disk. `npm run bundle:report` (`-- --top 10` for more packages).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ALL_FUNCTIONS } from '../../functions/entries.js';
import { bundleOutputs, bytesByPackage, esbuildOptions } from './bundling.js';
import { REPO_ROOT } from './paths.js';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The package, or the first-party folder, an input file belongs to. */
function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return input.split('/').slice(0, 2).join('/');
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
}

export interface BundleSize {
  name: string;
  entry: string;
  /** What a cold start loads: the entry chunk and the chunks it imports statically. */
  bytes: number;
  gzipBytes: number;
  /** Every chunk on disk, those only `import()` reaches included. */
  totalBytes: number;
  heaviest: [string, number][];
}

export async function measureBundles(top = 5): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  const outdir = resolve(REPO_ROOT, 'cdk.out/report');
  for (const { id: name, entry } of ALL_FUNCTIONS) {
    const result = await build(esbuildOptions(resolve(REPO_ROOT, entry), outdir));
    if (!result.metafile || !result.outputFiles) {
      throw new Error(`esbuild produced no bundle for ${entry}`);
    }
    const outputs = bundleOutputs(result.metafile);
    const loaded = new Set(outputs.loadedAtStart.map((path) => resolve(REPO_ROOT, path)));
    const code = result.outputFiles.filter((f) => loaded.has(f.path));
    const loadedCode = Buffer.concat(code.map((f) => f.contents));
    sizes.push({
      name,
      entry,
      bytes: loadedCode.byteLength,
      gzipBytes: gzipSync(loadedCode).byteLength,
      totalBytes: outputs.all.reduce(
        (sum, p) => sum + (result.metafile?.outputs[p]?.bytes ?? 0),
        0,
      ),
      heaviest: [...bytesByPackage(result.metafile, outputs.loadedAtStart, packageOf).entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top),
    });
  }
  return sizes;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { top: { type: 'string', default: '5' } } });
  const sizes = await measureBundles(Number(values.top));
  const width = Math.max(...sizes.map((s) => s.name.length));
  console.log(
    `${'function'.padEnd(width)}  ${'at start'.padStart(11)}  ${'gzip'.padStart(11)}  ${'on disk'.padStart(11)}`,
  );
  for (const s of sizes) {
    console.log(
      `${s.name.padEnd(width)}  ${kib(s.bytes).padStart(11)}  ${kib(s.gzipBytes).padStart(11)}  ${kib(s.totalBytes).padStart(11)}  ${s.entry}`,
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
