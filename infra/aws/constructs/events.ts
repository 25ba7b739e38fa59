// What starts work: the alert rule on the configured bus (the same pattern the local runtime
// matches) targeting ingest, the rule on the investigation state machine's failed, timed-out and
// stopped executions targeting executionStatus, and the reconciler's schedule; all retry, then
// dead-letter.
import { Duration, Validations } from 'aws-cdk-lib';
import { EventBus, type EventPattern, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ENDING_STATUSES,
  EXECUTION_STATUS_DETAIL_TYPE,
  EXECUTION_STATUS_SOURCE,
} from '../../../functions/core/execution-end.js';
import { type AlertRule, DEFAULT_EVENT_BUS_NAME } from '../../../functions/ingest/rule.js';

/** Events (and failed asynchronous invocations) that could not be processed. */
export function createDeadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    // SSE-SQS: EventBridge and Lambda can write to it without a key policy grant.
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the dead-letter queue: of the alert rule and schedule targets (EventBridge DeadLetterConfig) and of the functions they invoke (Lambda on-failure destination).',
  });
  return queue;
}

export interface EventsProps {
  readonly eventBusName: string;
  /** One rule per enabled alert source (functions/ingest/rule.ts), each on its bus. */
  readonly alertRules: readonly AlertRule[];
  readonly ingest: IFunction;
  /** The investigation state machine, whose endings `executionStatus` is told about. */
  readonly stateMachineArn: string;
  readonly executionStatus: IFunction;
  readonly reconcile: IFunction;
  readonly reconcileEvery: Duration;
  readonly deadLetterQueue: IQueue;
}

/** `securityhub-ocsf` -> `SecurityhubOcsf`: a construct id per source. */
const pascal = (id: string) =>
  id.replace(/(^|-)([a-z])/g, (_match, _dash, c: string) => c.toUpperCase());

export class Events extends Construct {
  readonly alertRules: Rule[];
  readonly executionStatusRule: Rule;
  readonly reconcileSchedule: Rule;

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id);

    const configured = EventBus.fromEventBusName(this, 'Bus', props.eventBusName);
    const defaultBus = EventBus.fromEventBusName(this, 'DefaultBus', DEFAULT_EVENT_BUS_NAME);
    this.alertRules = props.alertRules.map((rule) => {
      const pattern: EventPattern = {
        source: rule.pattern.source as string[],
        detailType: rule.pattern['detail-type'] as string[],
        ...(rule.pattern.detail && { detail: rule.pattern.detail as Record<string, unknown> }),
      };
      const alertRule = new Rule(this, `AlertRule${pascal(rule.source)}`, {
        description: `Alerts from ${rule.source} to the Action Center ingest`,
        eventBus: rule.bus === 'default' ? defaultBus : configured,
        eventPattern: pattern,
      });
      alertRule.addTarget(
        new LambdaFunction(props.ingest, {
          deadLetterQueue: props.deadLetterQueue,
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
        }),
      );
      return alertRule;
    });

    // Step Functions sends execution status changes to the default bus only.
    this.executionStatusRule = new Rule(this, 'ExecutionStatusRule', {
      description: 'Investigations whose execution failed, timed out or was stopped',
      eventPattern: {
        source: [EXECUTION_STATUS_SOURCE],
        detailType: [EXECUTION_STATUS_DETAIL_TYPE],
        detail: { stateMachineArn: [props.stateMachineArn], status: [...ENDING_STATUSES] },
      },
    });
    this.executionStatusRule.addTarget(
      new LambdaFunction(props.executionStatus, {
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 8,
        maxEventAge: Duration.hours(24),
      }),
    );

    this.reconcileSchedule = new Rule(this, 'ReconcileSchedule', {
      description: 'Re-sends decisions whose workflow callback is still owed',
      schedule: Schedule.rate(props.reconcileEvery),
    });
    this.reconcileSchedule.addTarget(
      new LambdaFunction(props.reconcile, {
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 2,
        // A later run does the same work; an old tick is worth nothing.
        maxEventAge: props.reconcileEvery,
      }),
    );
  }
}
