// The local engine's TimeoutSecondsPath on tasks that wait for a task token: each attempt's
// timeout is read from the state's input, and a value AWS would refuse fails the execution.
import {
  type ExecutionRecord,
  LocalStepFunctions,
  MAX_TIMER_SECONDS,
  prepareDefinition,
} from '../../../../infra/local/engine/index.js';

const FN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** AwaitDecisions waits as long as its input says, then Advance; any other failure goes to Failed. */
function awaitingMachine(extra: Record<string, unknown> = {}) {
  return {
    StartAt: 'AwaitDecisions',
    States: {
      AwaitDecisions: {
        Type: 'Task',
        Resource: WAIT,
        Parameters: {
          FunctionName: FN('register'),
          Payload: { 'taskToken.$': '$$.Task.Token', 'investigationId.$': '$.investigationId' },
        },
        TimeoutSecondsPath: '$.waitSeconds',
        ResultPath: '$.decision',
        Catch: [
          { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Advance' },
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
        ],
        Next: 'Decided',
        ...extra,
      },
      Advance: { Type: 'Pass', Result: 'advanced', ResultPath: '$.outcome', End: true },
      Decided: { Type: 'Pass', End: true },
      Failed: { Type: 'Pass', End: true },
    },
  };
}

interface Setup {
  engine: LocalStepFunctions;
  arn: string;
  payloads: Record<string, unknown>[];
}

async function setup(definition: object): Promise<Setup> {
  const payloads: Record<string, unknown>[] = [];
  const engine = new LocalStepFunctions({
    functions: {
      [FN('register')]: (event: Record<string, unknown>) => {
        payloads.push(event);
        return null;
      },
    },
  });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'Investigation',
    definition: JSON.stringify(definition),
  });
  return { engine, arn: stateMachineArn as string, payloads };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition never held');
};

let current: Setup | undefined;
afterEach(async () => {
  await current?.engine.shutdown();
  current = undefined;
});

