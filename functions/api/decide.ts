// Lambda entry for the POST routes (approve, reject, bulk decisions, undo): read-write table
// access, Step Functions task callbacks and the connectors' undo. Wired once per process.
import { createConnectorRegistry } from '../adapters/connectors/index.js';
import { createDocumentClient } from '../adapters/dynamodb/client.js';
import { createStores } from '../adapters/dynamodb/index.js';
import {
  createStepFunctionsClient,
  StepFunctionsWorkflow,
} from '../adapters/stepfunctions/workflow-gateway.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../core/ports.js';
import { createDecideHandler } from './decide-routes.js';

const config = loadConfig();
const doc = createDocumentClient(config);
const stores = createStores(config, doc);

export const handler = createDecideHandler({
  actions: stores.actions,
  audit: stores.audit,
  workflow: new StepFunctionsWorkflow(createStepFunctionsClient(config)),
  connectors: createConnectorRegistry(config, { doc, clock: systemClock }),
  clock: systemClock,
});

export { createDecideHandler };
