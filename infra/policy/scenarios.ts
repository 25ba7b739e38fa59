// Policy scenarios (`npm run policy:test -- <dir>`): each file states who asks to do what to which
// action and what the policies must answer, so a team changes its policies with tests.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as z from 'zod';
import { approvalPoliciesOf } from '../../functions/adapters/cedar/index.js';
import { POLICY_VERBS } from '../../functions/core/approval-policies.js';
import { type AssetGroup, assetGroupOf } from '../../functions/core/asset-groups.js';
import { categoryOf } from '../../functions/core/catalog.js';
import { ActionType, type Category, Entity, Severity } from '../../functions/core/model.js';
import { ROLES } from '../../functions/core/permissions.js';
import { approvalsFor } from '../../functions/core/planning.js';

const Scenario = z.strictObject({
  name: z.string().min(1),
  principal: z.strictObject({ user: z.string().min(1), roles: z.array(z.enum(ROLES)) }),
  verb: z.enum(POLICY_VERBS),
  action: z.strictObject({
    type: ActionType,
    severity: Severity.default('high'),
    source: z.string().default('AutomatedInvestigation'),
    proposedBy: z.string().optional(),
    /** The action's target, for the asset group and quorum (e.g. {"kind":"device","id":"dc-01"}). */
    target: Entity.optional(),
  }),
  expect: z.strictObject({
    decision: z.enum(['allow', 'deny']),
    /** The policy that must have decided it. */
    policy: z.string().optional(),
    /** The approvals the action needs (APPROVALS_REQUIRED and the asset groups). */
    approvals: z.number().int().min(1).optional(),
  }),
});
export type Scenario = z.infer<typeof Scenario>;

const ScenarioFile = z.strictObject({
  /** A policy file relative to this file; the defaults when absent. */
  policies: z.string().optional(),
  scenarios: z.array(Scenario).min(1),
});

export interface ScenarioSettings {
  assetGroups: readonly AssetGroup[];
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
}

export interface ScenarioResult {
  file: string;
  name: string;
  ok: boolean;
  /** What differed, when not ok. */
  problems: string[];
}

/** The scenario files of a folder (`*.json`, not recursing), or the one file given. */
export function scenarioFiles(path: string): string[] {
  const at = resolve(path);
  if (!statSync(at).isDirectory()) return [at];
  return readdirSync(at)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(at, f));
}

export function runScenarioFile(file: string, settings: ScenarioSettings): ScenarioResult[] {
  const parsed = ScenarioFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    return [
      {
        file,
        name: '(file)',
        ok: false,
        problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
      },
    ];
  }
  const { policies: policyFile, scenarios } = parsed.data;
  const policies = approvalPoliciesOf(
    policyFile === undefined ? undefined : resolve(dirname(file), policyFile),
  );
  return scenarios.map((scenario) => {
    const { action, principal, verb } = scenario;
    const category = categoryOf(action.type);
    const group = action.target ? assetGroupOf(settings.assetGroups, action.target) : undefined;
    const resource = {
      id: 'scenario',
      type: action.type,
      category,
      severity: action.severity,
      source: action.source,
      ...(group && { assetGroup: group.name }),
      ...(action.proposedBy !== undefined && { proposedBy: action.proposedBy }),
    };
    const answer = policies.decide(principal, verb, resource);
    const problems: string[] = [];
    const decision = answer.allowed ? 'allow' : 'deny';
    if (decision !== scenario.expect.decision) {
      problems.push(
        `expected ${scenario.expect.decision}, got ${decision} (policies: ${answer.policies.join(', ') || 'none'})`,
      );
    }
    if (scenario.expect.policy !== undefined && !answer.policies.includes(scenario.expect.policy)) {
      problems.push(
        `expected policy ${scenario.expect.policy} to decide, got ${answer.policies.join(', ') || 'none'}`,
      );
    }
    if (scenario.expect.approvals !== undefined) {
      const required =
        approvalsFor({ ...settings, quorumOf: (r) => policies.quorum(r) }, resource, group)
          ?.required ?? 1;
      if (required !== scenario.expect.approvals) {
        problems.push(
          `expected ${scenario.expect.approvals} approval(s), the settings require ${required}`,
        );
      }
    }
    return { file, name: scenario.name, ok: problems.length === 0, problems };
  });
}
