// Lambda entry: the Remediate task of the investigation state machine (dedup claim and connector call).
import { createConnectorRegistry } from '../adapters/connectors/index.js';
import type { Config } from '../config.js';
import { createRemediateHandler } from '../services/workflow/remediate.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides: Overrides = {}) => {
  const ports = workflowPorts(config, overrides);
  const connectors =
    overrides.connectors ?? createConnectorRegistry(config, { clock: ports.clock });
  return createRemediateHandler({ ...ports, connectors });
};

export const handler = lambdaHandler(wire);
