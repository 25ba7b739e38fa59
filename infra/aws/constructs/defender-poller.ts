// The Defender alert poller in AWS: its function (the Defender settings in its environment, the
// client secret read from Secrets Manager), an EventBridge Scheduler schedule that invokes it, and
// a role that may read the secret, publish to the alert bus, and touch only its own watermark item
// (and rejected alerts, for an alert too large to publish).
import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IDestination } from 'aws-cdk-lib/aws-lambda';
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keys } from '../../../functions/adapters/dynamodb/keys.js';
import type { DefenderSettings } from '../../../functions/core/defender-settings.js';
import { DEFENDER_POLLER } from '../../../functions/entries.js';
import { ActionCenterFunction, type FunctionDefaults } from './action-center-function.js';

export interface DefenderPollerProps {
  readonly defaults: FunctionDefaults;
  readonly defender: DefenderSettings & { clientSecret: { arn: string } };
  readonly table: ITable;
  readonly key: IKey;
  readonly eventBusName: string;
  readonly deadLetterQueue: IQueue;
  readonly onFailure: IDestination;
}

/** The Defender variables of functions/config.ts, from the stack's settings. */
export function defenderEnvironment(d: DefenderSettings & { clientSecret: { arn: string } }) {
  return {
    DEFENDER_TENANT_ID: d.tenantId,
    DEFENDER_CLIENT_ID: d.clientId,
    DEFENDER_CLIENT_SECRET_ARN: d.clientSecret.arn,
    DEFENDER_LOGIN_URL: d.loginUrl,
    GRAPH_URL: d.graphUrl,
    MDE_API_URL: d.mdeApiUrl,
    DEFENDER_POLL_SECONDS: String(d.pollSeconds),
    DEFENDER_POLL_LOOKBACK_HOURS: String(d.pollLookbackHours),
  };
}

export class DefenderPoller extends Construct {
  readonly fn: ActionCenterFunction;
  readonly schedule: CfnSchedule;
  /** What EventBridge Scheduler assumes to invoke the poller (and only the poller). */
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: DefenderPollerProps) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    this.fn = new ActionCenterFunction(this, 'Poller', {
      defaults: props.defaults,
      entry: DEFENDER_POLLER.entry,
      description: `Action Center ${DEFENDER_POLLER.id}: ${DEFENDER_POLLER.description}`,
      timeout: Duration.seconds(DEFENDER_POLLER.timeoutSeconds),
      environment: {
        ...defenderEnvironment(props.defender),
        EVENT_BUS_NAME: props.eventBusName,
      },
      onFailure: props.onFailure,
    });
    const role = this.fn.role;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadDefenderClientSecret',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.defender.clientSecret.arn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'PublishDefenderAlerts',
        actions: ['events:PutEvents'],
        resources: [`arn:${partition}:events:${region}:${account}:event-bus/${props.eventBusName}`],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWriteWatermark',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.defenderPoller.pk] },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'KeepTooLargeAlerts',
        actions: ['dynamodb:PutItem'],
        resources: [props.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [keys.rejectedAlert('*').pk] },
        },
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'UseTableKey',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
        resources: [props.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
      }),
    );

    // The L1 schedule with a role of our own: the L2 target also grants invoking every version
    // (`<arn>:*`); the schedule only ever invokes the function itself.
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      description: 'EventBridge Scheduler: invokes the Defender alert poller',
    });
    this.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.fn.function.functionArn],
      }),
    );
    props.deadLetterQueue.grantSendMessages(this.schedulerRole);
    const minutes = props.defender.pollSeconds / 60;
    this.schedule = new CfnSchedule(this, 'Schedule', {
      description: 'Runs the Defender alert poller (DEFENDER_POLL_SECONDS)',
      scheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: this.fn.function.functionArn,
        roleArn: this.schedulerRole.roleArn,
        // The next run resumes from the saved watermark: a missed tick is not worth retrying.
        retryPolicy: {
          maximumRetryAttempts: 0,
          maximumEventAgeInSeconds: Math.max(60, props.defender.pollSeconds),
        },
        deadLetterConfig: { arn: props.deadLetterQueue.queueArn },
      },
    });
  }
}
