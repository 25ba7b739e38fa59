// Lambda entry: the POST routes (approve, reject, bulk decisions, undo, webhook callbacks):
// read-write table access and wakes (or restarts) of the investigations' workflows. No connector:
// the workflow's Advance task carries out remediation and undo.

import { webhookSecretOf } from '../adapters/connectors/configured.js';
import { DynamoRemediationReports } from '../adapters/dynamodb/remediation-reports.js';
import { type Config, required } from '../config.js';
import { DEFAULT_UNDO_WAIT_SECONDS } from '../services/undo.js';
import { adaptersFor, approvalPoliciesFor, lambdaHandler, type Overrides } from '../wiring.js';
import { createDecideHandler } from './decide-routes.js';

export const wire = (config: Config, overrides: Overrides = {}) => {
  const { doc, stores, workflow, clock } = adaptersFor(config, overrides);
  return createDecideHandler({
    actions: stores.actions,
    investigations: stores.investigations,
    workflow,
    starter: workflow,
    stateMachineArn: required(config.stateMachineArn, 'STATE_MACHINE_ARN'),
    clock,
    undoWait: { seconds: config.undoWaitSeconds ?? DEFAULT_UNDO_WAIT_SECONDS },
    policies: approvalPoliciesFor(config, overrides),
    proposals: {
      pendingActionTtlSeconds: config.pendingActionTtlSeconds,
      assetGroups: config.assetGroups,
      approvalsRequired: config.approvalsRequired,
    },
    ...(config.links && {
      decisionLinks: { links: stores.links, linkSettings: { key: config.links.secret } },
    }),
    webhookCallbacks: {
      actions: stores.actions,
      investigations: stores.investigations,
      workflow,
      reports: new DynamoRemediationReports(doc, config),
      webhookSecret: webhookSecretOf(config.connectors, config) ?? (async () => undefined),
      clock,
    },
  });
};

export const handler = lambdaHandler(wire);
