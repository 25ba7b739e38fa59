// The local Step Functions engine on small state machines: task tokens, their timeouts, the
// callback API's errors, executions by name, and what it refuses to run.
import {
  type ExecutionRecord,
  type LambdaHandler,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  MAX_TIMER_SECONDS,
  prepareDefinition,
} from '../../../../infra/local/engine/index.js';

const FN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** Entered → a Task waiting for its token (timeout optional) → Done, catching failures. */
function waitingMachine(extra: Record<string, unknown> = {}) {
  return {
    StartAt: 'Wait',
    States: {
      Wait: {
        Type: 'Task',
        Resource: WAIT,
        Parameters: {
          FunctionName: FN('register'),
          Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' },
        },
        ResultPath: '$.decision',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
        Next: 'Done',
        ...extra,
      },
      Done: { Type: 'Pass', End: true },
      Failed: { Type: 'Pass', End: true },
    },
  };
}

interface Setup {
  engine: LocalStepFunctions;
  arn: string;
  tokens: string[];
  changes: ExecutionRecord[];
}

async function setup(
  definition: object,
  functions: Record<string, LambdaHandler> = {},
  tokenSecret?: string,
  options: Pick<LocalStepFunctionsOptions, 'resumeWhen'> = {},
): Promise<Setup> {
  const tokens: string[] = [];
  const changes: ExecutionRecord[] = [];
  const engine = new LocalStepFunctions({
    functions: {
      [FN('register')]: (event: { token: string }) => {
        tokens.push(event.token);
        return { registered: true };
      },
      ...functions,
    },
    retryIntervalOverrides: { Work: 0 },
    onExecutionChange: (record) => changes.push(record),
    ...(tokenSecret && { tokenSecret }),
    ...options,
  });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'Test',
    definition: JSON.stringify(definition),
  });
  return { engine, arn: stateMachineArn as string, tokens, changes };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition never held');
};

let current: Setup | undefined;
afterEach(async () => {
  await current?.engine.shutdown();
  current = undefined;
});

