// What pages an operator: undelivered events, failed investigations, API errors, actions that
// waited their whole pending time without a decision, and decisions the workflow never received.
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export const METRIC_NAMESPACE = 'ActionCenter';

export interface AlarmsProps {
  readonly key: IKey;
  readonly email?: string;
  readonly deadLetterQueue: IQueue;
  readonly stateMachine: StateMachine;
  readonly stateMachineLogs: ILogGroup;
  readonly api: RestApi;
  readonly reconcilerLogs: ILogGroup;
}

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Record<
    'deadLetters' | 'failedInvestigations' | 'apiErrors' | 'actionsExpired' | 'callbacksFailing',
    Alarm
  >;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Action Center alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    const fiveMinutes = Duration.minutes(5);

    // Logged by the state machine (level ALL) when AwaitDecision's TimeoutSeconds (the pending
    // TTL) ends the wait: the action expired with nobody deciding it. AwaitDecision is the only
    // state with a TimeoutSeconds, so every TaskTimedOut event is one.
    const expired = new MetricFilter(this, 'ActionsExpiredFilter', {
      logGroup: props.stateMachineLogs,
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'ActionsExpiredUndecided',
      filterPattern: FilterPattern.stringValue('$.type', '=', 'TaskTimedOut'),
      metricValue: '1',
    });
    // The reconciler's summary line (functions/workflow/reconcile.ts): callbacks it could not send.
    const callbacksFailed = new MetricFilter(this, 'CallbacksFailedFilter', {
      logGroup: props.reconcilerLogs,
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'CallbacksFailed',
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue('$.message', '=', 'Owed callbacks reconciled'),
        FilterPattern.exists('$.failed'),
      ),
      metricValue: '$.failed',
    });

    this.alarms = {
      deadLetters: new Alarm(this, 'DeadLetters', {
        alarmDescription:
          'Events the rule could not deliver (alerts not ingested, reconciler runs not started) are in the dead-letter queue.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      failedInvestigations: new Alarm(this, 'FailedInvestigations', {
        alarmDescription: 'An investigation execution failed or timed out.',
        metric: new MathExpression({
          label: 'Failed or timed-out executions',
          expression: 'failed + timedOut',
          usingMetrics: {
            failed: props.stateMachine.metricFailed({ period: fiveMinutes }),
            timedOut: props.stateMachine.metricTimedOut({ period: fiveMinutes }),
          },
          period: fiveMinutes,
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      apiErrors: new Alarm(this, 'ApiServerErrors', {
        alarmDescription: 'The API answered with 5xx errors.',
        metric: props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      actionsExpired: new Alarm(this, 'ActionsExpired', {
        alarmDescription:
          'An action stayed pending for the whole pending TTL and expired without a decision.',
        metric: expired.metric({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
      callbacksFailing: new Alarm(this, 'CallbacksFailing', {
        alarmDescription:
          'Recorded decisions could not be delivered to the workflow by the reconciler for 15 minutes.',
        metric: callbacksFailed.metric({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 3,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    };
    const notify = new SnsAction(this.topic);
    for (const alarm of Object.values(this.alarms)) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
