// The approval settings (functions/core/approval-policies.ts, asset-groups.ts) from the app's
// parameters: checked at synth with the functions' own parsers, then shipped as files beside the
// bundles that read them (`/var/task/...`) and named in their environment.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_POLICIES } from '../../functions/adapters/cedar/default-policies.js';
import { loadApprovalPolicies } from '../../functions/adapters/cedar/engine.js';
import { loadConfig } from '../../functions/config.js';
import { parseAssetGroups } from '../../functions/core/asset-groups.js';
import type { BundledFile } from './constructs/action-center-function.js';
import { REPO_ROOT } from './paths.js';

/** Where Lambda puts the bundle's files. */
const TASK_ROOT = '/var/task';

export interface ApprovalParameters {
  readonly approvalPolicyFile?: string;
  readonly approvalsRequired?: string;
  readonly assetGroupsFile?: string;
}

export interface Approvals {
  /** Every function: APPROVALS_REQUIRED and, when set, the asset groups. */
  readonly environment: Record<string, string>;
  readonly files: BundledFile[];
  /** The functions that ask the approval policies (the API's): Cedar's engine and the policy file. */
  readonly policyEnvironment: Record<string, string>;
  readonly policyFiles: BundledFile[];
}

/** The Cedar engine's wasm, which the bundle loads from beside itself. */
export function cedarWasmFile(): BundledFile {
  const nodejsEntry = createRequire(import.meta.url).resolve('@cedar-policy/cedar-wasm/nodejs');
  return {
    source: join(dirname(nodejsEntry), '..', 'web', 'cedar_wasm_bg.wasm'),
    name: 'cedar_wasm_bg.wasm',
  };
}

export function approvalsFrom(p: ApprovalParameters): Approvals {
  const environment: Record<string, string> = {};
  const files: BundledFile[] = [];
  if (p.approvalsRequired !== undefined) {
    // The functions' own parser, so a typo fails the synth with the setting's name.
    loadConfig({ TABLE_NAME: 'synth-check', APPROVALS_REQUIRED: p.approvalsRequired });
    environment.APPROVALS_REQUIRED = p.approvalsRequired;
  }
  if (p.assetGroupsFile !== undefined) {
    const source = resolve(REPO_ROOT, p.assetGroupsFile);
    parseAssetGroups(readFileSync(source, 'utf8'), `assetGroupsFile (${p.assetGroupsFile})`);
    files.push({ source, name: 'asset-groups.json' });
    environment.ASSET_GROUPS_FILE = `${TASK_ROOT}/asset-groups.json`;
  }
  const policyEnvironment: Record<string, string> = {};
  const policyFiles = [cedarWasmFile()];
  if (p.approvalPolicyFile !== undefined) {
    const source = resolve(REPO_ROOT, p.approvalPolicyFile);
    loadApprovalPolicies(source, DEFAULT_POLICIES);
    policyFiles.push({ source, name: 'approval-policies.cedar' });
    policyEnvironment.APPROVAL_POLICY_FILE = `${TASK_ROOT}/approval-policies.cedar`;
  }
  return { environment, files, policyEnvironment, policyFiles };
}
