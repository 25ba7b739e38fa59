// The whole Action Center in one stack: storage, identity, the workflow and its triggers, the API,
// the page, and the alarms. Parameters come from infra/aws/settings.ts.
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  SecretValue,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { OUTBOX, QUEUE } from '../../functions/adapters/dynamodb/keys.js';
import { API_PATH_PREFIX } from '../../functions/api/routes.js';
import {
  type FunctionEntry,
  SERVICE_FUNCTIONS,
  type ServiceFunctionId,
  TASK_FUNCTIONS,
} from '../../functions/entries.js';
import { alertRules } from '../../functions/ingest/rule.js';
import { DEFAULT_SERVICE_NAME } from '../../functions/metric-names.js';
import { approvalsFrom } from './approvals.js';
import {
  connectorsFrom,
  createSsmDocuments,
  grantConnectors,
  grantWebhookSecret,
} from './connectors.js';
import {
  ActionCenterFunction,
  type FunctionDefaults,
} from './constructs/action-center-function.js';
import { Alarms } from './constructs/alarms.js';
import { Api } from './constructs/api.js';
import { AuditSeal } from './constructs/audit-seal.js';
import { DefenderPoller } from './constructs/defender-poller.js';
import { createDeadLetterQueue, Events } from './constructs/events.js';
import { Identity } from './constructs/identity.js';
import { Notifications } from './constructs/notifications.js';
import { Storage } from './constructs/storage.js';
import { type HostConfig, Web } from './constructs/web.js';
import { grantTaskCallbacks, stateMachineArnOf, Workflow } from './constructs/workflow.js';
import { type ActionCenterSettings, defenderSettingsOf, pendingSlaOf } from './settings.js';

export interface ActionCenterStackProps extends StackProps {
  readonly settings: ActionCenterSettings;
}

export class ActionCenterStack extends Stack {
  readonly storage: Storage;
  readonly identity: Identity;
  readonly workflow: Workflow;
  readonly functions: Record<ServiceFunctionId, ActionCenterFunction>;
  readonly api: Api;
  readonly web: Web;
  readonly events: Events;
  readonly alarms: Alarms;
  /** The topic of the notifier's sns channel (e-mail subscriptions). */
  readonly notifications: Notifications;
  /** Present when the Defender tenant is set and DEFENDER_POLL_SECONDS is not 0. */
  readonly defenderPoller?: DefenderPoller;
  readonly auditSeal: AuditSeal;
  /** The page's `/config.json`. */
  readonly hostConfig: HostConfig;