describe('waitForTaskToken', () => {
  it('hands the function a token and resumes with the output SendTaskSuccess sends', async () => {
    current = await setup(waitingMachine());
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      name: 'ok',
      input: JSON.stringify({ item: 'a' }),
    });
    await until(() => tokens.length === 1);

    expect(engine.waitingTasks(executionArn)).toEqual([
      expect.objectContaining({
        taskToken: tokens[0],
        stateName: 'Wait',
        functionName: FN('register'),
      }),
    ]);
    await engine.sendTaskSuccess({ taskToken: tokens[0], output: '{"approved":true}' });
    const done = await engine.waitForExecution(executionArn as string);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ item: 'a', decision: { approved: true } });
    expect(engine.waitingTasks()).toEqual([]);
  });

  it('fails the task with the error SendTaskFailure names, for Catch to match', async () => {
    current = await setup(waitingMachine());
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });
    await until(() => tokens.length === 1);

    await engine.sendTaskFailure({ taskToken: tokens[0], error: 'ActionRejected', cause: 'no' });
    const done = await engine.waitForExecution(executionArn as string);

    expect(JSON.parse(done.output as string)).toEqual({
      error: { Error: 'ActionRejected', Cause: 'no' },
    });
  });

  it('times the wait out after its TimeoutSeconds; the late token is TaskTimedOut', async () => {
    current = await setup(waitingMachine({ TimeoutSeconds: 1 }));
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });
    await until(() => tokens.length === 1);

    const done = await engine.waitForExecution(executionArn as string);

    expect(JSON.parse(done.output as string).error.Error).toBe('States.Timeout');
    await expect(
      engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' }),
    ).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('keeps a wait with HeartbeatSeconds alive while heartbeats come, then times it out', async () => {
    current = await setup(waitingMachine({ HeartbeatSeconds: 1 }));
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });
    await until(() => tokens.length === 1);
    const started = Date.now();

    await new Promise((r) => setTimeout(r, 600));
    await engine.sendTaskHeartbeat({ taskToken: tokens[0] });
    const done = await engine.waitForExecution(executionArn as string);

    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(JSON.parse(done.output as string).error.Error).toBe('States.Timeout');
  });

  it('lets the invoked function settle its own token', async () => {
    let engine!: LocalStepFunctions;
    current = await setup(waitingMachine(), {
      [FN('register')]: async (event: { token: string }) => {
        await engine.sendTaskSuccess({ taskToken: event.token, output: '"at once"' });
        return null;
      },
    });
    engine = current.engine;
    const { executionArn } = await engine.startExecution({ stateMachineArn: current.arn });

    const done = await engine.waitForExecution(executionArn as string);

    expect(JSON.parse(done.output as string).decision).toBe('at once');
  });

  it('fails the wait when the invoked function throws', async () => {
    current = await setup(waitingMachine(), {
      [FN('register')]: () => {
        throw Object.assign(new Error('table gone'), { name: 'ResourceNotFoundException' });
      },
    });
    const { executionArn } = await current.engine.startExecution({ stateMachineArn: current.arn });

    const done = await current.engine.waitForExecution(executionArn as string);

    const { error } = JSON.parse(done.output as string);
    expect(error.Error).toBe('ResourceNotFoundException');
    expect(JSON.parse(error.Cause)).toMatchObject({ errorMessage: 'table gone' });
  });

  it('gives each Map iteration its own token', async () => {
    current = await setup({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemSelector: { 'item.$': '$$.Map.Item.Value' },
          ItemProcessor: waitingMachine(),
          End: true,
        },
      },
    });
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ items: ['a', 'b', 'c'] }),
    });
    await until(() => tokens.length === 3);

    expect(new Set(tokens).size).toBe(3);
    for (const [i, taskToken] of tokens.entries()) {
      await engine.sendTaskSuccess({ taskToken, output: String(i) });
    }
    const done = await engine.waitForExecution(executionArn as string);
    expect(
      JSON.parse(done.output as string)
        .map((r: { decision: number }) => r.decision)
        .sort(),
    ).toEqual([0, 1, 2]);
  });
});

describe('task callbacks', () => {
  it('answers InvalidToken, TaskDoesNotExist and TaskTimedOut as Step Functions does', async () => {
    const secret = 'a-key-two-engines-share-0123456789';
    const other = await setup(waitingMachine(), {}, secret);
    current = await setup(waitingMachine(), {}, secret);
    const { engine, arn, tokens } = current;
    await engine.startExecution({ stateMachineArn: arn });
    await other.engine.startExecution({ stateMachineArn: other.arn, name: 'elsewhere' });
    await until(() => tokens.length === 1 && other.tokens.length === 1);
    await engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' });
    const unknownExecution = other.tokens[0] as string;
    await other.engine.shutdown();

    await expect(
      engine.sendTaskSuccess({ taskToken: 'garbage', output: '{}' }),
    ).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    await expect(
      engine.sendTaskFailure({ taskToken: unknownExecution, error: 'E' }),
    ).rejects.toMatchObject({
      name: 'TaskDoesNotExist',
    });
    await expect(
      engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' }),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await expect(
      engine.sendTaskSuccess({ taskToken: tokens[0], output: 'not json' }),
    ).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
  });
});

