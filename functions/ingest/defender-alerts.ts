// Lambda entry: the Defender alert poller, run on a schedule (EventBridge Scheduler in AWS, the
// runtime's timer locally). It stops before its time runs out; the next run resumes.
import type { Context } from 'aws-lambda';
import { DynamoPollerState } from '../adapters/dynamodb/poller-state.js';
import { eventBridgePublisher } from '../adapters/eventbridge/event-publisher.js';
import { graphAlertsReader } from '../adapters/microsoft/alerts.js';
import { createMicrosoftApi } from '../adapters/microsoft/index.js';
import { type Config, required } from '../config.js';
import { DEFENDER_POLLER } from '../entries.js';
import { pollDefenderAlerts } from '../services/defender-alerts.js';
import { adaptersFor, lambdaHandler, type Overrides } from '../wiring.js';

export const wire = (config: Config, overrides: Overrides = {}) => {
  const defender = required(config.defender, 'DEFENDER_TENANT_ID');
  const { doc, stores, clock } = adaptersFor(config, overrides);
  const ports = {
    graph: graphAlertsReader(overrides.microsoftApi ?? createMicrosoftApi(defender, config.region)),
    publisher:
      overrides.eventPublisher ??
      eventBridgePublisher({ region: config.region, eventBusName: config.eventBusName }),
    state: new DynamoPollerState(doc, config.tableName),
    rejectedAlerts: stores.rejectedAlerts,
    clock,
    firstLookbackMs: defender.pollLookbackHours * 3_600_000,
  };
  return (_event: unknown, context?: Partial<Context>) => {
    const left = context?.getRemainingTimeInMillis?.() ?? DEFENDER_POLLER.timeoutSeconds * 1000;
    return pollDefenderAlerts(ports, clock().getTime() + left);
  };
};

export const handler = lambdaHandler(wire);
