// The local Step Functions endpoint answers a real AWS client as Step Functions does: forged
// task tokens, AWS's name and length rules, ListExecutions paging, GetExecutionHistory,
// DescribeStateMachine, and the protocol's own errors (driven by @aws-sdk/client-sfn and the AWS CLI).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LocalStepFunctions } from '../../../../infra/local/engine/index.js';
import {
  createStepFunctionsEndpoint,
  InProcessStepFunctions,
  TARGET_PREFIX,
  UNSIGNED,
} from '../../../../infra/local/http/step-functions-endpoint.js';
import {
  type StepFunctionsServer,
  serveStepFunctions,
} from '../../../support/step-functions-server.js';

const FN = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const WAITING = {
  StartAt: 'Wait',
  States: {
    Wait: {
      Type: 'Task',
      Resource: WAIT,
      Parameters: { FunctionName: FN('register'), Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
};

const WORK = {
  StartAt: 'Work',
  States: {
    Work: { Type: 'Task', Resource: FN('work'), ResultPath: '$.result', Next: 'Done' },
    Done: { Type: 'Pass', End: true },
  },
};

const QUICK = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };

interface Local {
  engine: LocalStepFunctions;
  sfn: SFNClient;
  url: string;
  tokens: string[];
  arn: (definition: object, name?: string) => Promise<string>;
}

let served: StepFunctionsServer | undefined;
let local: Local | undefined;
afterEach(async () => {
  await local?.engine.shutdown();
  await served?.close();
  served = undefined;
  local = undefined;
});

/** An engine behind the endpoint on a loopback port; `clock` makes start order explicit. */
async function startLocal(clock?: () => Date): Promise<Local> {
  const tokens: string[] = [];
  const engine = new LocalStepFunctions({
    functions: {
      [FN('register')]: (event: { token: string }) => {
        tokens.push(event.token);
        return {};
      },
      [FN('work')]: () => ({ worked: true }),
    },
    ...(clock && { clock }),
  });
  served = await serveStepFunctions(engine);
  const { url, sfn } = served;
  const arn = async (definition: object, name = 'Machine') =>
    (await engine.createStateMachine({ name, definition: JSON.stringify(definition) }))
      .stateMachineArn as string;
  local = { engine, sfn, url, tokens, arn };
  return local;
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error('condition never held');
};

/** A clock one second further on at each reading: start order is date order. */
function steppingClock(): () => Date {
  let t = Date.parse('2026-01-01T00:00:00Z');
  return () => {
    t += 1000;
    return new Date(t);
  };
}

describe('task tokens', () => {
  it('answers InvalidToken to a forged token that names a running execution', async () => {
    // Prepare
    const { sfn, arn, tokens } = await startLocal();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: await arn(WAITING), name: 'running' }),
    );
    await until(() => tokens.length === 1);
    const named = Buffer.from(executionArn as string).toString('base64url');
    const forged = [`${named}.guessed`, `${named}.${'A'.repeat(40)}.${'B'.repeat(43)}`];

    // Act / Assess
    for (const taskToken of forged) {
      await expect(
        sfn.send(new SendTaskSuccessCommand({ taskToken, output: '{}' })),
      ).rejects.toMatchObject({ name: 'InvalidToken', $metadata: { httpStatusCode: 400 } });
    }
  });

  it('answers InvalidToken to a real token with one character changed, and takes the real one', async () => {
    const { sfn, arn, tokens, engine } = await startLocal();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: await arn(WAITING) }),
    );
    await until(() => tokens.length === 1);
    const real = tokens[0] as string;
    const last = real.at(-1) === 'A' ? 'B' : 'A';
    const mangled = `${real.slice(0, -1)}${last}`;

    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: mangled, output: '{}' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: real, output: '{"ok":true}' }));

    expect((await engine.waitForExecution(executionArn as string)).status).toBe('SUCCEEDED');
  });

  it('takes a token issued before a restart by an engine with the same key, not by another key', async () => {
    // Prepare: an engine with a kept key issues a token, then goes away.
    const make = (tokenSecret: string, tokens: string[]) =>
      new LocalStepFunctions({
        functions: {
          [FN('register')]: (event: { token: string }) => {
            tokens.push(event.token);
            return {};
          },
        },
        tokenSecret,
      });
    const before: string[] = [];
    const first = make('kept-in-data-dir-0123456789abcdef', before);
    const { stateMachineArn } = await first.createStateMachine({
      name: 'Machine',
      definition: JSON.stringify(WAITING),
    });
    const { executionArn } = await first.startExecution({ stateMachineArn, name: 'replayed' });
    await until(() => before.length === 1);
    const record = await first.describeExecution({ executionArn });
    await first.shutdown();
    const replay = async (secret: string) => {
      const engine = make(secret, []);
      await engine.createStateMachine({ name: 'Machine', definition: JSON.stringify(WAITING) });
      await engine.restoreExecution({
        executionArn: executionArn as string,
        stateMachineArn: stateMachineArn as string,
        name: 'replayed',
        status: 'RUNNING',
        startDate: (record.startDate as Date).toISOString(),
        input: '{}',
      });
      return engine;
    };

    // Act
    const same = await replay('kept-in-data-dir-0123456789abcdef');
    const other = await replay('another-runtime-key-0123456789abcdef');

    // Assess
    try {
      await expect(
        same.sendTaskSuccess({ taskToken: before[0], output: '{}' }),
      ).resolves.toBeUndefined();
      await expect(
        other.sendTaskSuccess({ taskToken: before[0], output: '{}' }),
      ).rejects.toMatchObject({ name: 'InvalidToken' });
    } finally {
      await same.shutdown();
      await other.shutdown();
    }
  });
});

