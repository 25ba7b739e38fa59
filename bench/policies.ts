// The approval policies' cost on an approve (#16: at most 2 ms p50): the checks the decide path
// adds (may this caller decide anything; may they approve this action), timed in a loop with the
// default policies and with a set of 100 more, plus what loading the engine adds to a cold start.
import { CedarApprovalPolicies, DEFAULT_POLICIES } from '../functions/adapters/cedar/index.js';
import type { Action } from '../functions/core/model.js';
import { assertAllowed, assertMayDecideAny } from '../functions/services/authorization.js';
import { median, percentile, report, round } from './lib.js';

const ITERATIONS = 5_000;
const TARGET_MS = 2;

const loadStarted = performance.now();
const defaults = new CedarApprovalPolicies(DEFAULT_POLICIES, 'default');
const loadMs = performance.now() - loadStarted;

// 100 extra policies of the kind teams write: per type and severity, per role.
const extra = Array.from(
  { length: 100 },
  (_, i) => `@id("extra-${i}")
forbid (principal, action == ActionCenter::Action::"approve", resource is ActionCenter::RemediationAction)
when { resource.type == "quarantineFile" && resource.severity == "informational" && resource.source == "rule-${i}" }
unless { principal in ActionCenter::Role::"GlobalAdmin" };`,
).join('\n');
const large = new CedarApprovalPolicies(`${DEFAULT_POLICIES}\n${extra}`, 'large');

const AT = new Date().toISOString();
const action: Action = {
  id: 'act-bench',
  investigationId: 'inv-bench',
  alertId: 'alert-bench',
  type: 'isolateDevice',
  category: 'endpoint',
  target: { kind: 'device', id: 'laptop-1', displayName: 'laptop-1' },
  severity: 'high',
  source: 'AutomatedInvestigation',
  status: 'Pending',
  undoable: true,
  createdAt: AT,
  updatedAt: AT,
  expiresAt: AT,
};
const caller = { user: 'ana@example.com', roles: ['SecurityAdmin' as const] };

function time(policies: CedarApprovalPolicies) {
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const t = performance.now();
    assertMayDecideAny(policies, caller);
    assertAllowed(policies, caller, 'approve', action);
    samples.push(performance.now() - t);
  }
  return { p50Ms: round(median(samples), 3), p99Ms: round(percentile(samples, 99), 3) };
}

const withDefaults = time(defaults);
const with100More = time(large);
report({
  iterations: ITERATIONS,
  loadMs: round(loadMs, 1),
  defaults: withDefaults,
  with100More,
  targetMs: TARGET_MS,
  met: withDefaults.p50Ms <= TARGET_MS && with100More.p50Ms <= TARGET_MS,
});
