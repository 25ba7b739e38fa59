// The investigation state machine from statemachines/investigation.asl.json, with the shared
// DefinitionSubstitutions (statemachines/substitutions.ts) and one function per task.
import { ArnFormat, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { TASK_FUNCTIONS, type TaskFunctionId } from '../../../functions/entries.js';
import {
  definitionTemplate,
  type InvestigationWorkflowSettings,
  investigationSubstitutions,
} from '../../../statemachines/substitutions.js';
import {
  ActionCenterFunction,
  type BundledFile,
  type FunctionDefaults,
} from './action-center-function.js';

/**
 * The state machine's ARN from its name. Functions that call back into the workflow (task-token
 * callbacks) get this string rather than a reference to the resource, which would be circular:
 * the state machine already refers to those functions.
 */
export function stateMachineArnOf(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

export interface WorkflowProps {
  readonly defaults: FunctionDefaults;
  readonly table: ITable;
  readonly key: IKey;
  readonly stateMachineName: string;
  readonly settings?: Partial<InvestigationWorkflowSettings>;
  readonly logRetention: RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** For the tasks that ask the approval policies: Cedar's engine, the policy file, its setting. */
  readonly approvalPolicies?: { files: BundledFile[]; environment: Record<string, string> };
}

export class Workflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly logs: LogGroup;
  readonly tasks: Record<TaskFunctionId, ActionCenterFunction>;
  readonly substitutions: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const stateMachineArn = stateMachineArnOf(this, props.stateMachineName);

    this.tasks = Object.fromEntries(
      TASK_FUNCTIONS.map((task) => {
        const fn = new ActionCenterFunction(this, task.id, {
          defaults: props.defaults,
          entry: task.entry,
          ...('usesApprovalPolicies' in task &&
            task.usesApprovalPolicies &&
            props.approvalPolicies && {
              files: props.approvalPolicies.files,
              environment: props.approvalPolicies.environment,
            }),
          description: `Action Center workflow: ${task.description}`,
          timeout: Duration.seconds(task.timeoutSeconds),
          table: {
            table: props.table,
            key: props.key,
            access: task.table,
            ...('audit' in task && { audit: task.audit }),
          },
        });
        if (task.sendsTaskCallbacks) grantTaskCallbacks(fn, stateMachineArn);
        return [task.id, fn];
      }),
    ) as Record<TaskFunctionId, ActionCenterFunction>;

    // A generated name: a retained log group of a destroyed stack cannot block a new deployment.
    this.logs = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });

    const arns = Object.fromEntries(
      Object.entries(this.tasks).map(([taskId, fn]) => [taskId, fn.function.functionArn]),
    ) as Record<TaskFunctionId, string>;
    this.substitutions = investigationSubstitutions(arns, props.settings);

    this.stateMachine = new StateMachine(this, 'Investigation', {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      // The ASL file with its number placeholders unquoted (substitutions.ts): the file itself
      // stays valid JSON, the definition CloudFormation substitutes carries real numbers.
      definitionBody: DefinitionBody.fromString(definitionTemplate()),
      definitionSubstitutions: this.substitutions,
      // Execution data (alert evidence, task tokens) stays out of the logs; the execution
      // history has it for whoever may read executions.
      logs: { destination: this.logs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // Only its own functions, by exact ARN (the ASL names unqualified ARNs).
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        sid: 'InvokeOwnTasks',
        actions: ['lambda:InvokeFunction'],
        resources: Object.values(arns),
      }),
    );
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'CloudWatch Logs vended delivery (logs:CreateLogDelivery and the related calls) and X-Ray (xray:PutTraceSegments and the related calls) support no resource-level permissions; CDK grants exactly those on "*".',
    });
  }

  taskFunction(id: TaskFunctionId): ActionCenterFunction {
    const fn = this.tasks[id];
    if (!fn) throw new Error(`No function for the workflow task ${id}`);
    return fn;
  }
}

/** SendTaskSuccess / SendTaskFailure on the investigation state machine only. */
export function grantTaskCallbacks(fn: ActionCenterFunction, stateMachineArn: string): void {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'SettleTaskTokens',
      actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
      resources: [stateMachineArn],
    }),
  );
}
