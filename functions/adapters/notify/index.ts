// The notification channels the configuration names (none: an empty list, nothing sent).
import type { NotifySettings } from '../../core/notify-settings.js';
import type { NotificationChannel } from '../../core/ports.js';
import { slackChannel, teamsChannel, webhookChannel } from './channels.js';

export function notificationChannels(settings: NotifySettings): NotificationChannel[] {
  return [
    ...(settings.webhook ? [webhookChannel(settings.webhook.url, settings.webhook.secret)] : []),
    ...(settings.slackUrl ? [slackChannel(settings.slackUrl)] : []),
    ...(settings.teamsUrl ? [teamsChannel(settings.teamsUrl)] : []),
  ];
}
