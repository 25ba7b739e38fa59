// An in-process Step Functions: runs ASL state machines with aws-local-stepfunctions, invokes
// Lambda ARNs as in-process handlers, and adds what the engine lacks: `.waitForTaskToken` with
// task tokens, SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, the waiting task's
// TimeoutSeconds or TimeoutSecondsPath, named, describable executions, and the 256 KiB payload limit (data-limits.ts).
// Inputs and outputs follow the Step Functions API shapes, so an AWS-JSON HTTP endpoint is a thin
// mapping over this class.
import { randomUUID } from 'node:crypto';
import type {
  CreateStateMachineInput,
  CreateStateMachineOutput,
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  ListExecutionsInput,
  SendTaskFailureInput,
  SendTaskHeartbeatInput,
  SendTaskSuccessInput,
  StartExecutionInput,
  StartExecutionOutput,
  StopExecutionInput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import type { Context as LambdaContext } from 'aws-lambda';
import { ExecutionTimeoutError, type RunOptions, StateMachine } from 'aws-local-stepfunctions';
import { checkLength, checkName, checkStatusFilter, pageSize } from './api-rules.js';
import {
  checkApiPayload,
  checkTaskPayload,
  DATA_LIMIT_EXCEEDED,
  overLimit,
  resultTooLarge,
} from './data-limits.js';
import {
  attemptTimeout,
  type PreparedDefinition,
  type PreparedTask,
  prepareDefinition,
  withTaskToken,
} from './definition.js';
import {
  ExecutionClosedError,
  LambdaFunctionError,
  StepFunctionsError,
  TaskFailure,
} from './errors.js';
import { apiHistory, historyPage } from './execution-history.js';
import { TokenKey } from './signed-tokens.js';
import { TaskTokens, type WaitingTask } from './task-tokens.js';

type EventLog =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;
type TaskHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;

/** A Lambda handler as the runtime calls it: a JSON event in, a JSON result (or an error) out. */
export type LambdaHandler = (event: never, context: LambdaContext) => unknown;

export interface LocalStepFunctionsOptions {
  /** Handlers by function ARN or function name: a Task's Lambda ARN resolves to one of them. */
  functions: Record<string, LambdaHandler>;
  region?: string;
  accountId?: string;
  /** Pause of a state's Retry in milliseconds, by state name (tests make retries fast). */
  retryIntervalOverrides?: Record<string, number | number[]>;
  /**
   * A wait that SendTaskSuccess or SendTaskFailure settled continues once this settles (the
   * runtime: once the burst of callbacks it came in is over, infra/local/callback-burst.ts). The
   * call itself answers at once and closes the token, as in AWS.
   */
  resumeWhen?: () => Promise<void>;
  /** Told about every execution that starts or ends: the hook for persistence. */
  onExecutionChange?: (execution: ExecutionRecord) => void;
  /** How many history events are kept per execution (oldest dropped first). */
  historyLimit?: number;
  clock?: () => Date;
  /** The key of task and paging tokens: kept in DATA_DIR, so tokens outlive a restart (else random). */
  tokenSecret?: string;
}

/** An execution as plain, serializable data (what persistence stores and restores). */
export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** One event of an execution's history (a simplified GetExecutionHistory). */
export interface HistoryEvent {
  timestamp: Date;
  type: EventLog['type'];
  stateName?: string;
  /** The state's ASL Type (Task, Pass, Map ...): AWS's event type names start with it. */
  stateType?: string;
  /** The Map iteration the event belongs to. */
  index?: number;
  error?: string;
  cause?: string;
  /** A state's input (StateEntered) or output (StateExited) as JSON text, as AWS records it. */
  data?: string;
}

interface Machine {
  stateMachineArn: string;
  name: string;
  definition: string;
  prepared: PreparedDefinition;
  creationDate: Date;
}

interface Execution {
  record: ExecutionRecord;
  machine: Machine;
  abort?: () => void;
  done: Promise<ExecutionRecord>;
  finish(record: ExecutionRecord): void;
  history: HistoryEvent[];
}

const SHUTDOWN_GRACE_MS = 5_000;
const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

function parseJson(text: string | undefined, fallback: string, onError: () => Error): unknown {
  try {
    return JSON.parse(text ?? fallback);
  } catch {
    throw onError();
  }
}

/**
 * Lets the execution's event log catch up: the engine runs the next state before its events are
 * read, and a state output over the limit, seen there, must fail the execution before it goes on.
 */
const eventsRead = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** What a Lambda invocation does to a value: JSON in, JSON out (undefined becomes null). */
const overTheWire = (value: unknown): unknown =>
  value === undefined ? null : JSON.parse(JSON.stringify(value));

export class LocalStepFunctions {
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokenKey: TokenKey;
  private readonly tokens: TaskTokens;
  /** Handler invocations under way: shutdown waits for them, so none touches a closed store. */
  private readonly invocations = new Set<Promise<unknown>>();
  private readonly region: string;
  private readonly accountId: string;
  private readonly clock: () => Date;
  private closed = false;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.clock = options.clock ?? (() => new Date());
    this.tokenKey = new TokenKey(options.tokenSecret);
    this.tokens = new TaskTokens(this.tokenKey);
  }

  /** Registers a state machine (idempotent for the same name and definition). */
  async createStateMachine(
    input: Pick<CreateStateMachineInput, 'name' | 'definition'> & { type?: 'STANDARD' },
  ): Promise<CreateStateMachineOutput> {
    const { name, definition } = input;
    if (!name || !STATE_MACHINE_NAME.test(name)) {
      throw new StepFunctionsError('InvalidName', `Invalid state machine name: ${name}`);
    }
    const stateMachineArn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const existing = this.machines.get(stateMachineArn);
    if (existing) {
      if (existing.definition === definition) {
        return { stateMachineArn, creationDate: existing.creationDate };
      }
      throw new StepFunctionsError(
        'StateMachineAlreadyExists',
        `State machine ${name} already exists with another definition`,
      );
    }
    const parsed = parseJson(definition, '', () => {
      return new StepFunctionsError('InvalidDefinition', 'The definition is not JSON');
    });
    const prepared = prepareDefinition(parsed);
    try {
      // Validates the ASL (paths, ARNs, reachability) once, here.
      new StateMachine(prepared.engineDefinition as never);
    } catch (error) {
      throw new StepFunctionsError('InvalidDefinition', (error as Error).message);
    }
    const creationDate = this.clock();
    this.machines.set(stateMachineArn, {
      stateMachineArn,
      name,
      definition: definition as string,
      prepared,
      creationDate,
    });
    return { stateMachineArn, creationDate };
  }

  /**
   * Starts an execution. As for Standard workflows in AWS, the same name with the same input
   * while it runs answers the running execution; otherwise a used name is ExecutionAlreadyExists.
   */
  async startExecution(input: StartExecutionInput): Promise<StartExecutionOutput> {
    this.assertOpen();
    checkApiPayload('input', input.input);
    const machine = this.machine(input.stateMachineArn);
    const name = checkName(input.name ?? randomUUID());
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const text = input.input ?? '{}';
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.record.status === 'RUNNING' && existing.record.input === text) {
        return { executionArn, startDate: new Date(existing.record.startDate) };
      }
      throw new StepFunctionsError(
        'ExecutionAlreadyExists',
        `Execution already exists: '${executionArn}'`,
      );
    }
    const value = parseJson(text, '{}', () => {
      return new StepFunctionsError('InvalidExecutionInput', 'The execution input is not JSON');
    });
    const startDate = this.clock();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: machine.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: startDate.toISOString(),
      input: text,
    };
    this.launch(machine, record, value);
    return { executionArn, startDate };
  }

  /**
   * Runs a RUNNING execution again from its start, under its own name (after a restart: the
   * engine cannot resume mid-way, and the task handlers are idempotent, so replaying is safe).
   */
  async restoreExecution(record: ExecutionRecord): Promise<void> {
    this.assertOpen();
    const machine = this.machine(record.stateMachineArn);
    if (this.executions.has(record.executionArn)) {
      throw new StepFunctionsError(
        'ExecutionAlreadyExists',
        `Execution already exists: '${record.executionArn}'`,
      );
    }
    if (record.status !== 'RUNNING') {
      this.executions.set(record.executionArn, this.closedExecution(machine, record));
      return;
    }
    const value = parseJson(record.input, '{}', () => {
      return new StepFunctionsError('InvalidExecutionInput', 'The execution input is not JSON');
    });
    const { executionArn, stateMachineArn, name, startDate, input } = record;
    this.launch(
      machine,
      { executionArn, stateMachineArn, name, status: 'RUNNING', startDate, input },
      value,
    );
  }

  async describeExecution(input: DescribeExecutionInput): Promise<DescribeExecutionOutput> {
    const { record } = this.execution(input.executionArn);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: new Date(record.startDate),
      ...(record.stopDate && { stopDate: new Date(record.stopDate) }),
      input: record.input,
      ...(record.output !== undefined && { output: record.output }),
      ...(record.error !== undefined && { error: record.error }),
      ...(record.cause !== undefined && { cause: record.cause }),
    };
  }

  /**
   * Newest first, as AWS lists them, `maxResults` at a time (default 100); `nextToken` is a sealed
   * position (the last start date and ARN seen), so executions started meanwhile do not shift pages.
   */
  async listExecutions(
    input: Pick<
      ListExecutionsInput,
      'stateMachineArn' | 'statusFilter' | 'maxResults' | 'nextToken'
    > = {},
  ): Promise<{ executions: ExecutionListItem[]; nextToken?: string }> {
    const statusFilter = checkStatusFilter(input.statusFilter);
    const size = pageSize(input.maxResults);
    if (input.stateMachineArn !== undefined) this.machine(input.stateMachineArn);
    const after =
      input.nextToken === undefined ? undefined : listPosition(this.tokenKey.open(input.nextToken));
    const newestFirst = [...this.executions.values()]
      .map((e) => e.record)
      .filter((r) => !input.stateMachineArn || r.stateMachineArn === input.stateMachineArn)
      .filter((r) => !statusFilter || r.status === statusFilter)
      .sort(newerFirst)
      .filter((r) => !after || newerFirst(after, r) < 0);
    const page = newestFirst.slice(0, size);
    const last = page.at(-1);
    const executions = page.map((r) => ({
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: new Date(r.startDate),
      ...(r.stopDate && { stopDate: new Date(r.stopDate) }),
    }));
    return {
      executions,
      ...(last &&
        newestFirst.length > size && {
          nextToken: this.tokenKey.seal({
            startDate: last.startDate,
            executionArn: last.executionArn,
          }),
        }),
    };
  }

  async describeStateMachine(
    input: DescribeStateMachineInput,
  ): Promise<DescribeStateMachineOutput> {
    const machine = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: machine.stateMachineArn,
      name: machine.name,
      status: 'ACTIVE',
      definition: machine.definition,
      roleArn: this.roleArn(),
      type: 'STANDARD',
      creationDate: machine.creationDate,
    };
  }

  /** The execution's history in AWS's shape, paged as GetExecutionHistory pages it. */
  async getExecutionHistory(input: GetExecutionHistoryInput): Promise<GetExecutionHistoryOutput> {
    const execution = this.execution(input.executionArn);
    const history = apiHistory(execution.record, execution.history, this.roleArn());
    return historyPage(history, input, this.tokenKey);
  }

  async stopExecution(input: StopExecutionInput): Promise<StopExecutionOutput> {
    checkLength('error', input.error);
    checkLength('cause', input.cause);
    const execution = this.execution(input.executionArn);
    if (execution.record.status === 'RUNNING') {
      this.close(execution, {
        status: 'ABORTED',
        ...(input.error !== undefined && { error: input.error }),
        ...(input.cause !== undefined && { cause: input.cause }),
      });
    }
    return { stopDate: new Date(execution.record.stopDate ?? this.clock().toISOString()) };
  }

  async sendTaskSuccess(input: SendTaskSuccessInput): Promise<void> {
    checkApiPayload('output', input.output);
    const output = parseJson(input.output, '', () => {
      return new StepFunctionsError('InvalidOutput', 'The task output is not JSON');
    });
    this.settleTask(input.taskToken, (wait) => this.resume(() => wait.resolve(output)));
  }

  async sendTaskFailure(input: SendTaskFailureInput): Promise<void> {
    checkLength('error', input.error);
    checkLength('cause', input.cause);
    const failure = new TaskFailure(input.error ?? 'States.TaskFailed', input.cause ?? '');
    this.settleTask(input.taskToken, (wait) => this.resume(() => wait.reject(failure)));
  }

  async sendTaskHeartbeat(input: SendTaskHeartbeatInput): Promise<void> {
    if (this.tokens.heartbeat(input.taskToken as string) || this.replayedWait(input.taskToken))
      return;
    this.taskGone(input.taskToken);
  }

  /** Tasks waiting for a token now (of one execution, or all). */
  waitingTasks(executionArn?: string): WaitingTask[] {
    return this.tokens.list(executionArn);
  }

  /** The execution's events so far, oldest first. */
  executionHistory(executionArn: string): HistoryEvent[] {
    return [...this.execution(executionArn).history];
  }

  /** Resolves when the execution has ended (succeeded, failed, timed out or stopped). */
  async waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    return this.execution(executionArn).done;
  }

  /**
   * Stops every running execution and its timers, and waits for the handlers still running; the
   * engine takes no new executions.
   */
  async shutdown(): Promise<void> {
    this.closed = true;
    const running = [...this.executions.values()].filter((e) => e.record.status === 'RUNNING');
    for (const execution of running) {
      this.close(execution, { status: 'ABORTED', cause: 'The local engine shut down' });
    }
    await Promise.all(running.map((e) => e.done));
    await Promise.race([
      Promise.allSettled([...this.invocations]),
      // A handler stuck longer than a slow store call is left behind, not waited for forever.
      new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref()),
    ]);
  }

  /** A placeholder role: the local engine runs as no one, but AWS always names one. */
  private roleArn(): string {
    return `arn:aws:iam::${this.accountId}:role/local-step-functions`;
  }

  private assertOpen(): void {
    if (this.closed)
      throw new StepFunctionsError('ValidationException', 'The local engine is shut down');
  }

  private machine(stateMachineArn: string | undefined): Machine {
    const machine = stateMachineArn ? this.machines.get(stateMachineArn) : undefined;
    if (!machine) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${stateMachineArn}'`,
      );
    }
    return machine;
  }

  private execution(executionArn: string | undefined): Execution {
    const execution = executionArn ? this.executions.get(executionArn) : undefined;
    if (!execution) {
      throw new StepFunctionsError(
        'ExecutionDoesNotExist',
        `Execution Does Not Exist: '${executionArn}'`,
      );
    }
    return execution;
  }

  private closedExecution(machine: Machine, record: ExecutionRecord): Execution {
    return {
      record,
      machine,
      done: Promise.resolve(record),
      finish: () => undefined,
      history: [],
    };
  }

  private launch(machine: Machine, record: ExecutionRecord, input: unknown): void {
    let finish!: (record: ExecutionRecord) => void;
    const done = new Promise<ExecutionRecord>((resolve) => {
      finish = resolve;
    });
    const execution: Execution = { record, machine, done, finish, history: [] };
    this.executions.set(record.executionArn, execution);
    this.options.onExecutionChange?.({ ...record });

    const stateMachine = new StateMachine(machine.prepared.engineDefinition as never, {
      validationOptions: { noValidate: true },
    });
    const run = stateMachine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: this.taskHandlers(execution),
        ...(this.options.retryIntervalOverrides && {
          retryIntervalOverrides: this.options.retryIntervalOverrides,
        }),
      },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          StartTime: record.startDate,
        },
        StateMachine: { Id: machine.stateMachineArn, Name: machine.name },
      },
      noThrowOnAbort: true,
    });
    execution.abort = run.abort;
    void this.recordHistory(execution, run.eventLogs);
    run.result.then(
      async (output) => {
        await eventsRead();
        if (execution.record.status !== 'RUNNING') return;
        this.close(execution, { status: 'SUCCEEDED', output: JSON.stringify(output ?? null) });
      },
      async (error: unknown) => {
        await eventsRead();
        if (execution.record.status !== 'RUNNING') return;
        if (error instanceof ExecutionTimeoutError) {
          this.close(execution, { status: 'TIMED_OUT' });
          return;
        }
        const cause = (error as Error).cause as Error | undefined;
        const failure = cause ?? (error as Error);
        this.close(execution, {
          status: 'FAILED',
          error: failure.name,
          cause: failure.message,
        });
      },
    );
  }

  private close(
    execution: Execution,
    end: Pick<ExecutionRecord, 'status' | 'output' | 'error' | 'cause'>,
  ): void {
    execution.record = { ...execution.record, ...end, stopDate: this.clock().toISOString() };
    this.tokens.closeExecution(
      execution.record.executionArn,
      new ExecutionClosedError(`Execution ${execution.record.status}`),
    );
    if (end.status === 'ABORTED') execution.abort?.();
    this.options.onExecutionChange?.({ ...execution.record });
    // After pending callbacks, so the history has the execution's last events when it resolves.
    setImmediate(() => execution.finish(execution.record));
  }

  private async recordHistory(
    execution: Execution,
    events: AsyncGenerator<EventLog>,
  ): Promise<void> {
    const limit = this.options.historyLimit ?? 1000;
    for await (const event of events) {
      const entry: HistoryEvent = { timestamp: new Date(event.timestamp), type: event.type };
      if ('state' in event) {
        entry.stateName = event.state.name;
        entry.stateType = event.state.type;
      }
      if ('parentState' in event) entry.stateName = event.parentState.name;
      if ('index' in event && event.index !== undefined) entry.index = event.index;
      if (event.type === 'StateEntered') entry.data = JSON.stringify(event.state.input ?? null);
      if (event.type === 'StateExited') entry.data = JSON.stringify(event.state.output ?? null);
      if ('Error' in event) {
        entry.error = event.Error;
        entry.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
      }
      execution.history.push(entry);
      if (execution.history.length > limit) execution.history.shift();
      if (event.type === 'StateExited' && overLimit(event.state.output)) {
        this.failOverLimit(execution, event.state.name);
      }
      if (execution.record.status !== 'RUNNING' && event.type.startsWith('Execution')) return;
    }
  }

  /** A state's output over the limit: terminal, whatever the state's Catch, as in AWS. */
  private failOverLimit(execution: Execution, stateName: string): void {
    if (execution.record.status !== 'RUNNING') return;
    this.close(execution, {
      status: 'FAILED',
      error: DATA_LIMIT_EXCEEDED,
      cause: resultTooLarge(stateName),
    });
    execution.abort?.();
  }

  private taskHandlers(execution: Execution): TaskHandlers {
    const handlers: TaskHandlers = {};
    for (const task of execution.machine.prepared.tasks.values()) {
      handlers[task.stateName] = (input) =>
        this.runTask(execution, task, input) as ReturnType<TaskHandlers[string]>;
    }
    return handlers;
  }

  private async runTask(
    execution: Execution,
    task: PreparedTask,
    input: unknown,
  ): Promise<unknown> {
    await eventsRead();
    if (execution.record.status !== 'RUNNING') throw new ExecutionClosedError('Execution closed');
    const { parameters, timeoutSeconds } = attemptTimeout(task, input);
    checkTaskPayload(task.stateName, parameters, task.dataLimit, 'input');
    const result = await this.taskResult(execution, task, parameters, timeoutSeconds);
    // AWS names the Lambda ARN of a plain Lambda task, and the service (`lambda`) of an integration.
    const subject = task.kind === 'lambda' ? task.resource : 'lambda';
    checkTaskPayload(subject, result, task.dataLimit, 'result');
    return result;
  }

  private async taskResult(
    execution: Execution,
    task: PreparedTask,
    input: unknown,
    timeoutSeconds: number | undefined,
  ): Promise<unknown> {
    if (task.kind === 'lambda') return this.invoke(task.resource, input);
    const parameters = (input ?? {}) as { FunctionName?: unknown; Payload?: unknown };
    if (typeof parameters.FunctionName !== 'string') {
      throw new TaskFailure('States.Runtime', `Task ${task.stateName} has no FunctionName`);
    }
    const functionName = parameters.FunctionName;
    if (task.kind === 'invoke') {
      const payload = await this.invoke(functionName, parameters.Payload ?? {});
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200 };
    }
    const wait = this.tokens.open({
      executionArn: execution.record.executionArn,
      stateName: task.stateName,
      functionName,
      timeoutSeconds,
      heartbeatSeconds: task.heartbeatSeconds,
      now: this.clock(),
    });
    // The function runs after the wait is registered: it may settle its own token.
    this.invoke(functionName, withTaskToken(parameters.Payload ?? {}, wait.taskToken)).catch(
      (error: Error) => this.tokens.settle(wait.taskToken, (w) => w.reject(error)),
    );
    return wait.result;
  }

  private async invoke(functionRef: string, payload: unknown): Promise<unknown> {
    const name = functionRef.split(':function:')[1]?.split(':')[0] ?? functionRef;
    const handler = this.options.functions[functionRef] ?? this.options.functions[name];
    if (!handler) {
      throw new LambdaFunctionError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${functionRef}`,
      );
    }
    const context = lambdaContext(name, functionRef, this.region, this.accountId);
    try {
      const invocation = Promise.resolve(handler(overTheWire(payload) as never, context));
      this.invocations.add(invocation);
      try {
        return overTheWire(await invocation);
      } finally {
        this.invocations.delete(invocation);
      }
    } catch (error) {
      throw LambdaFunctionError.from(error);
    }
  }

  /** Continues a settled wait now, or once `resumeWhen` allows. */
  private resume(go: () => void): void {
    const when = this.options.resumeWhen;
    if (when) void when().then(go);
    else go();
  }

  private settleTask(
    taskToken: string | undefined,
    how: (wait: { resolve(o: unknown): void; reject(e: Error): void }) => void,
  ): void {
    if (this.tokens.settle(taskToken as string, how)) return;
    if (this.replayedWait(taskToken)) return;
    this.taskGone(taskToken);
  }

  /**
   * A token issued before a restart to an execution that is now replayed from its start: its wait
   * registers again and finds the decision already recorded, so the callback is accepted, not lost.
   */
  private replayedWait(taskToken: string | undefined): boolean {
    const executionArn = this.tokens.executionArnOf(taskToken);
    return (
      this.executions.get(executionArn)?.record.status === 'RUNNING' &&
      !this.tokens.issuedHere(taskToken as string)
    );
  }

  /** A token that is not waiting: closed (timed out, settled, execution ended) or never issued. */
  private taskGone(taskToken: string | undefined): never {
    const executionArn = this.tokens.executionArnOf(taskToken);
    if (this.executions.has(executionArn)) {
      throw new StepFunctionsError('TaskTimedOut', 'Task Timed Out: the task is already closed');
    }
    throw new StepFunctionsError('TaskDoesNotExist', 'Task Does Not Exist');
  }
}

interface ListPosition {
  startDate: string;
  executionArn: string;
}

/** Newest start first; the ARN orders executions started in the same millisecond. */
function newerFirst(a: ListPosition, b: ListPosition): number {
  return b.startDate.localeCompare(a.startDate) || b.executionArn.localeCompare(a.executionArn);
}

function listPosition(value: unknown): ListPosition {
  const position = value as Partial<ListPosition> | null;
  if (typeof position?.startDate !== 'string' || typeof position.executionArn !== 'string') {
    throw new StepFunctionsError('InvalidToken', 'Invalid Token: not a ListExecutions token');
  }
  return { startDate: position.startDate, executionArn: position.executionArn };
}

function lambdaContext(
  functionName: string,
  functionRef: string,
  region: string,
  accountId: string,
): LambdaContext {
  const invokedFunctionArn = functionRef.startsWith('arn:')
    ? functionRef
    : `arn:aws:lambda:${region}:${accountId}:function:${functionName}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
