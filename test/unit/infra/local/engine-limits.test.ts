// The local engine enforces Step Functions' 256 KiB payload limit as AWS documents it: a task
// result, a state output (Task, Pass, Map) or an execution input past it, and what Catch and
// Retry can do about States.DataLimitExceeded.

import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { type LambdaHandler, LocalStepFunctions } from '../../../../infra/local/engine/index.js';
import {
  type StepFunctionsServer,
  serveStepFunctions,
} from '../../../support/step-functions-server.js';

const FN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const KiB = 1024;
/** A JSON value whose text is about `size` bytes. */
const blob = (size: number) => ({ data: 'x'.repeat(size) });
const TOO_LARGE =
  /^The state\/task '.+' returned a result with a size exceeding the maximum number of bytes service limit\.$/;

/** One Lambda task (`Work`) with the given Catch and Retry; a caught error goes to `Caught`. */
function workMachine(rules: Record<string, unknown> = {}) {
  return {
    StartAt: 'Work',
    States: {
      Work: { Type: 'Task', Resource: FN('work'), ResultPath: '$.result', Next: 'Done', ...rules },
      Done: { Type: 'Pass', End: true },
      ...('Catch' in rules && { Caught: { Type: 'Pass', End: true } }),
    },
  };
}

const CATCH_ALL = {
  Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
};

let engine: LocalStepFunctions | undefined;
afterEach(async () => {
  await engine?.shutdown();
  engine = undefined;
});

async function start(definition: object, functions: Record<string, LambdaHandler>, input = '{}') {
  engine = new LocalStepFunctions({ functions, retryIntervalOverrides: { Work: 0 } });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'Limits',
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input });
  return engine.waitForExecution(executionArn as string);
}

describe('a task result over 256 KiB', () => {
  it('fails the execution with States.DataLimitExceeded, even under a States.ALL catch and retry', async () => {
    let calls = 0;
    const work = () => {
      calls += 1;
      return blob(300 * KiB);
    };

    const done = await start(
      workMachine({
        ...CATCH_ALL,
        Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
      }),
      { [FN('work')]: work },
    );

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(done.cause).toBe(
      `The state/task '${FN('work')}' returned a result with a size exceeding the maximum number of bytes service limit.`,
    );
    expect(calls).toBe(1);
  });

  it('is neither caught nor retried by States.TaskFailed', async () => {
    const done = await start(
      workMachine({
        Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
      }),
      { [FN('work')]: () => blob(300 * KiB) },
    );

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('is caught by a Catch that names States.DataLimitExceeded', async () => {
    const done = await start(
      workMachine({
        Catch: [
          { ErrorEquals: ['States.DataLimitExceeded'], ResultPath: '$.error', Next: 'Caught' },
          { ErrorEquals: ['States.ALL'], Next: 'Done' },
        ],
      }),
      { [FN('work')]: () => blob(300 * KiB) },
    );

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).error).toEqual({
      Error: 'States.DataLimitExceeded',
      Cause: expect.stringMatching(TOO_LARGE),
    });
  });

  it('is retried by a Retry that names it', async () => {
    let calls = 0;
    const done = await start(
      workMachine({
        Retry: [{ ErrorEquals: ['States.DataLimitExceeded'], MaxAttempts: 1 }],
      }),
      {
        [FN('work')]: () => {
          calls += 1;
          return calls === 1 ? blob(300 * KiB) : { small: true };
        },
      },
    );

    expect(done.status).toBe('SUCCEEDED');
    expect(calls).toBe(2);
  });

  it('counts UTF-8 bytes, not characters (130 Ki two-byte characters are 260 KiB)', async () => {
    const done = await start(workMachine(CATCH_ALL), {
      [FN('work')]: () => ({ data: 'é'.repeat(130 * KiB) }),
    });

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('names the service for a lambda:invoke task, as AWS does', async () => {
    const definition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: FN('work'), Payload: {} },
          ...CATCH_ALL,
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    const done = await start(definition, { [FN('work')]: () => blob(300 * KiB) });

    expect(done).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(done.cause).toContain("The state/task 'lambda' returned a result");
  });
});

describe('payloads within the limit', () => {
  it('passes a 200 KiB task result through to the execution output', async () => {
    const done = await start(workMachine(CATCH_ALL), { [FN('work')]: () => blob(200 * KiB) });

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output as string).result.data).toHaveLength(200 * KiB);
  });
});

describe('a state output over 256 KiB', () => {
  it('fails a Task whose results add up past the limit; the next task never runs', async () => {
    let nextRan = false;
    const definition = {
      StartAt: 'First',
      States: {
        First: { Type: 'Task', Resource: FN('half'), ResultPath: '$.a', Next: 'Second' },
        Second: {
          Type: 'Task',
          Resource: FN('half'),
          ResultPath: '$.b',
          ...CATCH_ALL,
          Next: 'Third',
        },
        // Its Parameters keep its own input small: only the state output is over the limit.
        Third: {
          Type: 'Task',
          Resource: FN('next'),
          Parameters: { small: true },
          ...CATCH_ALL,
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    const done = await start(definition, {
      [FN('half')]: () => blob(150 * KiB),
      [FN('next')]: () => {
        nextRan = true;
        return {};
      },
    });

    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringContaining("'Second'"),
    });
    expect(nextRan).toBe(false);
  });

  it('fails a Pass state whose Parameters make its output too large', async () => {
    const definition = {
      StartAt: 'Twice',
      States: {
        Twice: { Type: 'Pass', Parameters: { 'a.$': '$', 'b.$': '$' }, End: true },
      },
    };

    const done = await start(definition, {}, JSON.stringify(blob(150 * KiB)));

    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringMatching(/^The state\/task 'Twice' returned a result/),
    });
  });

  it("fails a Map whose aggregated output is too large, though each iteration's is small", async () => {
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Work',
            States: { Work: { Type: 'Task', Resource: FN('work'), End: true } },
          },
          ResultPath: '$.results',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    const done = await start(
      definition,
      { [FN('work')]: () => blob(30 * KiB) },
      '{"items":[1,2,3,4,5,6,7,8,9,10]}',
    );

    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: expect.stringContaining("'Each'"),
    });
  });
});

describe('the API limits', () => {
  it('refuses a StartExecution input over 256 KiB with ValidationException', async () => {
    engine = new LocalStepFunctions({ functions: {} });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'Limits',
      definition: JSON.stringify(workMachine(CATCH_ALL)),
    });

    await expect(
      engine.startExecution({ stateMachineArn, input: JSON.stringify(blob(300 * KiB)) }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining("Value at 'input' failed to satisfy constraint"),
    });
    expect((await engine.listExecutions()).executions).toEqual([]);
  });

  it('refuses a SendTaskSuccess output over 256 KiB with ValidationException', async () => {
    engine = new LocalStepFunctions({ functions: {} });

    await expect(
      engine.sendTaskSuccess({ taskToken: 'any', output: JSON.stringify(blob(300 * KiB)) }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  describe('over the AWS JSON endpoint', () => {
    let served: StepFunctionsServer;
    afterEach(() => served.close());

    it('answers the SDK a ValidationException it raises by name', async () => {
      engine = new LocalStepFunctions({ functions: {} });
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'Limits',
        definition: JSON.stringify(workMachine(CATCH_ALL)),
      });
      served = await serveStepFunctions(engine);
      const { sfn } = served;

      const started = sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          name: 'too-large',
          input: JSON.stringify(blob(300 * KiB)),
        }),
      );

      await expect(started).rejects.toMatchObject({
        name: 'ValidationException',
        $metadata: { httpStatusCode: 400 },
      });
    });
  });
});
