// The synthesized CloudFormation template of the Action Center stack: storage, workflow, events,
// API, page, alarms, least privilege, and cdk-nag's AwsSolutions pack with no open finding.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { App, type CfnElement, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { INDEXES, TABLE } from '../../../../functions/adapters/dynamodb/table.js';
import { API_ROUTES, routeKeyOf, targetOf } from '../../../../functions/api/routes.js';
import { ErrorBody, ROUTE_SCHEMAS } from '../../../../functions/api/schemas.js';
import {
  ENDING_STATUSES,
  EXECUTION_STATUS_DETAIL_TYPE,
  EXECUTION_STATUS_SOURCE,
} from '../../../../functions/core/execution-end.js';
import { ROLES } from '../../../../functions/core/permissions.js';
import { SERVICE_FUNCTIONS, TASK_FUNCTIONS } from '../../../../functions/entries.js';
import { alertRulePattern } from '../../../../functions/ingest/rule.js';
import { createActionCenterApp } from '../../../../infra/aws/action-center-app.js';
import { REPO_ROOT } from '../../../../infra/aws/paths.js';
import { renderDefinition } from '../../../../statemachines/substitutions.js';
import {
  CDK_JSON_CONTEXT,
  resourcesOf,
  type Synthesized,
  synthesize,
  TEST_CONTEXT,
} from './synth.js';

type Json = Record<string, unknown>;
interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Json;
}

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
});

const props = (resource: { Properties?: Json }) => resource.Properties ?? {};
const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const getAttId = (value: unknown) => (value as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

/** The logical id of the Lambda function of a construct path such as `ActionCenter/ApiRead`. */
function functionId(path: string): string {
  const fn = synth.app.node.findAll().find((c) => c.node.path === `${path}/Function`);
  if (!fn) throw new Error(`No function at ${path}`);
  return synth.stack.getLogicalId(fn.node.defaultChild as CfnElement);
}

/** The logical id of a construct's CloudFormation resource. */
const logicalIdOf = (construct: IConstruct) =>
  synth.stack.getLogicalId(construct.node.defaultChild as CfnElement);

/** Every statement in effect for a role: its inline policies and the policies attached to it. */
function statementsOfRole(roleId: string): Statement[] {
  const role = resourcesOf(synth.template, 'AWS::IAM::Role')[roleId];
  const inline = ((props(role ?? {}).Policies as Json[] | undefined) ?? []).flatMap(
    (p) => (p.PolicyDocument as { Statement: Statement[] }).Statement,
  );
  const attached = Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy'))
    .filter((p) => (props(p).Roles as Json[]).some((r) => r.Ref === roleId))
    .flatMap((p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement);
  return [...inline, ...attached];
}

function statementsOfFunction(path: string): Statement[] {
  const fn = resourcesOf(synth.template, 'AWS::Lambda::Function')[functionId(path)];
  return statementsOfRole(getAttId(props(fn ?? {}).Role));
}

/** Whether an IAM action pattern (with `*` wildcards) covers an action. */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(
    action,
  );

describe('the table', () => {
  it('is on-demand, point-in-time recoverable, encrypted with the key, and kept on delete', () => {
    const storage = synth.stack.storage;
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: {
            'Fn::GetAtt': [synth.stack.getLogicalId(storage.key.node.defaultChild as never), 'Arn'],
          },
        },
        DeletionProtectionEnabled: true,
      }),
    });
    synth.template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('expires items by the TTL attribute the stores write', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    });
  });

  it('has the global secondary indexes of functions/adapters/dynamodb/table.ts', () => {
    const [table] = Object.values(resourcesOf(synth.template, 'AWS::DynamoDB::Table'));
    const indexes = props(table ?? {}).GlobalSecondaryIndexes as Json[];
    expect(indexes).toEqual(
      INDEXES.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: index.keysOnly ? 'KEYS_ONLY' : 'ALL' },
      })),
    );
  });
});

