// The runtime's AWS endpoints driven by clients nobody here wrote (the AWS SDK v3 Step Functions,
// DynamoDB and EventBridge clients, and the AWS CLI) with the credentials `npm run credentials`
// prints: what works with them, and that every call without them or with wrong ones is refused.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';
import { DynamoDBClient, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { jest } from '@jest/globals';
import type { LocalAwsCredentials } from '../../../infra/local/aws-credentials.js';
import { oneFileAlert } from '../../fixtures/alerts.js';
import { eventBridgeClient } from '../../support/event-bridge-client.js';
import {
  awsCredentialsOf,
  eventually,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
} from '../../support/runtime-process.js';

jest.setTimeout(120_000);
const run = promisify(execFile);

type AwsFailure = Error & { $metadata: { httpStatusCode: number } };
const failure = (error: AwsFailure) => error;
const WRONG_KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' };

const alertEntry = (alertId: string) => ({
  Source: 'actioncenter.alerts',
  DetailType: 'Security Alert',
  Detail: JSON.stringify(oneFileAlert(alertId)),
  Time: new Date(),
});

/** TCP sockets a process listens on (Linux /proc). */
function listeningTcpSockets(pid: number): number {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const link = (() => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return '';
      }
    })();
    const match = /^socket:\[(\d+)\]$/.exec(link);
    if (match?.[1]) inodes.add(match[1]);
  }
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const columns = line.trim().split(/\s+/);
      if (columns[3] === '0A' && inodes.has(columns[9] ?? '')) count += 1;
    }
  }
  return count;
}

