// Lambda entry: the Advance task of the investigation state machine (expiries, remediation through connectors, the investigation's status).
import { createConnectorRegistry } from '../adapters/connectors/index.js';
import type { Config } from '../config.js';
import { createAdvanceHandler } from '../services/workflow/advance.js';
import { lambdaHandler, type Overrides, workflowPorts } from '../wiring.js';

export const wire = (config: Config, overrides: Overrides = {}) => {
  const ports = workflowPorts(config, overrides);
  const connectors =
    overrides.connectors ?? createConnectorRegistry(config, { clock: ports.clock });
  return createAdvanceHandler({ ...ports, connectors });
};

export const handler = lambdaHandler(wire);
