// Lambda entry: every GET route of the API (read-only table access).

import { type Config, required } from '../config.js';
import { adaptersFor, approvalPoliciesFor, lambdaHandler, type Overrides } from '../wiring.js';
import { createReadHandler } from './read-routes.js';

export const wire = (config: Config, overrides?: Overrides) => {
  required(config.cursorSecret, 'CURSOR_SECRET');
  const { stores, clock } = adaptersFor(config, overrides);
  return createReadHandler({
    actions: stores.actions,
    investigations: stores.investigations,
    audit: stores.audit,
    rejectedAlerts: stores.rejectedAlerts,
    clock,
    policies: approvalPoliciesFor(config, overrides),
  });
};

export const handler = lambdaHandler(wire);
