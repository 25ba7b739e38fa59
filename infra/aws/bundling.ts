// How every function is bundled, in one place: the CDK construct, `bundle-report.ts` and the
// cold-start bench all build with `esbuildOptions`, so the sizes they print are what is deployed.
import type { BuildOptions, Metafile } from 'esbuild';
import { REPO_ROOT } from './paths.js';

/** Node's own `require` for the few CommonJS dependencies that call it inside an ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The esbuild target matching the Lambda runtime (infra/aws/constructs/action-center-function.ts). */
export const ESBUILD_TARGET = 'node24';

/** The entry chunk's file name: Lambda's handler is `index.handler`. */
export const ENTRY_FILE = 'index.mjs';

/**
 * The options shared by every bundle. The AWS SDK is bundled (not taken from the runtime) and
 * tree-shaken through its ESM entry points: a pinned, tested SDK version and a smaller cold start
 * than loading the runtime's whole copy. Code splitting puts what a function loads with `import()`
 * (connectors' SDK clients, the audit export, Cedar) in chunks of its own, read only when used;
 * the chunks sit beside the entry, where the Cedar engine also finds its wasm (`import.meta.url`).
 */
export const BUNDLE = {
  format: 'esm',
  target: ESBUILD_TARGET,
  platform: 'node',
  minify: true,
  sourcemap: true,
  /** Source maps point at files; the sources themselves stay out of the zip. */
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  external: [] as string[],
  splitting: true,
} as const;

/** The options of a direct esbuild run: bundle one entry into `outdir` (in memory unless `write`). */
export function esbuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: [entry],
    outdir,
    // The metafile's paths are relative to the repository, wherever the build runs from.
    absWorkingDir: REPO_ROOT,
    entryNames: 'index',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: BUNDLE.splitting,
    write: false,
    metafile: true,
    logLevel: 'silent',
    format: BUNDLE.format,
    target: BUNDLE.target,
    platform: BUNDLE.platform,
    minify: BUNDLE.minify,
    sourcemap: BUNDLE.sourcemap,
    sourcesContent: BUNDLE.sourcesContent,
    mainFields: [...BUNDLE.mainFields],
    banner: { js: BUNDLE.banner },
    external: [...BUNDLE.external],
  };
}

/** A bundle's JavaScript outputs: what a cold start loads, and everything on disk. */
export interface BundleOutputs {
  /** The entry chunk (its path as the metafile names it). */
  entry: string;
  /** The entry chunk and every chunk it imports statically, transitively: a cold start's load. */
  loadedAtStart: string[];
  /** Every JavaScript output, the chunks only `import()` reaches included. */
  all: string[];
}

export function bundleOutputs(metafile: Metafile): BundleOutputs {
  const all = Object.keys(metafile.outputs).filter((path) => path.endsWith('.mjs'));
  const entry = all.find((path) => path === ENTRY_FILE || path.endsWith(`/${ENTRY_FILE}`));
  if (!entry) throw new Error(`No ${ENTRY_FILE} among the bundle's outputs: ${all.join(', ')}`);
  const loaded = new Set<string>();
  const pending = [entry];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (loaded.has(path)) continue;
    loaded.add(path);
    for (const i of metafile.outputs[path]?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) pending.push(i.path);
    }
  }
  return { entry, loadedAtStart: [...loaded], all };
}

/** The bytes of these outputs, by the package (or first-party file) they come from. */
export function bytesByPackage(
  metafile: Metafile,
  outputs: readonly string[],
  nameOf: (input: string) => string = packageOf,
): Map<string, number> {
  const byPackage = new Map<string, number>();
  for (const path of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[path]?.inputs ?? {})) {
      const name = nameOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return byPackage;
}

/** The package an input file belongs to; first-party files count as one "(first party)". */
export function packageOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return '(first party)';
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? input);
}
