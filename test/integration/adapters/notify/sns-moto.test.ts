// The sns channel against moto_server: the notifier's own channel (notificationChannels, its client
// in the topic's region) publishes to a topic whose SQS subscribers read back what an e-mail
// subscriber would get: the subject, the plain text and the attributes, which a subscription's
// filter policy can select on. The queues are made and read with the AWS CLI (no SQS client here).
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { jest } from '@jest/globals';
import { DeliveryFailed } from '../../../../functions/adapters/notify/channels.js';
import { notificationChannels } from '../../../../functions/adapters/notify/index.js';
import {
  emailSubject,
  emailText,
  type NotificationMessage,
} from '../../../../functions/core/notification-messages.js';
import type { NotificationChannel } from '../../../../functions/core/ports.js';
import { DEFAULT_SLA_MINUTES } from '../../../../functions/core/reminders.js';
import {
  type MotoServer,
  motoClientConfig,
  motoMissing,
  startMoto,
} from '../../../../infra/local/moto-server.js';

const run = promisify(execFile);
// Each test starts the AWS CLI three or four times (a Python process of about a second, several
// on a machine busy with the other test workers): Jest's 5 s default is too short for that.
jest.setTimeout(30_000);
const REGION = 'eu-central-1';

const awsCliMissing =
  spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).status === 0
    ? undefined
    : 'the AWS CLI (aws) is not on PATH: the sns channel test against moto_server is skipped';
const missing = motoMissing ?? awsCliMissing;
const describeWithMoto = missing ? describe.skip : describe;
if (missing) it.skip(missing, () => undefined);

const INVESTIGATION = {
  id: 'inv-0123456789abcdef0123',
  title: 'Dropper on a laptop\r\nSeverity: low',
  severity: 'high' as const,
};
const MESSAGE: NotificationMessage = {
  event: 'ActionsPending',
  investigation: INVESTIGATION,
  actions: [
    {
      id: 'act-0123456789abcdef0123-0123456789ab',
      investigationId: 'inv-0123456789abcdef0123',
      type: 'isolateDevice',
      target: 'fin-laptop-7.corp.example',
      severity: 'high',
      expiresAt: '2026-12-09T08:00:00.000Z',
      link: 'https://ac.example.com/#/decide/v1.abc.def',
    },
  ],
  sentAt: '2026-12-02T08:00:00.000Z',
};
const CRITICAL: NotificationMessage = {
  ...MESSAGE,
  event: 'Escalation',
  investigation: { ...INVESTIGATION, severity: 'critical' },
};

/** What SQS holds for an SNS subscription without raw delivery: SNS's JSON envelope. */
interface Envelope {
  Type: string;
  TopicArn: string;
  Subject: string;
  Message: string;
  MessageAttributes: Record<string, { Type: string; Value: string }>;
}

let moto: MotoServer;
let sns: SNSClient;
let topicArn: string;
let channel: NotificationChannel;
const saved = { ...process.env };

async function aws(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(
    'aws',
    [...args, '--endpoint-url', moto.endpoint, '--region', REGION, '--output', 'json'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      },
    },
  );
  return stdout.trim() === '' ? {} : JSON.parse(stdout);
}

/** A queue subscribed to the topic (with a filter policy if given); answers its URL. */
async function subscribedQueue(name: string, filterPolicy?: object): Promise<string> {
  const { QueueUrl } = (await aws('sqs', 'create-queue', '--queue-name', name)) as {
    QueueUrl: string;
  };
  const { Attributes } = (await aws(
    'sqs',
    'get-queue-attributes',
    '--queue-url',
    QueueUrl,
    '--attribute-names',
    'QueueArn',
  )) as { Attributes: { QueueArn: string } };
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes.QueueArn,
      ...(filterPolicy && { Attributes: { FilterPolicy: JSON.stringify(filterPolicy) } }),
    }),
  );
  return QueueUrl;
}

async function received(queueUrl: string): Promise<Envelope[]> {
  const { Messages = [] } = (await aws(
    'sqs',
    'receive-message',
    '--queue-url',
    queueUrl,
    '--max-number-of-messages',
    '10',
    '--wait-time-seconds',
    '1',
  )) as { Messages?: { Body: string }[] };
  return Messages.map((m) => JSON.parse(m.Body) as Envelope);
}

describeWithMoto('sns channel against moto_server', () => {
  beforeAll(async () => {
    moto = await startMoto();
    sns = new SNSClient(motoClientConfig(moto.endpoint, REGION));
    const topic = await sns.send(new CreateTopicCommand({ Name: 'ActionCenter-Notifications' }));
    topicArn = topic.TopicArn as string;
    // The channel's own client, as the notifier makes it, finds moto through the SDK's endpoint
    // variable and takes its region from the topic ARN (AWS_REGION says another one).
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SNS: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    });
    const channels = notificationChannels({
      topicArn,
      sla: DEFAULT_SLA_MINUTES,
      escalation: {},
    });
    channel = channels[0] as NotificationChannel;
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    sns?.destroy();
    await moto?.stop();
  });

  it('delivers the subject, the plain text and the event and severity attributes to a subscriber', async () => {
    // Prepare
    const queue = await subscribedQueue('everything');

    // Act
    await channel.send(MESSAGE);

    // Assess
    const [delivered, ...rest] = await received(queue);
    expect(rest).toEqual([]);
    expect(topicArn).toMatch(
      new RegExp(`^arn:aws:sns:${REGION}:\\d{12}:ActionCenter-Notifications$`),
    );
    expect(delivered).toMatchObject({
      Type: 'Notification',
      TopicArn: topicArn,
      Subject: 'Actions wait for your decision (high): Dropper on a laptop Severity: low',
      Message: emailText(MESSAGE),
      MessageAttributes: {
        event: { Type: 'String', Value: 'ActionsPending' },
        severity: { Type: 'String', Value: 'high' },
      },
    });
    expect(delivered?.Subject).toBe(emailSubject(MESSAGE));
    expect(delivered?.Message).toContain('   Target: fin-laptop-7[.]corp[.]example\n');
    expect(delivered?.Message).toContain('   Decide: https://ac.example.com/#/decide/v1.abc.def\n');
  });

  it('lets a subscription take only the severities its filter policy names', async () => {
    // Prepare
    const critical = await subscribedQueue('critical-only', { severity: ['critical'] });

    // Act
    await channel.send(MESSAGE);
    await channel.send(CRITICAL);

    // Assess
    const delivered = await received(critical);
    expect(delivered.map((m) => m.MessageAttributes.severity?.Value)).toEqual(['critical']);
    expect(delivered[0]?.Subject).toBe(
      'Escalation: actions waited past their time (critical): Dropper on a laptop Severity: low',
    );
  });

  it('fails with DeliveryFailed naming the error when the topic does not exist', async () => {
    // Prepare
    const gone = notificationChannels({
      topicArn: topicArn.replace(/ActionCenter-Notifications$/, 'Deleted'),
      sla: DEFAULT_SLA_MINUTES,
      escalation: {},
    })[0] as NotificationChannel;

    // Act
    const failure = await gone.send(MESSAGE).catch((e: unknown) => e);

    // Assess
    expect(failure).toBeInstanceOf(DeliveryFailed);
    expect(failure).toMatchObject({ channel: 'sns', reason: 'NotFoundException', attempts: 1 });
  });
});