describe('tasks', () => {
  it('retries a function error matched by name, then catches it', async () => {
    let calls = 0;
    current = await setup(
      {
        StartAt: 'Work',
        States: {
          Work: {
            Type: 'Task',
            Resource: FN('work'),
            Retry: [{ ErrorEquals: ['Flaky'], MaxAttempts: 2 }],
            Catch: [{ ErrorEquals: ['Flaky'], Next: 'GaveUp' }],
            End: true,
          },
          GaveUp: { Type: 'Pass', End: true },
        },
      },
      {
        work: () => {
          calls += 1;
          throw Object.assign(new Error(`attempt ${calls}`), { name: 'Flaky' });
        },
      },
    );
    const { executionArn } = await current.engine.startExecution({ stateMachineArn: current.arn });

    const done = await current.engine.waitForExecution(executionArn as string);

    expect(calls).toBe(3);
    expect(JSON.parse(done.output as string)).toMatchObject({ Error: 'Flaky' });
  });

  it('wraps lambda:invoke results as Step Functions does', async () => {
    current = await setup(
      {
        StartAt: 'Invoke',
        States: {
          Invoke: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: FN('echo'), 'Payload.$': '$' },
            End: true,
          },
        },
      },
      { echo: (event: unknown) => ({ echoed: event }) },
    );
    const { executionArn } = await current.engine.startExecution({
      stateMachineArn: current.arn,
      input: '{"a":1}',
    });

    const done = await current.engine.waitForExecution(executionArn as string);

    expect(JSON.parse(done.output as string)).toEqual({
      ExecutedVersion: '$LATEST',
      Payload: { echoed: { a: 1 } },
      StatusCode: 200,
    });
  });

  it('fails the execution with the error of an uncaught task', async () => {
    current = await setup(
      { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FN('work'), End: true } } },
      {
        work: () => {
          throw new TypeError('nope');
        },
      },
    );
    const { executionArn } = await current.engine.startExecution({ stateMachineArn: current.arn });

    await current.engine.waitForExecution(executionArn as string);
    const described = await current.engine.describeExecution({ executionArn });

    expect(described).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(JSON.parse(described.cause as string).errorMessage).toBe('nope');
    expect(described.stopDate).toBeInstanceOf(Date);
  });
});

