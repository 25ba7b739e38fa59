// The approval policies' adapter: Cedar in-process (./engine.ts), the defaults (./default-policies.ts).
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