describe('the functions', () => {
  const ours = () =>
    Object.entries(resourcesOf(synth.template, 'AWS::Lambda::Function')).filter(
      ([id]) => !id.startsWith('CustomCDKBucketDeployment'),
    );

  it('all run Node.js 24 on arm64 with tracing, their own log group and the Powertools settings', () => {
    const logGroups = resourcesOf(synth.template, 'AWS::Logs::LogGroup');
    expect(ours()).toHaveLength(TASK_FUNCTIONS.length + Object.keys(SERVICE_FUNCTIONS).length);
    for (const [, fn] of ours()) {
      const p = props(fn);
      expect(p).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: {
          Variables: expect.objectContaining({
            POWERTOOLS_SERVICE_NAME: 'action-center',
            POWERTOOLS_METRICS_NAMESPACE: 'ActionCenter',
            LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
            TABLE_NAME: expect.anything(),
            PENDING_ACTION_TTL_SECONDS: '604800',
          }),
        },
      });
      const logGroupId = (p.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(props(logGroups[logGroupId] ?? {}).RetentionInDays).toBe(180);
    }
  });

  it('gives the read API a cursor key generated by Secrets Manager at deploy, and no other function', () => {
    const secrets = resourcesOf(synth.template, 'AWS::SecretsManager::Secret');
    const [secretId, secret] = Object.entries(secrets).find(([id]) =>
      id.startsWith('CursorSecret'),
    ) ?? ['', {}];
    const read = resourcesOf(synth.template, 'AWS::Lambda::Function')[
      functionId('ActionCenter/ApiRead')
    ];
    const readVariables = (props(read ?? {}).Environment as { Variables: Json }).Variables;

    expect(props(secret).GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    expect(JSON.stringify(readVariables.CURSOR_SECRET)).toContain(`{"Ref":"${secretId}"}`);
    expect(JSON.stringify(readVariables.CURSOR_SECRET)).toContain('resolve:secretsmanager');
    for (const [id, fn] of ours()) {
      if (id === functionId('ActionCenter/ApiRead')) continue;
      expect((props(fn).Environment as { Variables: Json }).Variables).not.toHaveProperty(
        'CURSOR_SECRET',
      );
    }
  });

  it('gives the read and decide APIs and the notifier the decision links key generated by Secrets Manager, and no other function', () => {
    const secrets = resourcesOf(synth.template, 'AWS::SecretsManager::Secret');
    const [secretId, secret] = Object.entries(secrets).find(([id]) =>
      id.startsWith('LinkSecret'),
    ) ?? ['', {}];
    const holders = [
      functionId('ActionCenter/ApiRead'),
      functionId('ActionCenter/ApiDecide'),
      functionId('ActionCenter/Notify'),
    ];

    expect(props(secret).GenerateSecretString).toMatchObject({ PasswordLength: 48 });
    for (const [id, fn] of ours()) {
      const variables = (props(fn).Environment as { Variables: Json }).Variables;
      if (holders.includes(id)) {
        expect(JSON.stringify(variables.LINK_SECRET)).toContain(`{"Ref":"${secretId}"}`);
      } else {
        expect(variables).not.toHaveProperty('LINK_SECRET');
      }
    }
  });

  it('has one function per workflow task, running the task handler file', () => {
    for (const task of TASK_FUNCTIONS) {
      const fn = synth.stack.workflow.tasks[task.id];
      expect(fn?.function.node.path).toBe(`ActionCenter/Workflow/${task.id}/Function`);
      expect(readFileSync(resolve(REPO_ROOT, task.entry), 'utf8')).toMatch(/export const handler/);
    }
  });
});

describe('the state machine', () => {
  const machine = () => {
    const [resource] = Object.values(
      resourcesOf(synth.template, 'AWS::StepFunctions::StateMachine'),
    );
    return props(resource ?? {});
  };

  it('substitutes each task placeholder with its own function ARN', () => {
    const substitutions = machine().DefinitionSubstitutions as Json;
    for (const task of TASK_FUNCTIONS) {
      expect(substitutions[task.placeholder]).toEqual({
        'Fn::GetAtt': [functionId(`ActionCenter/Workflow/${task.id}`), 'Arn'],
      });
    }
  });

  /** The definition with each function ARN written as `arn:test:<logical id>`. */
  const renderedDefinition = () => {
    const { DefinitionString, DefinitionSubstitutions } = machine() as {
      DefinitionString: string;
      DefinitionSubstitutions: Record<string, unknown>;
    };
    const asText = Object.fromEntries(
      Object.entries(DefinitionSubstitutions).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : `arn:test:${getAttId(value)}`,
      ]),
    );
    return JSON.parse(renderDefinition(DefinitionString, asText));
  };
  const arnOf = (task: string) => `arn:test:${functionId(`ActionCenter/Workflow/${task}`)}`;

  it('investigates, then loops AwaitDecisions and Advance on one task token until nothing is open', () => {
    const { StartAt, States } = renderedDefinition();

    expect(StartAt).toBe('Investigate');
    expect(Object.keys(States).sort()).toEqual(
      ['Advance', 'AwaitDecisions', 'Concluded', 'Concluded?', 'Investigate'].sort(),
    );
    expect(States.Investigate).toMatchObject({
      Type: 'Task',
      Resource: arnOf('Investigate'),
      Next: 'AwaitDecisions',
    });
    expect(States.Advance).toMatchObject({
      Type: 'Task',
      Resource: arnOf('Advance'),
      Next: 'Concluded?',
    });
    expect(States['Concluded?']).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Concluded' }],
      Default: 'AwaitDecisions',
    });
    expect(States.Concluded).toEqual({ Type: 'Succeed' });
  });

  it('waits on the task token of AwaitDecisions for the seconds its state carries, then advances', () => {
    const wait = renderedDefinition().States.AwaitDecisions;

    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.Parameters).toMatchObject({
      FunctionName: arnOf('AwaitDecisions'),
      Payload: { 'taskToken.$': '$$.Task.Token', 'investigationId.$': '$.investigationId' },
    });
    expect(wait.TimeoutSecondsPath).toBe('$.waitSeconds');
    expect(wait.TimeoutSeconds).toBeUndefined();
    // A resumed wait and a timed-out one both go on to Advance, keeping the state as it was.
    expect(wait).toMatchObject({ ResultPath: null, Next: 'Advance' });
    expect(wait.Catch).toEqual([
      { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Advance' },
    ]);
  });

  it('hands the tasks only the investigation id, never evidence or actions', () => {
    const { States } = renderedDefinition();

    expect(States.Investigate.Parameters).toEqual({ 'investigationId.$': '$.investigationId' });
    expect(States.Advance.Parameters).toEqual({ 'investigationId.$': '$.investigationId' });
    expect(Object.keys(States.AwaitDecisions.Parameters.Payload).sort()).toEqual(
      [
        'taskToken.$',
        'investigationId.$',
        'wakesSeen.$',
        'done.$',
        'dueNow.$',
        'waitSeconds.$',
      ].sort(),
    );
  });

  it('has no timeout but the decision wait (its timeout is the next expiry or status check)', () => {
    const timed: string[] = [];
    const walk = (states: Record<string, Json>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.TimeoutSeconds !== undefined || state.TimeoutSecondsPath !== undefined) {
          timed.push(name);
        }
        const inner = (state.ItemProcessor ?? state.Iterator) as { States: never } | undefined;
        if (inner) walk(inner.States);
      }
    };
    walk(renderedDefinition().States);
    expect(timed).toEqual(['AwaitDecisions']);
  });

  it('logs everything to its log group, traces, and may invoke only its own functions', () => {
    const m = machine();
    expect(m.TracingConfiguration).toEqual({ Enabled: true });
    expect(m.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });

    const roleId = getAttId(m.RoleArn);
    const invokes = statementsOfRole(roleId).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('lambda:')),
    );
    expect(invokes).toHaveLength(1);
    const [invoke] = invokes as [Statement];
    expect(actionsOf(invoke)).toEqual(['lambda:InvokeFunction']);
    const targets = (invoke.Resource as unknown[]).map(getAttId).sort();
    expect(targets).toEqual(
      TASK_FUNCTIONS.map((t) => functionId(`ActionCenter/Workflow/${t.id}`)).sort(),
    );
  });
});

