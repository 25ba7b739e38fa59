// Lambda entry: the EventBridge target of the alert rules (one per enabled source). An event that
// cannot be an investigation is kept as a rejected alert and answered without error: retrying it
// cannot help, so it must not be redelivered.
import { type Config, required } from '../config.js';
import { enabledSources } from '../core/sources/index.js';
import { createIngestHandler } from '../services/ingest.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, workflow, clock } = adaptersFor(config, overrides);
  return createIngestHandler({
    investigations: stores.investigations,
    rejectedAlerts: stores.rejectedAlerts,
    starter: workflow,
    workflow,
    stateMachineArn: required(config.stateMachineArn, 'STATE_MACHINE_ARN'),
    clock,
    sources: enabledSources(config.sources),
  });
};

export const handler = lambdaHandler(wire);
