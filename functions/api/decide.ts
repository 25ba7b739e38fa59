// Lambda entry: the POST routes (approve, reject, bulk decisions, undo, webhook callbacks):
// read-write table access, wakes of the investigations' workflows and the connectors' undo.
import { webhookSecretOf } from '../adapters/connectors/configured.js';
import { createConnectorRegistry } from '../adapters/connectors/index.js';
import { DynamoRemediationReports } from '../adapters/dynamodb/remediation-reports.js';
import type { Config } from '../config.js';
import { adaptersFor, approvalPoliciesFor, lambdaHandler, type Overrides } from '../wiring.js';
import { createDecideHandler } from './decide-routes.js';

export const wire = (config: Config, overrides: Overrides = {}) => {
  const { doc, stores, workflow, clock } = adaptersFor(config, overrides);
  return createDecideHandler({
    actions: stores.actions,
    investigations: stores.investigations,
    audit: stores.audit,
    workflow,
    connectors: overrides.connectors ?? createConnectorRegistry(config, { doc, clock }),
    clock,
    policies: approvalPoliciesFor(config, overrides),
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