describe('least privilege', () => {
  const allStatements = (): Statement[] => [
    ...Object.values(resourcesOf(synth.template, 'AWS::IAM::Policy')).flatMap(
      (p) => (props(p).PolicyDocument as { Statement: Statement[] }).Statement,
    ),
    ...Object.values(resourcesOf(synth.template, 'AWS::IAM::Role')).flatMap((r) =>
      ((props(r).Policies as Json[] | undefined) ?? []).flatMap(
        (p) => (p.PolicyDocument as { Statement: Statement[] }).Statement,
      ),
    ),
  ];

  it('has no statement allowing every action', () => {
    const statements = allStatements();
    expect(statements.length).toBeGreaterThan(20);
    for (const statement of statements) {
      for (const action of actionsOf(statement)) {
        expect(action).not.toBe('*');
        expect(action).not.toMatch(/^[a-z0-9-]+:\*$/i);
      }
    }
  });

  it('lets no function delete items: DynamoDB TTL is the only deleter', () => {
    const allowed = allStatements()
      .filter((s) => s.Effect === 'Allow')
      .flatMap(actionsOf);
    for (const forbidden of [
      'dynamodb:DeleteItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteTable',
    ]) {
      expect(allowed.filter((a) => covers(a, forbidden))).toEqual([]);
    }
  });

  it('keeps the audit log append-only for the API functions', () => {
    for (const path of ['ActionCenter/ApiRead', 'ActionCenter/ApiDecide']) {
      const statements = statementsOfFunction(path);
      const allowed = statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf);
      expect(allowed.filter((a) => covers(a, 'dynamodb:DeleteItem'))).toEqual([]);
      if (path.endsWith('ApiRead')) {
        expect(
          allowed.filter((a) => a.startsWith('dynamodb:') && /Put|Update|Write/.test(a)),
        ).toEqual([]);
        continue;
      }
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: expect.arrayContaining(['dynamodb:DeleteItem', 'dynamodb:UpdateItem']),
          Condition: {
            'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['AUDIT', 'AUDIT_CHECKPOINT'] },
          },
        }),
      );
    }
  });

  const anyValueOf = (s: Statement) =>
    (s.Condition?.['ForAnyValue:StringEquals'] ?? {}) as Record<string, string[] | undefined>;
  /** The partitions a role's explicit Deny keeps every write off (Put, Update, Delete, BatchWrite). */
  const auditPartitionsDenied = (path: string) =>
    statementsOfFunction(path)
      .filter(
        (s) =>
          s.Effect === 'Deny' &&
          actionsOf(s).includes('dynamodb:PutItem') &&
          actionsOf(s).includes('dynamodb:BatchWriteItem') &&
          anyValueOf(s)['dynamodb:Attributes'] === undefined,
      )
      .flatMap((s) => anyValueOf(s)['dynamodb:LeadingKeys'] ?? []);

  it('lets only the reconciler, the one appender (which signs), put into the audit chain and its checkpoints', () => {
    const both = ['AUDIT', 'AUDIT_CHECKPOINT'];
    const closedTo = {
      'ActionCenter/Ingest': both,
      'ActionCenter/Workflow/AwaitDecisions': both,
      'ActionCenter/ApiDecide': both,
      'ActionCenter/ExecutionStatus': both,
      'ActionCenter/Workflow/Investigate': both,
      'ActionCenter/Workflow/Advance': both,
      'ActionCenter/Reconcile': [],
    };
    for (const [path, closed] of Object.entries(closedTo)) {
      expect([path, auditPartitionsDenied(path).sort()]).toEqual([path, closed]);
    }
  });

  it('starts the reconciler from the table stream, only for writes that owe audit records', () => {
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
    });
    const mappings = Object.values(
      resourcesOf(synth.template, 'AWS::Lambda::EventSourceMapping'),
    ) as { Properties: Record<string, unknown> }[];
    expect(mappings).toHaveLength(2);
    const mapping = mappings.find((m) =>
      JSON.stringify(m.Properties.FunctionName).includes('Reconcile'),
    );
    expect(mapping?.Properties).toMatchObject({
      StartingPosition: 'LATEST',
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              dynamodb: { NewImage: { outboxPk: { S: ['AUDIT_OWED'] } } },
            }),
          },
        ],
      },
    });
  });

  it('starts the notifier from the table stream, only for new pending actions, a few seconds at a time, failed batches dead-lettered', () => {
    const [mapping] = (
      Object.values(resourcesOf(synth.template, 'AWS::Lambda::EventSourceMapping')) as {
        Properties: Record<string, unknown>;
      }[]
    ).filter((m) => JSON.stringify(m.Properties.FunctionName).includes('Notify'));

    expect(JSON.stringify(mapping?.Properties.DestinationConfig)).toContain('DeadLetters');
    expect(mapping?.Properties).toMatchObject({
      StartingPosition: 'LATEST',
      MaximumBatchingWindowInSeconds: 3,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { queuePk: { S: ['PENDING'] } } },
            }),
          },
        ],
      },
    });
  });

  it('runs the notifier for reminders every 5 minutes', () => {
    const rules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')) as {
      Properties: Record<string, unknown>;
    }[];
    const reminders = rules.find(
      (r) =>
        r.Properties.ScheduleExpression === 'rate(5 minutes)' &&
        JSON.stringify(r.Properties.Targets).includes('Notify'),
    );

    expect(reminders).toBeDefined();
  });

  it('keeps every writer off expiresAt in the audit partitions: audit items carry no TTL', () => {
    for (const path of [
      'ActionCenter/Ingest',
      'ActionCenter/ApiDecide',
      'ActionCenter/Reconcile',
      'ActionCenter/ExecutionStatus',
      ...TASK_FUNCTIONS.map((t) => `ActionCenter/Workflow/${t.id}`),
    ]) {
      expect(statementsOfFunction(path)).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']),
          Condition: {
            'ForAnyValue:StringEquals': {
              'dynamodb:LeadingKeys': ['AUDIT', 'AUDIT_CHECKPOINT'],
              'dynamodb:Attributes': ['expiresAt'],
            },
          },
        }),
      );
    }
  });

  it('lets only the API decide function, the reconciler, ingest (an updated finding wakes its investigation) and AwaitDecisions resume waits', () => {
    const settling = [
      'ActionCenter/ApiDecide',
      'ActionCenter/Reconcile',
      'ActionCenter/Ingest',
      'ActionCenter/Workflow/AwaitDecisions',
    ];
    const paths = [
      'ActionCenter/ApiRead',
      'ActionCenter/ExecutionStatus',
      ...settling,
      ...TASK_FUNCTIONS.filter((t) => !t.sendsTaskCallbacks).map(
        (t) => `ActionCenter/Workflow/${t.id}`,
      ),
    ];
    for (const path of paths) {
      const sends = statementsOfFunction(path)
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf)
        .includes('states:SendTaskSuccess');
      expect({ path, sends }).toEqual({ path, sends: settling.includes(path) });
    }
  });
});

