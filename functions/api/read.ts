// Lambda entry: every GET route of the API (read-only table access).

import { auditSealAdapters } from '../audit-seal-wiring.js';
import { type Config, required } from '../config.js';
import { adaptersFor, approvalPoliciesFor, lambdaHandler, type Overrides } from '../wiring.js';
import { createReadHandler } from './read-routes.js';

export const wire = (config: Config, overrides?: Overrides) => {
  required(config.cursorSecret, 'CURSOR_SECRET');
  const { doc, stores, clock } = adaptersFor(config, overrides);
  // Reads only: the signer's public half (kms:GetPublicKey) and the export.
  const seal = auditSealAdapters(config, doc, overrides);
  return createReadHandler(
    {
      actions: stores.actions,
      investigations: stores.investigations,
      audit: stores.audit,
      rejectedAlerts: stores.rejectedAlerts,
      clock,
      policies: approvalPoliciesFor(config, overrides),
      sla: config.notify.sla,
    },
    seal && {
      checkpoints: seal.checkpoints,
      publicKey: seal.signer,
      ...(seal.export && { export: seal.export }),
    },
    config.links && { links: stores.links, linkSettings: { key: config.links.secret } },
  );
};

export const handler = lambdaHandler(wire);
