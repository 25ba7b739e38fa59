// Where notifications go (NOTIFY_WEBHOOK_URL and its secret, SLACK_WEBHOOK_URL, TEAMS_WEBHOOK_URL):
// any subset, none meaning none sent. Their messages carry decision links, so a channel needs the
// links' key and the page's address.
import { checkWebhookUrl, MIN_SECRET_LENGTH } from './connector-settings.js';

export interface NotifySettings {
  webhook?: { url: string; secret: string };
  slackUrl?: string;
  teamsUrl?: string;
}

export interface NotifyVariables {
  NOTIFY_WEBHOOK_URL?: string;
  NOTIFY_WEBHOOK_SECRET?: string;
  SLACK_WEBHOOK_URL?: string;
  TEAMS_WEBHOOK_URL?: string;
  LINK_SECRET?: string;
  PUBLIC_URL?: string;
}

/** The channels configured, by name, for the start-up message. */
export function channelNamesOf(settings: NotifySettings): string[] {
  return [
    ...(settings.webhook ? ['webhook'] : []),
    ...(settings.slackUrl ? ['slack'] : []),
    ...(settings.teamsUrl ? ['teams'] : []),
  ];
}

export function notifySettingsFrom(v: NotifyVariables, problems: string[]): NotifySettings {
  const settings: NotifySettings = {};
  if (v.NOTIFY_WEBHOOK_URL !== undefined) {
    checkWebhookUrl(v.NOTIFY_WEBHOOK_URL, problems, 'NOTIFY_WEBHOOK_URL');
    if (v.NOTIFY_WEBHOOK_SECRET === undefined) {
      problems.push('NOTIFY_WEBHOOK_URL: needs NOTIFY_WEBHOOK_SECRET (the messages are signed)');
    } else if (v.NOTIFY_WEBHOOK_SECRET.length < MIN_SECRET_LENGTH) {
      problems.push(`NOTIFY_WEBHOOK_SECRET: must be at least ${MIN_SECRET_LENGTH} characters`);
    } else {
      settings.webhook = { url: v.NOTIFY_WEBHOOK_URL, secret: v.NOTIFY_WEBHOOK_SECRET };
    }
  }
  if (v.SLACK_WEBHOOK_URL !== undefined) {
    checkWebhookUrl(v.SLACK_WEBHOOK_URL, problems, 'SLACK_WEBHOOK_URL');
    settings.slackUrl = v.SLACK_WEBHOOK_URL;
  }
  if (v.TEAMS_WEBHOOK_URL !== undefined) {
    checkWebhookUrl(v.TEAMS_WEBHOOK_URL, problems, 'TEAMS_WEBHOOK_URL');
    settings.teamsUrl = v.TEAMS_WEBHOOK_URL;
  }
  if (channelNamesOf(settings).length > 0 && (!v.LINK_SECRET || !v.PUBLIC_URL)) {
    problems.push('Notifications carry decision links: set LINK_SECRET and PUBLIC_URL too');
  }
  return settings;
}