describe('the alert rule', () => {
  it('matches our own alerts as the local runtime does, on the configured bus, into ingest', () => {
    // One rule per enabled source (test/integration/infra/aws/alert-rules.test.ts): ours here.
    const rules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')).filter(
      (r) =>
        (props(r).EventPattern as { source?: string[] } | undefined)?.source?.[0] ===
        'actioncenter.alerts',
    );
    expect(rules).toHaveLength(1);
    const rule = props(rules[0] ?? {});
    expect(rule.EventPattern).toEqual(alertRulePattern('actioncenter.alerts'));
    expect(rule.EventBusName).toBe('default');

    const [target] = rule.Targets as Json[];
    const [queueId] = Object.keys(resourcesOf(synth.template, 'AWS::SQS::Queue'));
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': [functionId('ActionCenter/Ingest'), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });

  it('sends what cannot be processed to an encrypted, TLS-only dead-letter queue', () => {
    synth.template.resourceCountIs('AWS::SQS::Queue', 1);
    synth.template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('ActionCenter/Ingest') },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('runs the reconciler every five minutes', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('ActionCenter/Reconcile'), 'Arn'] } }),
      ],
    });
  });
});

describe('the execution status rule', () => {
  const rule = () => {
    const rules = Object.values(resourcesOf(synth.template, 'AWS::Events::Rule')).filter(
      (r) =>
        (props(r).EventPattern as { source?: string[] } | undefined)?.source?.[0] ===
        EXECUTION_STATUS_SOURCE,
    );
    expect(rules).toHaveLength(1);
    return props(rules[0] ?? {});
  };

  it('matches the failed, timed-out and stopped executions of our state machine on the default bus', () => {
    const [machineId] = Object.keys(
      resourcesOf(synth.template, 'AWS::StepFunctions::StateMachine'),
    );
    expect(rule().EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': [EXECUTION_STATUS_DETAIL_TYPE],
      detail: {
        stateMachineArn: [{ Ref: machineId }],
        status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
      },
    });
    expect([...ENDING_STATUSES]).toEqual(['FAILED', 'TIMED_OUT', 'ABORTED']);
    // No EventBusName: the default bus, the only one Step Functions sends to.
    expect(rule().EventBusName).toBeUndefined();
  });

  it('targets executionStatus, retrying for a day, then the dead-letter queue', () => {
    const [target] = rule().Targets as Json[];
    const [queueId] = Object.keys(resourcesOf(synth.template, 'AWS::SQS::Queue'));
    expect(target).toMatchObject({
      Arn: { 'Fn::GetAtt': [functionId('ActionCenter/ExecutionStatus'), 'Arn'] },
      RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
    synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId('ActionCenter/ExecutionStatus') },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('gives executionStatus the table and the state machine it checks events against', () => {
    const fn = resourcesOf(synth.template, 'AWS::Lambda::Function')[
      functionId('ActionCenter/ExecutionStatus')
    ];
    expect(
      (props(fn ?? {}).Environment as { Variables: Json }).Variables.STATE_MACHINE_ARN,
    ).toBeDefined();
    const allowed = statementsOfFunction('ActionCenter/ExecutionStatus')
      .filter((s) => s.Effect === 'Allow')
      .flatMap(actionsOf);
    expect(allowed).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query']));
    expect(allowed.filter((a) => a.startsWith('states:'))).toEqual([]);
  });
});

describe('the API', () => {
  const methods = () => Object.values(resourcesOf(synth.template, 'AWS::ApiGateway::Method'));
  const pathOf = (resourceRef: unknown): string => {
    const resources = resourcesOf(synth.template, 'AWS::ApiGateway::Resource');
    const walk = (ref: unknown): string[] => {
      const id = (ref as { Ref?: string }).Ref;
      const resource = id ? resources[id] : undefined;
      if (!resource) return [];
      return [...walk(props(resource).ParentId), props(resource).PathPart as string];
    };
    return `/${walk(resourceRef).join('/')}`;
  };

  const routeOf = (m: { Properties?: Json }) =>
    `${props(m).HttpMethod} ${pathOf(props(m).ResourceId)}`;
  const publicRoutes = API_ROUTES.filter((r) => 'public' in r).map(routeKeyOf);

  it('requires the Cognito authorizer on every method except the CORS preflights, the OpenAPI document and the signed webhook callbacks', () => {
    const [authorizerId] = Object.keys(resourcesOf(synth.template, 'AWS::ApiGateway::Authorizer'));
    synth.template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
    });
    const guarded = methods().filter(
      (m) => props(m).HttpMethod !== 'OPTIONS' && !publicRoutes.includes(routeOf(m) as never),
    );
    expect(publicRoutes).toEqual(['GET /openapi.json', 'POST /connectors/webhook/callbacks']);
    expect(guarded).toHaveLength(API_ROUTES.length - publicRoutes.length);
    for (const method of guarded) {
      expect(props(method)).toMatchObject({
        AuthorizationType: 'COGNITO_USER_POOLS',
        AuthorizerId: { Ref: authorizerId },
        RequestValidatorId: expect.anything(),
      });
    }
    for (const preflight of methods().filter((m) => props(m).HttpMethod === 'OPTIONS')) {
      expect(props(preflight).Integration).toMatchObject({ Type: 'MOCK' });
    }
    for (const route of publicRoutes) {
      const method = methods().find((m) => routeOf(m) === route);
      expect({ route, ...props(method ?? {}) }).toMatchObject({ route, AuthorizationType: 'NONE' });
      expect(props(method ?? {}).AuthorizerId).toBeUndefined();
    }
  });

  it('validates every decision body at the edge with a model made from its zod schema', () => {
    const models = resourcesOf(synth.template, 'AWS::ApiGateway::Model');
    const modelOf = (route: string) => {
      const method = methods().find((m) => routeOf(m) === route);
      const ref = (props(method ?? {}).RequestModels as Json | undefined)?.['application/json'];
      const model = models[(ref as { Ref: string }).Ref];
      return props(model ?? {});
    };
    for (const verb of ['approve', 'reject', 'undo']) {
      expect(modelOf(`POST /actions/{id}/${verb}`)).toMatchObject({
        Name: 'DecisionBody',
        Schema: {
          $schema: 'http://json-schema.org/draft-04/schema#',
          type: 'object',
          properties: { comment: { type: 'string', maxLength: 2000 } },
          additionalProperties: false,
        },
      });
    }
    expect(modelOf('POST /actions/decisions')).toMatchObject({
      Name: 'BulkDecisionBody',
      Schema: { additionalProperties: false },
    });
    expect(modelOf('POST /actions/decisions').Schema).toMatchObject({
      properties: { actionIds: { items: { pattern: '^act-([0-9a-f]{20})-[0-9a-f]{12}$' } } },
    });
  });

  it('declares the path parameters as required and the query parameters of each route schema', () => {
    const validators = resourcesOf(synth.template, 'AWS::ApiGateway::RequestValidator');
    for (const method of methods().filter((m) => props(m).HttpMethod !== 'OPTIONS')) {
      const route = routeOf(method) as keyof typeof ROUTE_SCHEMAS;
      const query = Object.keys(ROUTE_SCHEMAS[route].query.shape);
      const expected = Object.fromEntries([
        ...[...route.matchAll(/\{(\w+)\}/g)].map((m) => [`method.request.path.${m[1]}`, true]),
        ...query.map((name) => [`method.request.querystring.${name}`, false]),
      ]);
      expect(props(method).RequestParameters ?? {}).toEqual(expected);
      const validator = validators[(props(method).RequestValidatorId as { Ref: string }).Ref];
      expect(props(validator ?? {})).toMatchObject({
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
    }
  });

  it('serves the routes of API.md, GET to the read function and POST to the decide one', () => {
    const declared = methods()
      .filter((m) => props(m).HttpMethod !== 'OPTIONS')
      .map((m) => {
        const uri = JSON.stringify((props(m).Integration as Json).Uri);
        return {
          route: `${props(m).HttpMethod} ${pathOf(props(m).ResourceId)}`,
          target: uri.includes(functionId('ActionCenter/ApiRead')) ? 'read' : 'decide',
        };
      })
      .sort((a, b) => a.route.localeCompare(b.route));
    expect(declared).toEqual(
      API_ROUTES.map((r) => ({ route: `${r.method} ${r.path}`, target: targetOf(r) })).sort(
        (a, b) => a.route.localeCompare(b.route),
      ),
    );
  });

  it('serves the rejected alerts to readers: the read function, behind the Cognito authorizer', () => {
    const method = methods().find((m) => routeOf(m) === 'GET /alerts/rejected');
    const uri = JSON.stringify((props(method ?? {}).Integration as Json | undefined)?.Uri);

    expect(props(method ?? {})).toMatchObject({
      AuthorizationType: 'COGNITO_USER_POOLS',
      RequestParameters: {
        'method.request.querystring.limit': false,
        'method.request.querystring.cursor': false,
      },
    });
    expect(uri).toContain(functionId('ActionCenter/ApiRead'));
  });

  it('declares the same routes as the handlers route', () => {
    const routed = ['functions/api/read-routes.ts', 'functions/api/decide-routes.ts'].flatMap(
      (file) =>
        [
          ...readFileSync(resolve(REPO_ROOT, file), 'utf8').matchAll(
            /method: '(GET|POST)',\s*path: '([^']+)'/g,
          ),
        ].map((m) => `${m[1]} ${m[2]}`),
    );
    expect(routed.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('validates the bulk decision body, logs access, traces and throttles', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Model', {
      ContentType: 'application/json',
      Schema: Match.objectLike({
        required: ['actionIds', 'decision'],
        properties: Match.objectLike({
          actionIds: Match.objectLike({ type: 'array', minItems: 1, maxItems: 100 }),
          decision: { type: 'string', enum: ['approve', 'reject', 'undo'] },
        }),
      }),
    });
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      },
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ],
    });
  });

  it("answers the gateway's own errors in the contract's shape", () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      StatusCode: '401',
      ResponseTemplates: {
        'application/json': Match.stringLikeRegexp('"error":\\{"code":"Unauthorized"'),
      },
    });
  });

  it("answers a body or parameter refused at the edge with the handlers' 400 shape", () => {
    const responses = Object.values(
      resourcesOf(synth.template, 'AWS::ApiGateway::GatewayResponse'),
    );
    for (const type of ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS']) {
      const response = responses.find((r) => props(r).ResponseType === type);
      expect(props(response ?? {}).StatusCode).toBe('400');
      const template = (props(response ?? {}).ResponseTemplates as Json)['application/json'];
      const body = ErrorBody.parse(JSON.parse(template as string));
      expect(body.error.code).toBe('ValidationFailed');
      expect(body.error.details).toMatchObject({
        fields: expect.any(Object),
        requestId: '$context.requestId',
      });
    }
  });

  it('has one user pool group per role of API.md, and MFA for everyone', () => {
    const groups = Object.values(resourcesOf(synth.template, 'AWS::Cognito::UserPoolGroup')).map(
      (g) => props(g).GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
  });
});

