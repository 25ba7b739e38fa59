// Where notifications go (NOTIFY_WEBHOOK_URL and its secret, SLACK_WEBHOOK_URL, TEAMS_WEBHOOK_URL,
// NOTIFY_TOPIC_ARN): any subset, none meaning none sent. Their messages carry decision links, so a
// channel needs the links' key and the page's address.
import { checkWebhookUrl, MIN_SECRET_LENGTH } from './connector-settings.js';
import { SEVERITIES, type Severity } from './model.js';
import { DEFAULT_SLA_MINUTES, type EscalationOrder, type SlaMinutes } from './reminders.js';

export interface NotifySettings {
  webhook?: { url: string; secret: string };
  slackUrl?: string;
  teamsUrl?: string;
  /** The SNS topic whose subscribers (e-mail) get the messages. */
  topicArn?: string;
  /** Minutes before a pending action's reminder, by severity (NOTIFY_SLA_MINUTES). */
  sla: SlaMinutes;
  /** Channels in reminder and escalation order, by severity (NOTIFY_ESCALATION). */
  escalation: EscalationOrder;
  /** The UTC hour from which the day's digest of pending actions is sent; undefined: none (NOTIFY_DIGEST_HOUR). */
  digestHour?: number;
}

/** The digest's hour when NOTIFY_DIGEST_HOUR is not set: 08:00 UTC. */
export const DEFAULT_DIGEST_HOUR = 8;

export interface NotifyVariables {
  NOTIFY_WEBHOOK_URL?: string;
  NOTIFY_WEBHOOK_SECRET?: string;
  SLACK_WEBHOOK_URL?: string;
  TEAMS_WEBHOOK_URL?: string;
  NOTIFY_TOPIC_ARN?: string;
  LINK_SECRET?: string;
  PUBLIC_URL?: string;
  NOTIFY_SLA_MINUTES?: string;
  NOTIFY_ESCALATION?: string;
  NOTIFY_DIGEST_HOUR?: string;
}

// A standard topic (a FIFO one takes no e-mail subscription): partition, region, account, name.
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** The region of an SNS topic ARN (the client calls that region); undefined if it is none. */
export function topicRegionOf(arn: string): string | undefined {
  return TOPIC_ARN.exec(arn)?.[1];
}

/** NOTIFY_DIGEST_HOUR: the default hour when unset, undefined when off or wrong (said in `problems`). */
export function digestHourFrom(text: string | undefined, problems: string[]): number | undefined {
  if (text === undefined) return DEFAULT_DIGEST_HOUR;
  if (text.trim().toLowerCase() === 'off') return undefined;
  const hour = Number(text);
  if (text.trim() === '' || !Number.isInteger(hour) || hour < 0 || hour > 23) {
    problems.push('NOTIFY_DIGEST_HOUR: a UTC hour from 0 to 23, or off');
    return undefined;
  }
  return hour;
}

function parseJson(text: string, name: string, problems: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`${name}: not JSON`);
    return undefined;
  }
}

const isSeverity = (key: string): key is Severity =>
  (SEVERITIES as readonly string[]).includes(key);

/** NOTIFY_SLA_MINUTES over the defaults; what is wrong with it goes in `problems`. */
export function slaFrom(text: string | undefined, problems: string[]): SlaMinutes {
  const sla = { ...DEFAULT_SLA_MINUTES };
  if (text === undefined) return sla;
  const given = parseJson(text, 'NOTIFY_SLA_MINUTES', problems);
  if (given === undefined) return sla;
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problems.push(
      'NOTIFY_SLA_MINUTES: a JSON object from severity to minutes, e.g. {"critical":15}',
    );
    return sla;
  }
  for (const [severity, minutes] of Object.entries(given)) {
    if (!isSeverity(severity)) problems.push(`NOTIFY_SLA_MINUTES: ${severity} is not a severity`);
    else if (typeof minutes !== 'number' || !(minutes >= 1) || minutes > 10_080)
      problems.push(`NOTIFY_SLA_MINUTES: ${severity} must be 1 to 10080 minutes`);
    else sla[severity] = minutes;
  }
  return sla;
}

function escalationFrom(
  text: string | undefined,
  configured: readonly string[],
  problems: string[],
): EscalationOrder {
  if (text === undefined) return {};
  const given = parseJson(text, 'NOTIFY_ESCALATION', problems);
  if (given === undefined) return {};
  const order: Record<string, string[]> = {};
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    problems.push(
      'NOTIFY_ESCALATION: a JSON object from severity to channels, e.g. {"critical":["slack","teams"]}',
    );
    return {};
  }
  for (const [severity, chain] of Object.entries(given)) {
    if (!isSeverity(severity)) {
      problems.push(`NOTIFY_ESCALATION: ${severity} is not a severity`);
    } else if (!Array.isArray(chain) || !chain.every((c) => configured.includes(c))) {
      problems.push(
        `NOTIFY_ESCALATION: ${severity} must list configured channels (${configured.join(', ') || 'none configured'})`,
      );
    } else {
      order[severity] = chain as string[];
    }
  }
  return order;
}

/** The channels configured, by name, for the start-up message. */
export function channelNamesOf(settings: NotifySettings): string[] {
  return [
    ...(settings.webhook ? ['webhook'] : []),
    ...(settings.slackUrl ? ['slack'] : []),
    ...(settings.teamsUrl ? ['teams'] : []),
    ...(settings.topicArn ? ['sns'] : []),
  ];
}

export function notifySettingsFrom(v: NotifyVariables, problems: string[]): NotifySettings {
  const settings: NotifySettings = { sla: DEFAULT_SLA_MINUTES, escalation: {} };
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
  if (v.NOTIFY_TOPIC_ARN !== undefined) {
    if (topicRegionOf(v.NOTIFY_TOPIC_ARN) === undefined) {
      problems.push(
        'NOTIFY_TOPIC_ARN: an SNS standard topic ARN, e.g. arn:aws:sns:eu-west-1:123456789012:ActionCenterNotifications',
      );
    } else {
      settings.topicArn = v.NOTIFY_TOPIC_ARN;
    }
  }
  if (channelNamesOf(settings).length > 0 && (!v.LINK_SECRET || !v.PUBLIC_URL)) {
    problems.push('Notifications carry decision links: set LINK_SECRET and PUBLIC_URL too');
  }
  settings.sla = slaFrom(v.NOTIFY_SLA_MINUTES, problems);
  settings.escalation = escalationFrom(v.NOTIFY_ESCALATION, channelNamesOf(settings), problems);
  const digestHour = digestHourFrom(v.NOTIFY_DIGEST_HOUR, problems);
  if (digestHour !== undefined) settings.digestHour = digestHour;
  return settings;
}
