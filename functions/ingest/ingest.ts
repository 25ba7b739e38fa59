// Lambda entry: the EventBridge target for alert events. An invalid alert is logged with its
// reason and answered without error: retrying it cannot help, so it must not be redelivered.
import { type Config, required } from '../config.js';
import { createIngestHandler } from '../services/ingest.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, workflow, clock } = adaptersFor(config, overrides);
  return createIngestHandler({
    investigations: stores.investigations,
    starter: workflow,
    stateMachineArn: required(config.stateMachineArn, 'STATE_MACHINE_ARN'),
    clock,
  });
};

export const handler = lambdaHandler(wire);