describe('the page', () => {
  it('is a private bucket behind CloudFront with origin access control and security headers', () => {
    synth.template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    synth.template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          ContentSecurityPolicy: Match.objectLike({ Override: true }),
          StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true, Preload: true }),
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ContentTypeOptions: { Override: true },
        }),
      }),
    });
    synth.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          ResponseHeadersPolicyId: Match.anyValue(),
        }),
        CacheBehaviors: [Match.objectLike({ PathPattern: '/api/*' })],
      }),
    });
  });

  it('uploads the built page with the config.json the page reads', () => {
    synth.template.resourceCountIs('Custom::CDKBucketDeployment', 1);
    // The shape of web/src/config.ts `HostConfig` (the page's own schema; it builds with DOM types).
    const { auth, apiBase } = synth.stack.hostConfig;
    const resolved = (value: string) => synth.stack.resolve(value);
    expect(apiBase).toBe('/api');
    expect(auth.mode).toBe('cognito');
    expect(auth.scopes).toEqual(['openid', 'email', 'profile']);
    expect(resolved(auth.clientId)).toEqual({ Ref: expect.stringMatching(/WebClient/) });
    expect(resolved(auth.domain)).toBe(
      'https://actioncenter-123456789012.auth.eu-west-1.amazoncognito.com',
    );
    expect(JSON.stringify(resolved(auth.redirectUri))).toMatch(/DistributionDomainName|DomainName/);
  });
});

