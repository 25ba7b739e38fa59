// Lambda entry: the target of the rule on Step Functions' execution status changes (FAILED,
// TIMED_OUT, ABORTED of the investigation state machine). An event it cannot use is logged and
// answered without error: redelivering it cannot help.
import { type Config, required } from '../config.js';
import { createExecutionStatusHandler } from '../services/execution-status.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides?: Overrides) => {
  const { stores, clock } = adaptersFor(config, overrides);
  return createExecutionStatusHandler({
    actions: stores.actions,
    investigations: stores.investigations,
    stateMachineArn: required(config.stateMachineArn, 'STATE_MACHINE_ARN'),
    clock,
  });
};

export const handler = lambdaHandler(wire);
