// The SNS channel with the SDK mocked: what it publishes (topic, e-mail subject and body, the
// attributes subscribers filter on), that the configured topic's region is the client's, and that
// a publish that fails ends in DeliveryFailed naming the SDK error only, never its message.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DeliveryFailed } from '../../../../functions/adapters/notify/channels.js';
import { notificationChannels } from '../../../../functions/adapters/notify/index.js';
import { snsChannel } from '../../../../functions/adapters/notify/sns-channel.js';
import {
  emailSubject,
  emailText,
  type NotificationMessage,
} from '../../../../functions/core/notification-messages.js';
import { DEFAULT_SLA_MINUTES } from '../../../../functions/core/reminders.js';

const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:ActionCenter-Notifications';
const sns = mockClient(SNSClient);

const MESSAGE: NotificationMessage = {
  event: 'Reminder',
  investigation: {
    id: 'inv-0123456789abcdef0123',
    title: 'Dropper on a laptop',
    severity: 'critical',
  },
  actions: [
    {
      id: 'act-0123456789abcdef0123-0123456789ab',
      investigationId: 'inv-0123456789abcdef0123',
      type: 'isolateDevice',
      target: 'fin-laptop-7',
      severity: 'critical',
      expiresAt: '2026-12-09T08:00:00.000Z',
      link: 'https://ac.example.com/#/decide/v1.abc.def',
    },
  ],
  sentAt: '2026-12-02T08:00:00.000Z',
};

beforeEach(() => sns.reset());

describe('the sns channel', () => {
  it('publishes the e-mail subject and text to the topic, with the event and severity as attributes', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const channel = snsChannel(TOPIC, new SNSClient({ region: 'eu-central-1' }));

    // Act
    await channel.send(MESSAGE);

    // Assess
    expect(channel.name).toBe('sns');
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: emailSubject(MESSAGE),
      Message: emailText(MESSAGE),
      MessageAttributes: {
        event: { DataType: 'String', StringValue: 'Reminder' },
        severity: { DataType: 'String', StringValue: 'critical' },
      },
    });
  });

  it("fails with DeliveryFailed naming the SDK error and its attempts, not the error's message", async () => {
    // Prepare
    const refused = Object.assign(
      new Error('User: arn:aws:sts::123456789012:assumed-role/x is not authorized on fin-laptop-7'),
      { name: 'AuthorizationErrorException', $metadata: { attempts: 1 } },
    );
    const throttled = Object.assign(
      new Error('Rate exceeded for https://ac.example.com/#/decide'),
      {
        name: 'ThrottledException',
        $metadata: { attempts: 4 },
      },
    );
    sns.on(PublishCommand).rejectsOnce(refused).rejectsOnce(throttled);
    const channel = snsChannel(TOPIC, new SNSClient({ region: 'eu-central-1' }));

    // Act
    const first = await channel.send(MESSAGE).catch((e: unknown) => e);
    const second = await channel.send(MESSAGE).catch((e: unknown) => e);

    // Assess
    expect(first).toBeInstanceOf(DeliveryFailed);
    expect(first).toMatchObject({
      channel: 'sns',
      reason: 'AuthorizationErrorException',
      attempts: 1,
    });
    expect(second).toMatchObject({ channel: 'sns', reason: 'ThrottledException', attempts: 4 });
    for (const failure of [first, second] as DeliveryFailed[]) {
      expect(failure.message).not.toMatch(/not authorized|Rate exceeded|decide|fin-laptop/);
    }
  });

  it('is configured when NOTIFY_TOPIC_ARN is, with a client in the topic’s region that retries', async () => {
    // Prepare
    const settings = { topicArn: TOPIC, sla: DEFAULT_SLA_MINUTES, escalation: {} };

    // Act
    const channels = notificationChannels(settings);
    const none = notificationChannels({ sla: DEFAULT_SLA_MINUTES, escalation: {} });
    sns.on(PublishCommand).resolves({});
    await channels[0]?.send(MESSAGE);

    // Assess
    expect(channels.map((c) => c.name)).toEqual(['sns']);
    expect(none).toEqual([]);
    const client = sns.commandCalls(PublishCommand)[0]?.thisValue as SNSClient;
    expect(await client.config.region()).toBe('eu-central-1');
    expect(await client.config.maxAttempts()).toBe(4);
  });
});
