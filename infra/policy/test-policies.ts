// `npm run policy:test -- <folder or file>`: runs policy scenario files (infra/policy/scenarios.ts)
// against their policies, with this shell's APPROVALS_REQUIRED and ASSET_GROUPS_FILE. Exit 1 on a failure.
import { relative } from 'node:path';
import { loadConfig } from '../../functions/config.js';
import { runScenarioFile, scenarioFiles } from './scenarios.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: npm run policy:test -- <folder of scenario files, or one file>');
  process.exit(2);
}
const config = loadConfig({ TABLE_NAME: 'policy-test', ...process.env });
let failed = 0;
let passed = 0;
for (const file of scenarioFiles(path)) {
  for (const result of runScenarioFile(file, config)) {
    const where = `${relative(process.cwd(), result.file)}: ${result.name}`;
    if (result.ok) {
      passed += 1;
      console.log(`ok    ${where}`);
    } else {
      failed += 1;
      console.log(`FAIL  ${where}\n      ${result.problems.join('\n      ')}`);
    }
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