describe("AWS's names and lengths", () => {
  it('answers InvalidName to an execution name past 80 characters or with a forbidden one', async () => {
    const { sfn, arn } = await startLocal();
    const stateMachineArn = await arn(QUICK);

    for (const name of ['n'.repeat(81), 'a:b', 'a b', 'a/b', '']) {
      await expect(
        sfn.send(new StartExecutionCommand({ stateMachineArn, name })),
      ).rejects.toMatchObject({ name: 'InvalidName' });
    }
    for (const name of ['n'.repeat(80), 'alert.42', 'décision']) {
      await expect(
        sfn.send(new StartExecutionCommand({ stateMachineArn, name })),
      ).resolves.toMatchObject({ executionArn: expect.stringMatching(/:execution:Machine:/) });
    }
  });

  it('refuses a SendTaskFailure cause past 32768 characters and an error past 256', async () => {
    const { sfn, arn, tokens } = await startLocal();
    await sfn.send(new StartExecutionCommand({ stateMachineArn: await arn(WAITING) }));
    await until(() => tokens.length === 1);
    const taskToken = tokens[0] as string;

    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken, error: 'E', cause: 'c'.repeat(32_769) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken, error: 'e'.repeat(257) })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken, error: 'E', cause: 'c'.repeat(32_768) })),
    ).resolves.toBeDefined();
  });
});

describe('ListExecutions', () => {
  it('pages 250 executions newest first with nextToken, 100 by default', async () => {
    // Prepare
    const { sfn, arn, engine } = await startLocal(steppingClock());
    const stateMachineArn = await arn(QUICK);
    for (let i = 0; i < 250; i += 1) {
      await engine.startExecution({ stateMachineArn, name: `run-${String(i).padStart(3, '0')}` });
    }

    // Act
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new ListExecutionsCommand({ stateMachineArn, maxResults: 100, nextToken }),
      );
      pages.push((page.executions ?? []).map((e) => e.name as string));
      nextToken = page.nextToken;
    } while (nextToken);
    const firstByDefault = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));

    // Assess
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    const expected = Array.from(
      { length: 250 },
      (_, i) => `run-${String(249 - i).padStart(3, '0')}`,
    );
    expect(pages.flat()).toEqual(expected);
    expect(firstByDefault.executions).toHaveLength(100);
    expect(firstByDefault.nextToken).toEqual(expect.any(String));
  });

  it('filters by status and refuses a bad nextToken, maxResults and statusFilter', async () => {
    const { sfn, arn, engine, tokens } = await startLocal(steppingClock());
    const stateMachineArn = await arn(WAITING);
    await engine.startExecution({ stateMachineArn, name: 'waiting' });
    const stopped = await engine.startExecution({ stateMachineArn, name: 'stopped' });
    await until(() => tokens.length === 2);
    await engine.stopExecution({ executionArn: stopped.executionArn });

    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }),
    );

    expect(running.executions?.map((e) => e.name)).toEqual(['waiting']);
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn, nextToken: 'not-a-token' })),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1001 })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      sfn.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'DONE' as never })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('GetExecutionHistory', () => {
  it("gives a finished execution's events with AWS's type names, ids and links, in pages and reversed", async () => {
    // Prepare
    const { sfn, arn, engine } = await startLocal();
    const { executionArn } = await engine.startExecution({
      stateMachineArn: await arn(WORK),
      input: '{"alert":1}',
    });
    await engine.waitForExecution(executionArn as string);

    // Act
    const all = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const paged = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, maxResults: 2, nextToken }),
      );
      paged.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );

    // Assess
    const events = all.events ?? [];
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => [e.id, e.previousEventId])).toEqual(events.map((_, i) => [i + 1, i]));
    expect(events.every((e) => e.timestamp instanceof Date)).toBe(true);
    expect(events[0]?.executionStartedEventDetails?.input).toBe('{"alert":1}');
    expect(events[1]?.stateEnteredEventDetails?.name).toBe('Work');
    expect(JSON.parse(events[5]?.executionSucceededEventDetails?.output as string)).toEqual({
      alert: 1,
      result: { worked: true },
    });
    expect(all.nextToken).toBeUndefined();
    expect(paged).toEqual(events);
    expect(reversed.events?.map((e) => e.id)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('answers InvalidToken to a nextToken of another execution', async () => {
    const { sfn, arn, engine } = await startLocal();
    const stateMachineArn = await arn(WORK);
    const a = await engine.startExecution({ stateMachineArn, name: 'a' });
    const b = await engine.startExecution({ stateMachineArn, name: 'b' });
    await engine.waitForExecution(a.executionArn as string);
    await engine.waitForExecution(b.executionArn as string);
    const page = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: a.executionArn, maxResults: 1 }),
    );

    await expect(
      sfn.send(
        new GetExecutionHistoryCommand({ executionArn: b.executionArn, nextToken: page.nextToken }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidToken' });
  });
});

