import { build } from 'esbuild';
import { resolve } from 'node:path';
import { esbuildOptions } from '../infra/aws/bundling.ts';
const r = await build({ ...esbuildOptions('functions/api/read.ts', 'cdk.out/x/index.mjs'), alias: { zod: resolve('.scratch/zod-shim.js') } });
const out = r.outputFiles!.find((f) => f.path.endsWith('.mjs'))!;
console.log((out.contents.byteLength/1024).toFixed(1));
for (const [name, o] of Object.entries(r.metafile!.outputs)) {
  const rows = Object.entries(o.inputs).filter(([k]) => k.includes('zod'));
  console.log(name, rows.length, (rows.reduce((a, [, v]) => a + v.bytesInOutput, 0)/1024).toFixed(1));
}
