// What pages an operator: undelivered events, failed investigations, API errors, and the business
// metrics the functions publish (functions/metric-names.ts): actions that expired without a
// decision, decisions the workflow never received, failed remediations, and an action left
// waiting so long that it is about to expire, or past its severity's SLA.
import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SEVERITIES, type Severity } from '../../../functions/core/model.js';
import type { SlaMinutes } from '../../../functions/core/reminders.js';
import { METRICS_NAMESPACE, type MetricName } from '../../../functions/metric-names.js';

export interface AlarmsProps {
  readonly key: IKey;
  readonly email?: string;
  readonly deadLetterQueue: IQueue;
  readonly stateMachine: StateMachine;
  readonly api: RestApi;
  /** The functions' POWERTOOLS_SERVICE_NAME: the `service` dimension of their metrics. */
  readonly serviceName: string;
  /** How long an action waits for a decision; the pending-age alarm fires a seventh before. */
  readonly pendingActionTtl: Duration;
  /** How long an action of each severity may wait before its reminder (NOTIFY_SLA_MINUTES). */
  readonly pendingSla: SlaMinutes;
}

export type AlarmName =
  | 'deadLetters'
  | 'failedInvestigations'
  | 'apiErrors'
  | 'actionsExpired'
  | 'rejectedAlerts'
  | 'callbacksFailing'
  | 'remediationFailures'
  | 'oldestPendingAge';

export class Alarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Record<AlarmName, Alarm>;
  /** By severity: an action has waited past its SLA (the reminder went out, no one decided). */
  readonly slaAlarms: Record<Severity, Alarm>;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Topic', {
      displayName: 'Action Center alarms',
      masterKey: props.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));

    const fiveMinutes = Duration.minutes(5);
    const business = (metricName: MetricName, statistic: 'Sum' | 'Maximum') =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: props.serviceName },
        statistic,
        period: fiveMinutes,
      });
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    // Six days of a seven-day TTL: a day left to decide before the action expires.
    const pendingAgeLimit = Math.floor((props.pendingActionTtl.toSeconds() * 6) / 7);

    this.alarms = {
      deadLetters: new Alarm(this, 'DeadLetters', {
        alarmDescription:
          'Events the rule could not deliver (alerts not ingested, reconciler runs not started) are in the dead-letter queue.',
        metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: fiveMinutes,
          statistic: 'Maximum',
        }),
        ...atLeastOnce,
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
        ...atLeastOnce,
      }),
      apiErrors: new Alarm(this, 'ApiServerErrors', {
        alarmDescription: 'The API answered with 5xx errors.',
        metric: props.api.metricServerError({ period: fiveMinutes, statistic: 'Sum' }),
        ...atLeastOnce,
      }),
      actionsExpired: new Alarm(this, 'ActionsExpired', {
        alarmDescription:
          'An action stayed pending for the whole pending TTL and expired without a decision.',
        metric: business('ActionsExpired', 'Sum'),
        ...atLeastOnce,
      }),
      rejectedAlerts: new Alarm(this, 'RejectedAlerts', {
        alarmDescription:
          'An event of an enabled alert source could not be mapped: it started no investigation (see GET /alerts/rejected).',
        metric: business('AlertsRejected', 'Sum'),
        ...atLeastOnce,
      }),
      callbacksFailing: new Alarm(this, 'CallbacksFailing', {
        alarmDescription:
          'Recorded decisions could not be delivered to the workflow by the reconciler for 15 minutes.',
        metric: business('CallbacksFailed', 'Sum'),
        ...atLeastOnce,
        evaluationPeriods: 3,
      }),
      remediationFailures: new Alarm(this, 'RemediationFailures', {
        alarmDescription:
          'A remediation failed for good at its connector: the action is Failed and the target unchanged.',
        metric: business('RemediationsFailed', 'Sum'),
        ...atLeastOnce,
      }),
      oldestPendingAge: new Alarm(this, 'OldestPendingAge', {
        alarmDescription: `An action has waited more than ${pendingAgeLimit} seconds for a decision and will soon expire.`,
        metric: business('OldestPendingActionAge', 'Maximum'),
        threshold: pendingAgeLimit,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    };
    this.slaAlarms = Object.fromEntries(
      SEVERITIES.map((severity) => {
        const minutes = props.pendingSla[severity];
        const name = `PendingPastSla${severity[0]?.toUpperCase()}${severity.slice(1)}`;
        const alarm = new Alarm(this, name, {
          alarmDescription: `A ${severity} action has waited more than its SLA of ${minutes} minutes for a decision (NOTIFY_SLA_MINUTES).`,
          metric: new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: 'OldestPendingActionAge' satisfies MetricName,
            dimensionsMap: { service: props.serviceName, severity },
            statistic: 'Maximum',
            period: fiveMinutes,
          }),
          threshold: minutes * 60,
          evaluationPeriods: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        });
        return [severity, alarm];
      }),
    ) as Record<Severity, Alarm>;
    const notify = new SnsAction(this.topic);
    for (const alarm of [...Object.values(this.alarms), ...Object.values(this.slaAlarms)]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