describe('the alarms', () => {
  it('watch the dead letters, failed investigations, API 5xx and the business metrics', () => {
    const alarms = Object.values(resourcesOf(synth.template, 'AWS::CloudWatch::Alarm'));
    // Eight, and one per severity on its SLA.
    expect(alarms).toHaveLength(8 + 5);
    const topicId = logicalIdOf(synth.stack.alarms.topic);
    for (const alarm of alarms) {
      expect(props(alarm).AlarmActions).toEqual([{ Ref: topicId }]);
    }
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
    });
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5XXError',
      Namespace: 'AWS/ApiGateway',
    });
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'ExecutionsFailed' }),
          }),
        }),
      ]),
    });
  });

  it('read the EMF metrics the functions publish, not log patterns', () => {
    synth.template.resourceCountIs('AWS::Logs::MetricFilter', 0);
    const business = (MetricName: string) => ({
      MetricName,
      Namespace: 'ActionCenter',
      Dimensions: [{ Name: 'service', Value: 'action-center' }],
    });
    for (const name of [
      'ActionsExpired',
      'AlertsRejected',
      'CallbacksFailed',
      'RemediationsFailed',
    ]) {
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...business(name),
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    // Six of the seven pending days.
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...business('OldestPendingActionAge'),
      Statistic: 'Maximum',
      Threshold: 6 * 86_400,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire when an action of a severity has waited past its SLA, as notifySlaMinutes sets it', () => {
    const alarmsOf = (template: typeof synth.template) =>
      Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
        .map(props)
        .filter((p) => (p.Dimensions as { Name: string }[] | undefined)?.length === 2);
    const thresholds = (template: typeof synth.template) =>
      Object.fromEntries(
        alarmsOf(template).map((p) => {
          const dimensions = p.Dimensions as { Name: string; Value: string }[];
          expect(p).toMatchObject({
            MetricName: 'OldestPendingActionAge',
            Namespace: 'ActionCenter',
            Statistic: 'Maximum',
            ComparisonOperator: 'GreaterThanThreshold',
          });
          return [dimensions.find((d) => d.Name === 'severity')?.Value, p.Threshold];
        }),
      );

    const tuned = synthesize({ notifySlaMinutes: '{"critical":5,"low":120}' });

    // The defaults: critical 15, high 60, medium 240, low and informational 1440 minutes.
    expect(thresholds(synth.template)).toEqual({
      critical: 900,
      high: 3600,
      medium: 14_400,
      low: 86_400,
      informational: 86_400,
    });
    expect(thresholds(tuned.template)).toMatchObject({ critical: 300, high: 3600, low: 7200 });
    expect(() => synthesize({ notifySlaMinutes: '{"critical":0}' })).toThrow(
      /notifySlaMinutes.*critical must be 1 to 10080 minutes/,
    );
  });

  it('notify an encrypted topic with the configured e-mail subscription', () => {
    synth.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: TEST_CONTEXT.alarmEmail,
      TopicArn: { Ref: logicalIdOf(synth.stack.alarms.topic) },
    });
  });
});