  constructor(scope: Construct, id: string, props: ActionCenterStackProps) {
    super(scope, id, props);
    const s = props.settings;
    const removalPolicy = s.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = s.logRetentionDays as RetentionDays;
    const stateMachineName = `${this.stackName}-investigation`;
    const stateMachineArn = stateMachineArnOf(this, stateMachineName);

    const connectors = connectorsFrom(s);
    createSsmDocuments(this, connectors.settings);
    const approvals = approvalsFrom(s);

    this.storage = new Storage(this, 'Storage', { removalPolicy, retainData: s.retainData });
    const { table, key } = this.storage;

    // The settings of functions/config.ts, the same for every function.
    const defaults: FunctionDefaults = {
      serviceName: DEFAULT_SERVICE_NAME,
      logLevel: s.logLevel,
      logRetention,
      removalPolicy,
      bundling: s.bundling,
      environment: {
        TABLE_NAME: table.tableName,
        STATE_MACHINE_ARN: stateMachineArn,
        PENDING_ACTION_TTL_SECONDS: String(s.pendingActionTtlSeconds),
        HISTORY_RETENTION_DAYS: String(s.historyRetentionDays),
        DEDUP_WINDOW_SECONDS: String(s.dedupWindowSeconds),
        AUTOMATION_LEVEL_ENDPOINT: s.automationLevelEndpoint,
        AUTOMATION_LEVEL_EMAIL: s.automationLevelEmail,
        ALERT_SOURCE: s.eventSource,
        ALERT_SOURCES: s.alertSources.join(','),
        MIN_ALERT_SEVERITY: s.minAlertSeverity,
        ...connectors.environment,
        ...approvals.environment,
      },
      files: approvals.files,
    };
    const deadLetters = createDeadLetterQueue(this, 'DeadLetters');

    this.workflow = new Workflow(this, 'Workflow', {
      defaults,
      table,
      key,
      stateMachineName,
      logRetention,
      removalPolicy,
      approvalPolicies: { files: approvals.policyFiles, environment: approvals.policyEnvironment },
    });
    for (const task of TASK_FUNCTIONS.filter((t) => t.usesConnectors)) {
      grantConnectors(this.workflow.taskFunction(task.id), connectors);
    }

    // The functions around the workflow, as functions/entries.ts lists them.
    const serviceFunction = (
      id: ServiceFunctionId,
      constructId: string,
      failures?: SqsDestination,
    ) => {
      const entry: FunctionEntry = SERVICE_FUNCTIONS[id];
      const fn = new ActionCenterFunction(this, constructId, {
        defaults,
        entry: entry.entry,
        ...(entry.usesApprovalPolicies && {
          files: approvals.policyFiles,
          environment: approvals.policyEnvironment,
        }),
        description: `Action Center ${id}: ${entry.description}`,
        timeout: Duration.seconds(entry.timeoutSeconds),
        table: { table, key, access: entry.table, audit: entry.audit },
        ...(failures && { onFailure: failures }),
      });
      if (entry.sendsTaskCallbacks) grantTaskCallbacks(fn, stateMachineArn);
      return fn;
    };
    const ingest = serviceFunction('ingest', 'Ingest', new SqsDestination(deadLetters));
    this.workflow.stateMachine.grantStartExecution(ingest.role);
    const read = serviceFunction('read', 'ApiRead');
    // The HMAC key of list cursors: random, made by Secrets Manager at deploy; CloudFormation
    // resolves it into the read function's environment (no call at cold start).
    const cursorSecret = this.hmacKey(
      'CursorSecret',
      'Action Center: the HMAC key of list cursors (CURSOR_SECRET of the read API)',
      'The cursor key only signs list positions a caller may read anyway; rotating it would only end the paging of lists open at that moment, which a redeploy can do by replacing the secret.',
    );
    read.function.addEnvironment('CURSOR_SECRET', cursorSecret.secretValue.unsafeUnwrap());
    const decide = serviceFunction('decide', 'ApiDecide');
    // An undo of a concluded investigation reopens it under a new execution.
    this.workflow.stateMachine.grantStartExecution(decide.role);
    grantWebhookSecret(decide, connectors.settings);
    const reconcile = serviceFunction('reconcile', 'Reconcile', new SqsDestination(deadLetters));
    // The reconciler is the audit chain's one appender: the table's writes that owe a record (they
    // set the outbox index key) start it within a second or so; its schedule takes what is left.
    reconcile.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        // A run that finds the appender busy returns; a failed run is retried, then the schedule
        // takes the records (they stay owed on their items, so nothing is lost).
        retryAttempts: 2,
        filters: [
          FilterCriteria.filter({
            dynamodb: { NewImage: { outboxPk: { S: FilterRule.isEqual(OUTBOX) } } },
          }),
        ],
      }),
    );
    const executionStatus = serviceFunction(
      'executionStatus',
      'ExecutionStatus',
      new SqsDestination(deadLetters),
    );
    // The notifier: the table's new pending actions, a few seconds' worth at a time, so that an
    // investigation's actions share one message (functions/notify/notify.ts).
    const notify = serviceFunction('notify', 'Notify', new SqsDestination(deadLetters));
    notify.function.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(3),
        // A batch already sent is recorded (one item per batch), so a retry sends it once more at
        // most; a batch that still fails goes to the dead-letter queue (its stream position), not away.
        retryAttempts: 2,
        onFailure: new SqsDlq(deadLetters),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { queuePk: { S: FilterRule.isEqual(QUEUE.pending) } } },
          }),
        ],
      }),
    );
    // Reminders and escalations of actions still pending, and the day's digest once its hour has
    // come: every 5 minutes (the shortest SLA's third).
    new Rule(this, 'NotifyReminders', {
      description: 'Action Center: reminders, escalations and the daily digest of pending actions',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(notify.function, { retryAttempts: 0 })],
    });
    // Resolved into the environment at deploy, as the cursor key is: no call at cold start.
    const fromSecret = (arn: string | undefined) =>
      arn ? SecretValue.secretsManager(arn).unsafeUnwrap() : undefined;
    const notifyVariables = {
      NOTIFY_WEBHOOK_URL: s.notifyWebhookUrl,
      NOTIFY_WEBHOOK_SECRET: fromSecret(s.notifyWebhookSecretArn),
      SLACK_WEBHOOK_URL: fromSecret(s.slackWebhookUrlSecretArn),
      TEAMS_WEBHOOK_URL: fromSecret(s.teamsWebhookUrlSecretArn),
      NOTIFY_SLA_MINUTES: s.notifySlaMinutes,
      NOTIFY_ESCALATION: s.notifyEscalation,
      NOTIFY_DIGEST_HOUR: s.notifyDigestHour,
    };
    for (const [name, value] of Object.entries(notifyVariables)) {
      if (value !== undefined) notify.function.addEnvironment(name, value);
    }
    // Always there, so that operators can subscribe later; the notifier publishes every message.
    this.notifications = new Notifications(this, 'Notifications', {
      key,
      emails: s.notifyEmails,
    });
    this.notifications.grantPublish(notify.function);
    this.functions = { ingest, read, decide, reconcile, notify, executionStatus };

    const defender = defenderSettingsOf(s);
    if (defender && 'arn' in defender.clientSecret && defender.pollSeconds > 0) {
      this.defenderPoller = new DefenderPoller(this, 'DefenderPoller', {
        defaults,
        defender: { ...defender, clientSecret: defender.clientSecret },
        table,
        key,
        eventBusName: s.eventBusName,
        deadLetterQueue: deadLetters,
        onFailure: new SqsDestination(deadLetters),
      });
    }

    this.events = new Events(this, 'Events', {
      eventBusName: s.eventBusName,
      alertRules: alertRules({
        alertSource: s.eventSource,
        enabled: s.alertSources,
        minSeverity: s.minAlertSeverity,
      }),
      ingest: ingest.function,
      stateMachineArn: this.workflow.stateMachine.stateMachineArn,
      executionStatus: executionStatus.function,
      reconcile: reconcile.function,
      reconcileEvery: Duration.minutes(5),
      deadLetterQueue: deadLetters,
    });

    const authDomainPrefix =
      s.authDomainPrefix ?? `${this.stackName.toLowerCase()}-${this.account}`;
    this.identity = new Identity(this, 'Identity', {
      removalPolicy,
      retainData: s.retainData,
      threatProtection: s.threatProtection,
      domainPrefix: authDomainPrefix,
    });
    const authDomain = `${authDomainPrefix}.auth.${this.region}.amazoncognito.com`;

    this.api = new Api(this, 'Api', {
      userPool: this.identity.userPool,
      logRetention,
      removalPolicy,
      throttle: { ratePerSecond: s.apiThrottleRatePerSecond, burst: s.apiThrottleBurst },
      webAclArn: s.apiWebAclArn,
    });
    this.web = new Web(this, 'Web', {
      api: this.api.restApi,
      removalPolicy,
      logRetentionDays: s.logRetentionDays,
      authDomain,
    });
    this.auditSeal = new AuditSeal(this, 'AuditSeal', {
      retentionDays: s.auditExportRetentionDays,
      checkpointSeconds: s.auditCheckpointSeconds,
      accessLogs: this.web.logBucket,
    });
    // The reconciler is the appender that signs; the read API only verifies.
    this.auditSeal.grantSeal(reconcile.function, s.auditCheckpointSeconds);
    this.auditSeal.grantVerify(read.function);
    // Decision links (core/decision-links.ts): their HMAC key, made by Secrets Manager at deploy,
    // for the read API (opening a link) and the decide API (deciding through one).
    const linkSecret = this.hmacKey(
      'LinkSecret',
      'Action Center: the HMAC key of decision links (LINK_SECRET)',
      'A decision link only names an action for a signed-in person whom the policies allow to decide it, and lapses within LINK_TTL_HOURS; replacing the secret (a redeploy) voids every link sent.',
    );
    // The notifier makes the links: the same key, and the page's address.
    for (const fn of [read.function, decide.function, notify.function]) {
      fn.addEnvironment('LINK_SECRET', linkSecret.secretValue.unsafeUnwrap());
    }
    notify.function.addEnvironment('PUBLIC_URL', this.web.origin);
    const origins = [this.web.origin, ...s.extraUiOrigins];
    this.api.addRoutes({ read: read.function, decide: decide.function, origins });
    const webClient = this.identity.addWebClient(origins);
    this.hostConfig = {
      apiBase: API_PATH_PREFIX,
      auth: {
        mode: 'cognito',
        domain: `https://${authDomain}`,
        clientId: webClient.userPoolClientId,
        redirectUri: `${this.web.origin}/`,
        scopes: ['openid', 'email', 'profile'],
      },
    };
    this.web.deployContent({ dist: s.webDist, config: this.hostConfig });

    this.alarms = new Alarms(this, 'Alarms', {
      key,
      email: s.alarmEmail,
      deadLetterQueue: deadLetters,
      stateMachine: this.workflow.stateMachine,
      api: this.api.restApi,
      serviceName: defaults.serviceName,
      pendingActionTtl: Duration.seconds(s.pendingActionTtlSeconds),
      pendingSla: pendingSlaOf(s),
    });

    new CfnOutput(this, 'Url', { value: this.web.origin, description: 'The Action Center page' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url, description: 'The API stage' });
    new CfnOutput(this, 'UserPoolId', { value: this.identity.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: webClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: deadLetters.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    new CfnOutput(this, 'NotificationTopicArn', {
      value: this.notifications.topic.topicArn,
      description: 'Notifications of pending actions: subscribe e-mail addresses here',
    });
    new CfnOutput(this, 'EventBusName', { value: s.eventBusName });
    new CfnOutput(this, 'EventSource', { value: s.eventSource });
    new CfnOutput(this, 'RemediationRoleArn', {
      value: this.workflow.taskFunction('Advance').role.roleArn,
      description: "The role that runs connectors: the member stack's HubRemediationRoleArn",
    });
    new CfnOutput(this, 'AuditExportBucket', {
      value: this.auditSeal.exportBucket.bucketName,
      description: 'The write-once audit export (Object Lock, compliance mode), under audit/',
    });
  }

  /**
   * An HMAC key made by Secrets Manager at deploy (48 characters); CloudFormation resolves it into
   * the functions' environment, so there is no call at cold start. `reason`: why it needs no
   * rotation (cdk-nag AwsSolutions-SMG4).
   */
  private hmacKey(id: string, description: string, reason: string): Secret {
    const secret = new Secret(this, id, {
      description,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason });
    return secret;
  }
}