describe('TimeoutSecondsPath on a wait for a task token', () => {
  it('times the wait out after the seconds its input names, shown in the wait list', async () => {
    current = await setup(awaitingMachine());
    const { engine, arn, payloads } = current;
    const started = Date.now();
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ investigationId: 'inv-1', waitSeconds: 1 }),
    });
    await until(() => payloads.length === 1);
    const [wait] = engine.waitingTasks(executionArn);

    const done = await engine.waitForExecution(executionArn as string);

    expect(payloads[0]).toEqual({ taskToken: wait?.taskToken, investigationId: 'inv-1' });
    expect(wait?.timeoutAt && wait.timeoutAt.getTime() - wait.startedAt.getTime()).toBe(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string)).toEqual({
      investigationId: 'inv-1',
      waitSeconds: 1,
      outcome: 'advanced',
    });
    expect(engine.executionHistory(executionArn as string)).toContainEqual(
      expect.objectContaining({ stateName: 'AwaitDecisions', error: 'States.Timeout' }),
    );
  });

  it('times each execution out by its own input, after InputPath, shortest first', async () => {
    current = await setup(
      awaitingMachine({
        InputPath: '$.wait',
        TimeoutSecondsPath: '$.seconds',
        Parameters: {
          FunctionName: FN('register'),
          Payload: { 'taskToken.$': '$$.Task.Token', 'investigationId.$': '$.id' },
        },
      }),
    );
    const { engine, arn, payloads } = current;
    const ended: string[] = [];
    const start = async (id: string, seconds: number) => {
      const { executionArn } = await engine.startExecution({
        stateMachineArn: arn,
        name: id,
        input: JSON.stringify({ wait: { id, seconds } }),
      });
      // Wrapped, so awaiting the start does not await the end.
      return {
        end: engine
          .waitForExecution(executionArn as string)
          .then((record: ExecutionRecord) => ended.push(record.name)),
      };
    };

    const runs = [await start('slow', 2), await start('fast', 1)];
    await until(() => payloads.length === 2);
    const timeouts = Object.fromEntries(
      engine.waitingTasks().map((w) => [w.executionArn.split(':').at(-1), w.timeoutAt?.getTime()]),
    );
    await Promise.all(runs.map((r) => r.end));

    expect(ended).toEqual(['fast', 'slow']);
    expect(timeouts.slow - timeouts.fast).toBeGreaterThanOrEqual(900);
  });

  it('succeeds when the token is settled before the timeout', async () => {
    current = await setup(awaitingMachine());
    const { engine, arn, payloads } = current;
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ investigationId: 'inv-2', waitSeconds: 1 }),
    });
    await until(() => payloads.length === 1);

    await engine.sendTaskSuccess({
      taskToken: payloads[0]?.taskToken as string,
      output: '{"decided":true}',
    });
    const done = await engine.waitForExecution(executionArn as string);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).decision).toEqual({ decided: true });
    expect(engine.waitingTasks()).toEqual([]);
  });

  it('times a wait replayed after a restart out by the replayed input', async () => {
    const first = await setup(awaitingMachine());
    const { executionArn } = await first.engine.startExecution({
      stateMachineArn: first.arn,
      name: 'replayed',
      input: JSON.stringify({ investigationId: 'inv-5', waitSeconds: 1 }),
    });
    await until(() => first.payloads.length === 1);
    await first.engine.stopExecution({ executionArn });
    const stopped = await first.engine.waitForExecution(executionArn as string);
    await first.engine.shutdown();
    current = await setup(awaitingMachine());
    const { engine, payloads } = current;

    await engine.restoreExecution({ ...stopped, status: 'RUNNING' });
    await until(() => payloads.length === 1);
    const [wait] = engine.waitingTasks(executionArn);
    const done = await engine.waitForExecution(executionArn as string);

    expect(wait?.timeoutAt && wait.timeoutAt.getTime() - wait.startedAt.getTime()).toBe(1000);
    expect(JSON.parse(done.output as string).outcome).toBe('advanced');
  });

  it.each([
    ['zero', 0, /positive integer, not 0/],
    ['negative', -5, /positive integer, not -5/],
    ['non-integer', 1.5, /positive integer, not 1.5/],
    ['text', '5', /positive integer, not "5"/],
    ['null', null, /positive integer, not null/],
    ['beyond a timer', MAX_TIMER_SECONDS + 1, /longer than the local engine can time/],
  ])(
    'fails the execution with States.Runtime, which no Catch takes, for a %s value',
    async (_what, waitSeconds, message) => {
      current = await setup(awaitingMachine());
      const { engine, arn, payloads } = current;
      const { executionArn } = await engine.startExecution({
        stateMachineArn: arn,
        input: JSON.stringify({ investigationId: 'inv-3', waitSeconds }),
      });

      const done = await engine.waitForExecution(executionArn as string);

      expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(done.cause).toMatch(/'AwaitDecisions'.*TimeoutSecondsPath '\$\.waitSeconds'/);
      expect(done.cause).toMatch(message);
      expect(payloads).toEqual([]);
    },
  );

  it('fails the execution with States.Runtime when the path names nothing', async () => {
    current = await setup(awaitingMachine());
    const { engine, arn, payloads } = current;
    const { executionArn } = await engine.startExecution({
      stateMachineArn: arn,
      input: JSON.stringify({ investigationId: 'inv-4' }),
    });

    const done = await engine.waitForExecution(executionArn as string);

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toMatch(/\$\.waitSeconds/);
    expect(payloads).toEqual([]);
  });
});

describe('TimeoutSecondsPath in a definition', () => {
  it('leaves the engine a fixed timeout and the runner the path', () => {
    const { engineDefinition, tasks } = prepareDefinition(awaitingMachine());
    const state = (engineDefinition as { States: Record<string, Record<string, unknown>> }).States
      .AwaitDecisions;

    expect(state).not.toHaveProperty('TimeoutSecondsPath');
    expect(state?.TimeoutSeconds).toBe(MAX_TIMER_SECONDS);
    expect(tasks.get('AwaitDecisions')).toMatchObject({
      timeoutSecondsPath: '$.waitSeconds',
      timeoutSeconds: undefined,
    });
  });

  it.each([
    ['with TimeoutSeconds', awaitingMachine({ TimeoutSeconds: 60 }), /mutually exclusive/],
    [
      'with HeartbeatSecondsPath',
      awaitingMachine({ HeartbeatSecondsPath: '$.beat' }),
      /HeartbeatSecondsPath is not supported/,
    ],
    [
      'on a task that does not wait',
      {
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: FN('work'), TimeoutSecondsPath: '$.s', End: true },
        },
      },
      /only on tasks that wait/,
    ],
    [
      'that is no reference path',
      awaitingMachine({ TimeoutSecondsPath: 'waitSeconds' }),
      /reference path/,
    ],
  ])('is an invalid definition %s', async (_what, definition, message) => {
    const engine = new LocalStepFunctions({ functions: {} });

    await expect(
      engine.createStateMachine({ name: 'Bad', definition: JSON.stringify(definition) }),
    ).rejects.toMatchObject({ name: 'InvalidDefinition', message: expect.stringMatching(message) });
    await engine.shutdown();
  });
});
