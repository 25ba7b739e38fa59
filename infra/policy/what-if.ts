// `npm run policy:what-if -- <policy file> [--days 30] [--asset-groups <file>] [--roles <file>]`:
// replays the decided actions of the last days (from TABLE_NAME, DYNAMODB_ENDPOINT as the functions
// read them) against a proposed policy set and asset groups, and prints what would have changed.
// Decisions keep the person, not their roles: `--roles` maps each person to their roles.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_POLICIES } from '../../functions/adapters/cedar/default-policies.js';
import { loadApprovalPolicies } from '../../functions/adapters/cedar/engine.js';
import { createDocumentClient } from '../../functions/adapters/dynamodb/client.js';
import { createStores } from '../../functions/adapters/dynamodb/index.js';
import { loadConfig } from '../../functions/config.js';
import { parseAssetGroups } from '../../functions/core/asset-groups.js';
import { type Action, HISTORY_WINDOWS, type HistoryWindow } from '../../functions/core/model.js';
import { parseRoles, type Role } from '../../functions/core/permissions.js';
import { whatIf } from './what-if-report.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    days: { type: 'string', default: '30' },
    'asset-groups': { type: 'string' },
    roles: { type: 'string' },
  },
});
const policyFile = positionals[0];
const days = Number(values.days);
if (!policyFile || !Number.isInteger(days) || days < 1 || days > 180) {
  console.error(
    'usage: npm run policy:what-if -- <policy file> [--days 1..180] [--asset-groups <file>] [--roles <file>]',
  );
  process.exit(2);
}
const config = loadConfig();
const policies = loadApprovalPolicies(policyFile, DEFAULT_POLICIES);
const assetGroups = values['asset-groups']
  ? parseAssetGroups(readFileSync(values['asset-groups'], 'utf8'), values['asset-groups'])
  : config.assetGroups;
const rolesOf: Record<string, Role[]> = values.roles
  ? Object.fromEntries(
      Object.entries(JSON.parse(readFileSync(values.roles, 'utf8')) as Record<string, unknown>).map(
        ([user, roles]) => [user, parseRoles(roles)],
      ),
    )
  : {};

const window =
  (Object.keys(HISTORY_WINDOWS) as HistoryWindow[]).find((w) => HISTORY_WINDOWS[w] >= days) ??
  '180d';
const stores = createStores(config, createDocumentClient(config));
const now = new Date();
const since = new Date(now.getTime() - days * 86_400_000).toISOString();
const actions: Action[] = [];
let cursor: string | undefined;
do {
  const page = await stores.actions.listHistory({ window, limit: 200, cursor }, now);
  actions.push(...page.items.filter((a) => a.createdAt >= since));
  cursor = page.nextCursor;
} while (cursor);

const report = whatIf(actions, {
  policies,
  assetGroups,
  approvalsRequired: config.approvalsRequired,
  automation: config.automation,
  rolesOf,
});
console.log(`Decided actions of the last ${days} day(s): ${report.considered}`);
console.log(`Automatic today, an operator under the proposal: ${report.wouldAskOperator.length}`);
console.log(
  `Decided by an operator, automatic under the proposal if malicious: ${report.couldBeAutomatic.length}`,
);
console.log(`Approvals needed would change: ${Object.keys(report.quorumChanged).length}`);
for (const [id, [before, after]] of Object.entries(report.quorumChanged))
  console.log(`  ${id}: ${before} -> ${after}`);
console.log(
  `Decisions the proposed policies would refuse: ${Object.keys(report.wouldRefuse).length}`,
);
for (const [id, why] of Object.entries(report.wouldRefuse)) console.log(`  ${id}: ${why}`);
if (report.unknownDeciders.length > 0) {
  console.log(`Not replayed (roles unknown; give --roles): ${report.unknownDeciders.join(', ')}`);
}
