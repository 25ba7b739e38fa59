// `npm run policy:test` on the shipped examples, and on a scenario that the policies contradict.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../infra/aws/paths.js';

const run = promisify(execFile);
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const env = {
  ...process.env,
  ASSET_GROUPS_FILE: join(REPO_ROOT, 'infra/policy/examples/asset-groups.json'),
};

async function policyTest(path: string) {
  try {
    const { stdout } = await run(TSX, ['infra/policy/test-policies.ts', path], {
      cwd: REPO_ROOT,
      env,
    });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
}

it('passes every example scenario: the defaults, a custom policy and a protected asset group', async () => {
  const { code, stdout } = await policyTest('infra/policy/examples/scenarios');

  expect(stdout).toContain('9 passed, 0 failed');
  expect(stdout).toContain(
    'ok    infra/policy/examples/scenarios/defaults.json: a domain controller needs two approvals',
  );
  expect(code).toBe(0);
}, 60_000);

it('fails, naming the scenario and what differed, when the policies answer otherwise', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-test-'));
  writeFileSync(
    join(dir, 'wrong.json'),
    JSON.stringify({
      scenarios: [
        {
          name: 'a reader approves',
          principal: { user: 'rui', roles: ['SecurityReader'] },
          verb: 'approve',
          action: { type: 'isolateDevice' },
          expect: { decision: 'allow' },
        },
      ],
    }),
  );

  const { code, stdout } = await policyTest(dir);
  rmSync(dir, { recursive: true, force: true });

  expect(code).toBe(1);
  expect(stdout).toMatch(
    /FAIL {2}.*wrong\.json: a reader approves\n\s+expected allow, got deny \(policies: none\)/,
  );
  expect(stdout).toContain('0 passed, 1 failed');
}, 60_000);
