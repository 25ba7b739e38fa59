// The notification channels the configuration names (none: an empty list, nothing sent).
import { SNSClient } from '@aws-sdk/client-sns';
import { type NotifySettings, topicRegionOf } from '../../core/notify-settings.js';
import type { NotificationChannel } from '../../core/ports.js';
import { slackChannel, teamsChannel, webhookChannel } from './channels.js';
import { SNS_ATTEMPTS, snsChannel } from './sns-channel.js';

export function notificationChannels(settings: NotifySettings): NotificationChannel[] {
  return [
    ...(settings.webhook ? [webhookChannel(settings.webhook.url, settings.webhook.secret)] : []),
    ...(settings.slackUrl ? [slackChannel(settings.slackUrl)] : []),
    ...(settings.teamsUrl ? [teamsChannel(settings.teamsUrl)] : []),
    ...(settings.topicArn ? [topicChannel(settings.topicArn)] : []),
  ];
}

/** The topic's client calls the topic's own region, whatever region the function runs in. */
function topicChannel(topicArn: string): NotificationChannel {
  const sns = new SNSClient({ region: topicRegionOf(topicArn), maxAttempts: SNS_ATTEMPTS });
  return snsChannel(topicArn, sns);
}
