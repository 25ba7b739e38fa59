// The EventBridge target for `Security Alert` events. An invalid alert is logged with its reason
// and answered without error: retrying it cannot help, so it must not be redelivered.
import { createStores } from '../adapters/dynamodb/index.js';
import {
  createStepFunctionsClient,
  StepFunctionsWorkflow,
} from '../adapters/stepfunctions/workflow-gateway.js';
import { loadConfig, required } from '../config.js';
import { systemClock } from '../core/ports.js';
import { observe } from '../observability.js';
import { createIngestHandler } from './ingest.js';

const config = loadConfig();

const ingest = createIngestHandler({
  investigations: createStores(config).investigations,
  starter: new StepFunctionsWorkflow(createStepFunctionsClient(config)),
  stateMachineArn: required(config.stateMachineArn, 'STATE_MACHINE_ARN'),
  clock: systemClock,
});
export const handler = observe(ingest);
