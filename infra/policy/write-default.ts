// `npm run policy:default -- <folder>`: writes the default approval policies and their schema as
// files to start your own from (APPROVAL_POLICY_FILE).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_POLICIES, POLICY_SCHEMA } from '../../functions/adapters/cedar/index.js';

const folder = process.argv[2] ?? '.';
mkdirSync(folder, { recursive: true });
writeFileSync(join(folder, 'approval-policies.cedar'), DEFAULT_POLICIES);
writeFileSync(join(folder, 'approval.cedarschema'), POLICY_SCHEMA);
console.log(
  `Wrote ${join(folder, 'approval-policies.cedar')} and ${join(folder, 'approval.cedarschema')}`,
);
