import { build } from 'esbuild';
import { esbuildOptions } from '../infra/aws/bundling.ts';
const r = await build(esbuildOptions('functions/api/read.ts', 'cdk.out/x/index.mjs'));
for (const [name, out] of Object.entries(r.metafile!.outputs)) {
  const rows = Object.entries(out.inputs).filter(([k]) => k.includes('zod')).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
  console.log(name, rows.length, rows.slice(0, 25).map(([k, v]) => `${(v.bytesInOutput/1024).toFixed(1)} ${k}`).join('\n'));
}