describe('DescribeStateMachine', () => {
  it('describes a state machine as AWS does, and answers StateMachineDoesNotExist', async () => {
    const { sfn, arn } = await startLocal();
    const stateMachineArn = await arn(WORK, 'Investigation');

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));

    expect(described).toMatchObject({
      stateMachineArn,
      name: 'Investigation',
      status: 'ACTIVE',
      type: 'STANDARD',
      roleArn: expect.stringMatching(/^arn:aws:iam::000000000000:role\//),
      creationDate: expect.any(Date),
    });
    expect(JSON.parse(described.definition as string)).toEqual(WORK);
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${stateMachineArn}x` })),
    ).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  });
});

describe('the protocol', () => {
  /** The status and `__type` a raw AWS JSON request gets. */
  const post = async (url: string, target: string, body: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target },
      body,
    });
    return [response.status, ((await response.json()) as { __type: string }).__type];
  };

  it('answers UnknownOperationException and SerializationException as AWS names them', async () => {
    const { url } = await startLocal();

    const unknown = await post(url, `${TARGET_PREFIX}CreateActivity`, '{}');
    const inherited = await post(url, `${TARGET_PREFIX}toString`, '{}');
    const malformed = await post(url, `${TARGET_PREFIX}ListExecutions`, '{"stateMachineArn":');
    const notAnObject = await post(url, `${TARGET_PREFIX}ListExecutions`, '[1]');

    expect(unknown).toEqual([400, 'UnknownOperationException']);
    expect(inherited).toEqual([400, 'UnknownOperationException']);
    expect(malformed).toEqual([400, 'SerializationException']);
    expect(notAnObject).toEqual([400, 'SerializationException']);
  });
});

describe('the AWS CLI', () => {
  it('lists one page of executions and a nextToken with list-executions', async () => {
    const { url, arn, engine } = await startLocal(steppingClock());
    const stateMachineArn = await arn(QUICK);
    for (let i = 0; i < 120; i += 1) await engine.startExecution({ stateMachineArn });
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    };
    const run = (args: string[]) =>
      promisify(execFile)('aws', ['stepfunctions', ...args, '--endpoint-url', url], { env });
    try {
      await promisify(execFile)('aws', ['--version'], { env });
    } catch {
      console.warn('Skipped: the AWS CLI (`aws`) is not installed');
      return;
    }

    const page = JSON.parse(
      (
        await run([
          'list-executions',
          '--state-machine-arn',
          stateMachineArn,
          '--no-paginate',
          '--max-results',
          '30',
        ])
      ).stdout,
    );
    const all = JSON.parse(
      (await run(['list-executions', '--state-machine-arn', stateMachineArn, '--page-size', '50']))
        .stdout,
    );

    expect(page.executions).toHaveLength(30);
    expect(page.nextToken).toEqual(expect.any(String));
    expect(all.executions).toHaveLength(120);
    expect(new Set(all.executions.map((e: { name: string }) => e.name)).size).toBe(120);
  }, 60_000);
});

describe("the runtime's own functions' client (in this process, no socket)", () => {
  it('starts, resumes and describes executions, and gets the AWS error names the endpoint answers', async () => {
    // Prepare: the engine without a server; the client as the runtime builds its functions' one.
    const { engine, arn, tokens } = await startLocal();
    await served?.close();
    served = undefined;
    const endpoint = createStepFunctionsEndpoint(engine);
    const own = new SFNClient({
      region: 'us-east-1',
      endpoint: 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
      signer: UNSIGNED,
      requestHandler: new InProcessStepFunctions(() => endpoint),
    });

    // Act
    const { executionArn } = await own.send(
      new StartExecutionCommand({ stateMachineArn: await arn(WAITING), name: 'own' }),
    );
    await until(() => tokens.length === 1);
    await own.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }));
    await engine.waitForExecution(executionArn as string);
    const described = await own.send(new DescribeExecutionCommand({ executionArn }));
    const again = own.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: '{}' }));

    // Assess: port 9 (discard) was never dialled; dates and errors come back as from AWS.
    expect(described.status).toBe('SUCCEEDED');
    expect(described.startDate).toBeInstanceOf(Date);
    await expect(again).rejects.toMatchObject({
      name: 'TaskTimedOut',
      $metadata: { httpStatusCode: 400 },
    });
  });
});
