// The SNS channel: each message published to one topic (NOTIFY_TOPIC_ARN), whose e-mail
// subscribers get the subject and the plain-text body of core/notification-messages.ts. The
// `event` and `severity` message attributes let a subscription filter, e.g. only critical ones.
// The SDK retries what may pass (throttling, 5xx, network) itself; what still fails is a
// DeliveryFailed naming the SDK error only, since its message may quote the request.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  emailSubject,
  emailText,
  type NotificationMessage,
  severityOf,
} from '../../core/notification-messages.js';
import { DeliveryFailed, type NotificationChannel } from './channels.js';

/** Calls in all, the first included, for the SNS client (the SDK's standard retry). */
export const SNS_ATTEMPTS = 4;

/** What SNS is sent for a message: the topic, the e-mail's subject and body, the attributes. */
export function publishInput(topicArn: string, message: NotificationMessage) {
  return {
    TopicArn: topicArn,
    Subject: emailSubject(message),
    Message: emailText(message),
    MessageAttributes: {
      event: { DataType: 'String', StringValue: message.event },
      severity: { DataType: 'String', StringValue: severityOf(message) },
    },
  };
}

export function snsChannel(topicArn: string, sns: SNSClient): NotificationChannel {
  return {
    name: 'sns',
    async send(message) {
      try {
        await sns.send(new PublishCommand(publishInput(topicArn, message)));
      } catch (error) {
        const e = error as { name?: unknown; $metadata?: { attempts?: number } };
        const reason = error instanceof Error && typeof e.name === 'string' ? e.name : 'Error';
        throw new DeliveryFailed('sns', reason, e.$metadata?.attempts ?? 1);
      }
    },
  };
}