describe('executions', () => {
  it('answers the running execution for its name and input; another input is ExecutionAlreadyExists', async () => {
    current = await setup(waitingMachine());
    const { engine, arn, tokens, changes } = current;
    const first = await engine.startExecution({
      stateMachineArn: arn,
      name: 'once',
      input: '{"item":1}',
    });

    const again = await engine.startExecution({
      stateMachineArn: arn,
      name: 'once',
      input: '{"item":1}',
    });

    expect(again.executionArn).toBe(first.executionArn);
    await expect(
      engine.startExecution({ stateMachineArn: arn, name: 'once', input: '{"item":2}' }),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    await until(() => tokens.length === 1);
    await engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' });
    await engine.waitForExecution(first.executionArn as string);
    await expect(
      engine.startExecution({ stateMachineArn: arn, name: 'once', input: '{"item":1}' }),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
    expect(changes.map((c) => c.status)).toEqual(['RUNNING', 'SUCCEEDED']);
  });

  it('stops an execution: ABORTED, its waits closed, no task run after', async () => {
    current = await setup(waitingMachine());
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn });
    await until(() => tokens.length === 1);

    await engine.stopExecution({ executionArn, error: 'Stopped', cause: 'by test' });

    expect(await engine.describeExecution({ executionArn })).toMatchObject({
      status: 'ABORTED',
      error: 'Stopped',
      cause: 'by test',
    });
    expect(engine.waitingTasks()).toEqual([]);
    await expect(
      engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' }),
    ).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('restores a running execution by running it again from the start under its name', async () => {
    current = await setup(waitingMachine());
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      name: 'r',
      input: '{"item":7}',
    });
    await until(() => tokens.length === 1);
    await engine.stopExecution({ executionArn });
    const stopped = await engine.waitForExecution(executionArn as string);
    await engine.shutdown();
    // What a journal kept of the execution while it ran.
    const record: ExecutionRecord = { ...stopped, status: 'RUNNING' };
    const revived = await setup(waitingMachine());
    current = revived;

    await revived.engine.restoreExecution(record);
    await until(() => revived.tokens.length === 1);
    await revived.engine.sendTaskSuccess({ taskToken: revived.tokens[0], output: '1' });
    const done = await revived.engine.waitForExecution(executionArn as string);

    expect(done).toMatchObject({ name: 'r', status: 'SUCCEEDED' });
    expect(JSON.parse(done.output as string)).toEqual({ item: 7, decision: 1 });
    expect(revived.engine.executionHistory(executionArn as string).map((e) => e.type)).toContain(
      'ExecutionSucceeded',
    );
  });

  it('refuses an unknown state machine, a bad name and input that is not JSON', async () => {
    current = await setup(waitingMachine());
    const { engine, arn } = current;

    await expect(engine.startExecution({ stateMachineArn: `${arn}x` })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(
      engine.startExecution({ stateMachineArn: arn, name: 'a b' }),
    ).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(engine.startExecution({ stateMachineArn: arn, input: '{' })).rejects.toMatchObject(
      {
        name: 'InvalidExecutionInput',
      },
    );
    await expect(engine.describeExecution({ executionArn: 'arn:nope' })).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });
});

describe('prepareDefinition', () => {
  it('gives waits and untimed tasks the longest engine timeout, not its 60 s default', () => {
    const { engineDefinition, tasks } = prepareDefinition({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: FN('a'), Next: 'B' },
        B: { ...waitingMachine({ TimeoutSeconds: 604_800 }).States.Wait, Next: 'C' },
        C: { Type: 'Task', Resource: FN('c'), TimeoutSeconds: 30, End: true },
      },
    });
    const states = (engineDefinition as { States: Record<string, { TimeoutSeconds: number }> })
      .States;

    expect(states.A?.TimeoutSeconds).toBe(MAX_TIMER_SECONDS);
    expect(states.B?.TimeoutSeconds).toBe(MAX_TIMER_SECONDS);
    expect(states.C?.TimeoutSeconds).toBe(30);
    expect(tasks.get('B')).toMatchObject({ kind: 'waitForTaskToken', timeoutSeconds: 604_800 });
  });

  it.each([
    [
      'an unsupported resource',
      { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true },
      /not supported/,
    ],
    [
      'a wait that passes no token',
      { Type: 'Task', Resource: WAIT, Parameters: { FunctionName: 'f' }, End: true },
      /no \$\$\.Task\.Token/,
    ],
    [
      'a wait longer than a timer can run',
      { ...waitingMachine({ TimeoutSeconds: 3_000_000 }).States.Wait, Next: undefined, End: true },
      /longer than the local engine/,
    ],
  ])('refuses %s', (_what, state, message) => {
    expect(() => prepareDefinition({ StartAt: 'S', States: { S: state } })).toThrow(message);
  });

  it('refuses JSONata and repeated state names', () => {
    expect(() =>
      prepareDefinition({
        QueryLanguage: 'JSONata',
        StartAt: 'S',
        States: { S: { Type: 'Succeed' } },
      }),
    ).toThrow(/JSONPath/);
    expect(() =>
      prepareDefinition({
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: { StartAt: 'M', States: { M: { Type: 'Succeed' } } },
            End: true,
          },
        },
      }),
    ).toThrow(/not unique/);
  });
});

describe('a wait settled by a callback, with resumeWhen', () => {
  it('continues only once resumeWhen settles, while the callback answers at once and closes the token', async () => {
    // Prepare: the runtime's gate (the end of a burst of callbacks), held shut by the test.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    current = await setup(waitingMachine(), {}, undefined, { resumeWhen: () => gate });
    const { engine, arn, tokens } = current;
    const { executionArn } = await engine.startExecution({ stateMachineArn: arn, input: '{}' });
    await until(() => tokens.length === 1);

    // Act
    await engine.sendTaskSuccess({ taskToken: tokens[0], output: '{"approved":true}' });
    await new Promise((r) => setTimeout(r, 50));
    const whileShut = await engine.describeExecution({ executionArn });
    const again = await engine.sendTaskSuccess({ taskToken: tokens[0], output: '{}' }).then(
      () => 'accepted',
      (error: Error) => error.name,
    );
    open();
    const done = await engine.waitForExecution(executionArn as string);

    // Assess: held while shut; the token was closed by the first callback, not by the resume.
    expect(whileShut.status).toBe('RUNNING');
    expect(engine.waitingTasks()).toEqual([]);
    expect(again).toBe('TaskTimedOut');
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({ decision: { approved: true } });
  });
});