describe('the notifications topic', () => {
  const topicId = () => logicalIdOf(synth.stack.notifications.topic);

  it("is encrypted with the stack's key and refuses requests without TLS", () => {
    const topic = resourcesOf(synth.template, 'AWS::SNS::Topic')[topicId()];
    const policies = Object.values(resourcesOf(synth.template, 'AWS::SNS::TopicPolicy')).filter(
      (p) => JSON.stringify(props(p).Topics) === JSON.stringify([{ Ref: topicId() }]),
    );

    expect(props(topic ?? {})).toEqual({
      DisplayName: 'Action Center',
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(synth.stack.storage.key), 'Arn'] },
    });
    expect(policies).toHaveLength(1);
    expect(
      (props(policies[0] ?? {}).PolicyDocument as { Statement: Statement[] }).Statement,
    ).toEqual([
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Resource: { Ref: topicId() },
      }),
    ]);
  });

  it('subscribes each address of notifyEmails by e-mail', () => {
    const subscriptions = Object.values(resourcesOf(synth.template, 'AWS::SNS::Subscription'))
      .map(props)
      .filter((p) => JSON.stringify(p.TopicArn) === JSON.stringify({ Ref: topicId() }));

    expect(subscriptions).toEqual([
      expect.objectContaining({ Protocol: 'email', Endpoint: 'soc-oncall@example.com' }),
      expect.objectContaining({ Protocol: 'email', Endpoint: 'secops-lead@example.com' }),
    ]);
  });

  it('is named to the notifier only, which may publish to it and nothing more, and use the key only through SNS', () => {
    const functions = resourcesOf(synth.template, 'AWS::Lambda::Function');
    const notifyId = functionId('ActionCenter/Notify');
    const naming = Object.entries(functions)
      .filter(([, fn]) => JSON.stringify(props(fn).Environment).includes(`"${topicId()}"`))
      .map(([id]) => id);
    const onTopic = (s: Statement) => JSON.stringify(s.Resource).includes(`"${topicId()}"`);
    const rolesOnTopic = Object.keys(resourcesOf(synth.template, 'AWS::IAM::Role')).filter(
      (roleId) => statementsOfRole(roleId).some(onTopic),
    );
    const notifier = statementsOfFunction('ActionCenter/Notify');

    expect(naming).toEqual([notifyId]);
    expect(
      (props(functions[notifyId] ?? {}).Environment as { Variables: Json }).Variables
        .NOTIFY_TOPIC_ARN,
    ).toEqual({ Ref: topicId() });
    expect(rolesOnTopic).toEqual([getAttId(props(functions[notifyId] ?? {}).Role)]);
    expect(notifier.filter((s) => actionsOf(s).some((a) => a.startsWith('sns:')))).toEqual([
      {
        Sid: 'PublishNotifications',
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: { Ref: topicId() },
      },
    ]);
    expect(notifier).toContainEqual({
      Sid: 'EncryptNotifications',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: { 'Fn::GetAtt': [logicalIdOf(synth.stack.storage.key), 'Arn'] },
      Condition: { StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
    });
  });

  it('has its ARN among the outputs', () => {
    synth.template.hasOutput('NotificationTopicArn', { Value: { Ref: topicId() } });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no finding that is not acknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    expect(
      report.violations.map((v) => `${v.ruleName} ${v.violatingResources[0]?.constructPath}`),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('gives every acknowledgment a specific reason', () => {
    const acknowledged = synth.app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect({ id, reason: reason.length > 60 }).toEqual({ id, reason: true });
    }
  });

  it('acknowledges only findings that exist (no stale suppression)', () => {
    // The same app with acknowledgments ignored: every acknowledged id must be a real finding.
    const original = Validations.prototype.acknowledge;
    Validations.prototype.acknowledge = () => undefined;
    let raw: ReturnType<AwsSolutionsChecks['validateScope']>;
    try {
      const { app } = createActionCenterApp(
        new App({ context: { ...CDK_JSON_CONTEXT, ...TEST_CONTEXT } }),
      );
      raw = new AwsSolutionsChecks().validateScope(app);
    } finally {
      Validations.prototype.acknowledge = original;
    }
    const findings = new Set(
      raw.violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`),
      ),
    );
    const acknowledgedIds = synth.app.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.keys(m.data as object).map((id) => ({ id, path: c.node.path }))),
      )
      .map(({ id, path }) => ({ id: id.replace(/^[A-Za-z-]+::/, ''), path }))
      .filter(({ id }) => id.startsWith('AwsSolutions-'));
    for (const { id, path } of acknowledgedIds) {
      const used = [...findings].some((f) => f.startsWith(`${id} ${path}`));
      expect({ id, path, used }).toEqual({ id, path, used: true });
    }
  });
});
