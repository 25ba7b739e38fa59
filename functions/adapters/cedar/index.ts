// The approval policies' adapter: Cedar in-process (./engine.ts), the defaults (./default-policies.ts).
import { readFileSync } from 'node:fs';
import type { ApprovalPolicies } from '../../core/approval-policies.js';
import { DEFAULT_POLICIES } from './default-policies.js';
import { loadApprovalPolicies } from './engine.js';

export { DEFAULT_POLICIES, POLICY_SCHEMA } from './default-policies.js';
export { CedarApprovalPolicies, loadApprovalPolicies } from './engine.js';

let defaults: ApprovalPolicies | undefined;

/** API.md's role table as policies; parsed once per process. */
export function defaultApprovalPolicies(): ApprovalPolicies {
  defaults ??= loadApprovalPolicies(undefined, DEFAULT_POLICIES);
  return defaults;
}

/** APPROVAL_POLICY_FILE's policies, or the defaults when it is unset. */
export function approvalPoliciesOf(file: string | undefined): ApprovalPolicies {
  return file === undefined
    ? defaultApprovalPolicies()
    : loadApprovalPolicies(file, DEFAULT_POLICIES);
}

/**
 * The policies, loaded on first use: for a function that asks them rarely (the read API's `/me`),
 * so its cold start does not pay for the engine. A bad policy file then fails that first request.
 */
export function lazyApprovalPolicies(load: () => ApprovalPolicies): ApprovalPolicies {
  let loaded: ApprovalPolicies | undefined;
  const policies = () => {
    loaded ??= load();
    return loaded;
  };
  return {
    get name() {
      return policies().name;
    },
    decide: (principal, verb, resource) => policies().decide(principal, verb, resource),
    quorum: (resource) => policies().quorum(resource),
  };
}

/**
 * Whether APPROVAL_POLICY_FILE may hold `quorum` rules, read as text without loading the engine
 * (the defaults hold none): the workflow asks the policies only then, so its cold starts do not
 * pay for Cedar otherwise. An unreadable file answers true: the engine then names the problem.
 */
export function mayHoldQuorumRules(file: string | undefined): boolean {
  if (file === undefined) return false;
  try {
    return readFileSync(file, 'utf8').includes('"quorum"');
  } catch {
    return true;
  }
}
