// How every function is bundled, in one place: the CDK construct and `bundle-report.ts` both read
// these options, so the sizes the report prints are the sizes that get deployed.
import type { BuildOptions } from 'esbuild';

/** Node's own `require` for the few CommonJS dependencies that call it inside an ESM bundle. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

/** The esbuild target matching the Lambda runtime (infra/aws/constructs/action-center-function.ts). */
export const ESBUILD_TARGET = 'node24';

/**
 * The options shared by CDK's NodejsFunction bundling and the bundle report. The AWS SDK is
 * bundled (not taken from the runtime) and tree-shaken through its ESM entry points: a pinned,
 * tested SDK version and a smaller cold start than loading the runtime's whole copy.
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
} as const;

/** The same options for a direct esbuild run (the report): bundle one entry into memory. */
export function esbuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
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
