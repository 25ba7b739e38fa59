// The approval policies' engine bundled as a function is (esbuild with the deploy options, the
// wasm copied beside the bundle as CDK's hook does): it loads and decides in a plain Node process.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { cedarWasmFile } from '../../../../infra/aws/approvals.js';
import { ENTRY_FILE, esbuildOptions } from '../../../../infra/aws/bundling.js';
import { REPO_ROOT } from '../../../../infra/aws/paths.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cedar-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('decides with the default policies from a bundle that has the wasm beside it, and nothing else', async () => {
  // Prepare: an entry that asks the policies, bundled as a function is, in a folder of its own.
  mkdirSync(join(REPO_ROOT, 'test', 'output'), { recursive: true });
  const entry = join(REPO_ROOT, 'test', 'output', 'cedar-bundle-entry.ts');
  writeFileSync(
    entry,
    `import { defaultApprovalPolicies } from '../../functions/adapters/cedar/index.js';
const p = defaultApprovalPolicies();
const ask = (roles) => p.decide({ user: 'u', roles }, 'approve', { id: 'a', type: 'isolateDevice', category: 'endpoint', severity: 'high', source: 'AutomatedInvestigation' }).allowed;
console.log(JSON.stringify({ admin: ask(['SecurityAdmin']), reader: ask(['SecurityReader']) }));
`,
  );
  const result = await build({ ...esbuildOptions(entry, dir), write: true });
  const out = join(dir, ENTRY_FILE);
  expect(result.errors).toEqual([]);
  copyFileSync(cedarWasmFile().source, join(dir, cedarWasmFile().name));

  // Act: run it where no node_modules can be found.
  const printed = execFileSync(process.execPath, [out], { cwd: dir, encoding: 'utf8' });

  // Assess
  expect(JSON.parse(printed)).toEqual({ admin: true, reader: false });
  rmSync(entry);
}, 60_000);