describe('the AWS endpoints, with the generated credentials', () => {
  let runtime: RuntimeProcess;
  let credentials: LocalAwsCredentials;
  const sfnWith = (creds: LocalAwsCredentials, extra: Record<string, unknown> = {}) =>
    new SFNClient({
      endpoint: runtime.url,
      region: 'us-east-1',
      credentials: creds,
      maxAttempts: 1,
      ...extra,
    });
  const dynamoWith = (creds: LocalAwsCredentials, extra: Record<string, unknown> = {}) =>
    new DynamoDBClient({
      endpoint: runtime.url,
      region: 'us-east-1',
      credentials: creds,
      maxAttempts: 1,
      ...extra,
    });

  beforeAll(async () => {
    runtime = await startRuntimeProcess({ env: { TABLE_NAME: 'ActionCenter' } });
    credentials = awsCredentialsOf(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
    removeDataDir(runtime.dataDir);
  });

  it('runs the Step Functions calls the workflow uses: idempotent start, paging, history, InvalidToken', async () => {
    const events = eventBridgeClient(runtime.url, credentials);
    const sfn = sfnWith(credentials);
    await events.send(new PutEventsCommand({ Entries: [alertEntry('fidelity-1')] }));
    const first = await eventually(async () => {
      const list = await sfn.send(new ListExecutionsCommand({}));
      return list.executions?.[0];
    }, 'the alert to start an execution');
    const described = await sfn.send(
      new DescribeExecutionCommand({ executionArn: first.executionArn }),
    );
    const start = () =>
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: described.stateMachineArn,
          name: 'fidelity-again',
          input: described.input,
        }),
      );

    const started = await start();
    const again = await start();
    const pageOne = await sfn.send(new ListExecutionsCommand({ maxResults: 1 }));
    const pageTwo = await sfn.send(
      new ListExecutionsCommand({ maxResults: 1, nextToken: pageOne.nextToken }),
    );
    const history = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn: first.executionArn }),
    );
    const forged = await sfn
      .send(new SendTaskSuccessCommand({ taskToken: 'forged-token', output: '{}' }))
      .catch(failure);

    expect(again).toEqual(started);
    expect(pageOne.executions).toHaveLength(1);
    expect(pageTwo.executions).toHaveLength(1);
    expect(pageTwo.executions?.[0]?.executionArn).not.toBe(pageOne.executions?.[0]?.executionArn);
    expect(history.events?.[0]?.type).toBe('ExecutionStarted');
    expect(forged).toMatchObject({ name: 'InvalidToken', $metadata: { httpStatusCode: 400 } });
    events.destroy();
    sfn.destroy();
  });

  it('refuses every endpoint a call with an unknown key, a wrong secret, another region or an old clock', async () => {
    const wrongSecret = { ...credentials, secretAccessKey: WRONG_KEY.secretAccessKey };
    const calls = (creds: LocalAwsCredentials, extra: Record<string, unknown> = {}) => {
      const events = eventBridgeClient(runtime.url, creds);
      const sfn = sfnWith(creds, extra);
      const dynamo = dynamoWith(creds, extra);
      return Promise.all([
        events
          .send(new PutEventsCommand({ Entries: [alertEntry('refused-1')] }))
          .catch(failure)
          .finally(() => events.destroy()),
        sfn
          .send(new ListExecutionsCommand({}))
          .catch(failure)
          .finally(() => sfn.destroy()),
        dynamo
          .send(new ListTablesCommand({}))
          .catch(failure)
          .finally(() => dynamo.destroy()),
      ]);
    };

    const unknown = await calls(WRONG_KEY);
    const badSecret = await calls(wrongSecret);
    const otherRegion = await calls(credentials, { region: 'eu-west-1' });
    const oldClock = await calls(credentials, { systemClockOffset: -10 * 60 * 1000 });

    const names = (answers: unknown[]) => answers.map((a) => (a as Error).name);
    expect(names(unknown)).toEqual(Array(3).fill('UnrecognizedClientException'));
    expect(names(badSecret)).toEqual(Array(3).fill('InvalidSignatureException'));
    expect(names(otherRegion.slice(1))).toEqual(Array(2).fill('InvalidSignatureException'));
    expect((otherRegion[2] as Error).message).toContain('scoped to a valid region');
    expect(names(oldClock.slice(1))).toEqual(Array(2).fill('InvalidSignatureException'));
    expect((oldClock[1] as Error).message).toContain('Signature expired');
  });

  it('answers an unsigned call MissingAuthenticationTokenException on every AWS protocol', async () => {
    const unsigned = (target: string, contentType: string) =>
      fetch(runtime.url, {
        method: 'POST',
        headers: { 'Content-Type': contentType, 'X-Amz-Target': target },
        body: '{}',
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { __type: string } }));

    const answers = await Promise.all([
      unsigned('AWSEvents.PutEvents', 'application/x-amz-json-1.1'),
      unsigned('AWSStepFunctions.ListExecutions', 'application/x-amz-json-1.0'),
      unsigned('DynamoDB_20120810.ListTables', 'application/x-amz-json-1.0'),
    ]);

    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
    expect(answers.map((a) => a.body.__type.replace(/^.*#/, ''))).toEqual(
      Array(3).fill('MissingAuthenticationTokenException'),
    );
  });

  it('lets another local process write the table only with the credentials; dynalite has no port of its own', async () => {
    const item = { pk: { S: 'INTRUDER' }, sk: { S: 'INTRUDER' } };
    const intruder = dynamoWith(WRONG_KEY);
    const owner = dynamoWith(credentials);

    const refused = await intruder
      .send(new PutItemCommand({ TableName: 'ActionCenter', Item: item }))
      .catch(failure);
    const tables = await owner.send(new ListTablesCommand({}));

    expect(refused).toMatchObject({ name: 'UnrecognizedClientException' });
    expect(tables.TableNames).toEqual(['ActionCenter']);
    expect(listeningTcpSockets(runtime.pid)).toBe(1);
    intruder.destroy();
    owner.destroy();
  });

  it('takes `aws events put-events` with no flags after eval "$(npm run -s credentials)" (skipped when `aws` is missing)', async () => {
    const version = await run('aws', ['--version']).catch(() => undefined);
    if (!version) {
      console.warn('aws CLI not installed: skipping the CLI checks');
      return;
    }
    const port = new URL(runtime.url).port;
    const entries = JSON.stringify([
      {
        Source: 'actioncenter.alerts',
        DetailType: 'Security Alert',
        Detail: '{"alertId":"cli-1"}',
      },
    ]);
    const script = `eval "$(npm run -s credentials)" && aws events put-events --entries '${entries}' && AWS_SECRET_ACCESS_KEY=wrong aws stepfunctions list-executions`;

    const out = await run('bash', ['-c', script], {
      env: { ...process.env, DATA_DIR: runtime.dataDir, PORT: port, AWS_MAX_ATTEMPTS: '1' },
    }).catch((error: { stdout: string; stderr: string }) => error);

    expect(JSON.parse(out.stdout)).toMatchObject({ FailedEntryCount: 0 });
    expect(out.stderr).toContain('(InvalidSignatureException)');
  });
});
