// What a notification says, and how each channel carries it. The generic webhook gets the message
// as it is (docs/openapi.json, NotificationMessage); Slack gets a Block Kit message, Teams an
// Adaptive Card in the Incoming Webhook's `message` envelope. Alert content is untrusted: it is
// escaped for each channel's markup, so an alert cannot add a link or a mention of its own. A
// message never carries a task token or a secret: only decision links, which decide nothing alone.

import * as z from 'zod';
import { ACTION_TYPE_LABELS } from './action-labels.js';
import { ActionType, SEVERITIES, Severity } from './model.js';

const NOTIFICATION_EVENTS = ['ActionsPending', 'Reminder', 'Escalation', 'Digest'] as const;
export const NotificationEvent = z.enum(NOTIFICATION_EVENTS);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const NotifiedAction = z.object({
  id: z.string(),
  investigationId: z.string(),
  type: ActionType,
  /** The target's display name. */
  target: z.string(),
  severity: Severity,
  expiresAt: z.iso.datetime(),
  link: z.string().meta({
    description:
      'The decision link (`<PUBLIC_URL>/#/decide/<token>`): opening it decides nothing; a signed-in person the policies allow decides there, once.',
  }),
});
export type NotifiedAction = z.infer<typeof NotifiedAction>;

/** A Digest lists at most this many actions, the oldest first. */
export const DIGEST_ACTIONS = 100;

/** The generic webhook's body, and what the other channels render. */
export const NotificationMessage = z.object({
  event: NotificationEvent,
  investigation: z
    .object({ id: z.string(), title: z.string(), severity: Severity })
    .optional()
    .meta({
      description:
        "The actions' investigation; absent on a `Digest`, whose actions span investigations.",
    }),
  actions: z.array(NotifiedAction),
  pendingTotal: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .meta({
      description: `\`Digest\` only: how many actions wait in all; \`actions\` lists the oldest, at most ${DIGEST_ACTIONS}.`,
    }),
  sentAt: z.iso.datetime(),
});
export type NotificationMessage = z.infer<typeof NotificationMessage>;

/** At most this many actions are listed one by one; the rest are counted (channels cap sizes). */
export const LISTED_ACTIONS = 20;
/** Alert text is cut to this many characters in a chat message. */
const TEXT_CHARS = 200;

const HEADLINES: Record<NotificationEvent, string> = {
  ActionsPending: 'Actions wait for your decision',
  Reminder: 'Reminder: actions still wait for a decision',
  Escalation: 'Escalation: actions waited past their time',
  Digest: 'Pending actions today',
};

const clip = (text: string, chars = TEXT_CHARS) =>
  text.length > chars ? `${text.slice(0, chars - 1)}…` : text;

/** The investigation's severity, or a Digest's highest. */
export function severityOf(message: NotificationMessage): Severity {
  if (message.investigation) return message.investigation.severity;
  const ranks = message.actions.map((a) => SEVERITIES.indexOf(a.severity));
  return SEVERITIES[Math.max(0, ...ranks)] ?? 'informational';
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A Digest's count: the actions waiting and the investigations they belong to. */
function digestCount(message: NotificationMessage): string {
  const total = message.pendingTotal ?? message.actions.length;
  const investigations = new Set(message.actions.map((a) => a.investigationId)).size;
  const listed =
    message.actions.length < total ? `, the oldest ${message.actions.length} listed` : '';
  return `${plural(total, 'action')} in ${plural(investigations, 'investigation')}${listed}`;
}

/** The first line of every channel: what happened and in which investigation (or how many). */
function headlineOf(message: NotificationMessage): string {
  return message.investigation
    ? `${HEADLINES[message.event]}: ${clip(message.investigation.title)}`
    : `${HEADLINES[message.event]}: ${digestCount(message)}`;
}

/** The line under the headline: the investigation's id and severity, or a digest's count. */
function contextOf(message: NotificationMessage, escaped: (text: string) => string): string {
  const { investigation } = message;
  return investigation
    ? `Investigation ${escaped(investigation.id)}, severity ${investigation.severity}`
    : `${escaped(digestCount(message))}, oldest first`;
}

// ---- Slack (incoming webhook, Block Kit)

/** Slack's mrkdwn: `&`, `<` and `>` are control characters (links, mentions); escaped as entities. */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackPayload(message: NotificationMessage): unknown {
  const listed = message.actions.slice(0, LISTED_ACTIONS);
  const more = message.actions.length - listed.length;
  return {
    text: slackEscape(headlineOf(message)),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(headlineOf(message), 150) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: contextOf(message, slackEscape),
          },
        ],
      },
      ...listed.map((a) => ({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `*${ACTION_TYPE_LABELS[a.type]}* on ${slackEscape(clip(a.target))}\nSeverity ${a.severity} · expires ${a.expiresAt}`,
        },
        accessory: {
          type: 'button',
          text: { type: 'plain_text', text: 'Review' },
          url: a.link,
          action_id: `review-${a.id}`,
        },
      })),
      ...(more > 0
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${more} more` }] }]
        : []),
    ],
  };
}

// ---- Microsoft Teams (Incoming Webhook / Workflows, Adaptive Card)

/** Adaptive Cards' TextBlock markdown: the characters that make links, emphasis and lists, escaped. */
export function teamsEscape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, (c) => `\\${c}`);
}

export function teamsPayload(message: NotificationMessage): unknown {
  const listed = message.actions.slice(0, LISTED_ACTIONS);
  const more = message.actions.length - listed.length;
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              text: teamsEscape(headlineOf(message)),
              weight: 'Bolder',
              size: 'Medium',
              wrap: true,
            },
            {
              type: 'TextBlock',
              text: contextOf(message, teamsEscape),
              isSubtle: true,
              wrap: true,
            },
            ...listed.map((a) => ({
              type: 'FactSet',
              facts: [
                { title: ACTION_TYPE_LABELS[a.type], value: teamsEscape(clip(a.target)) },
                { title: 'Severity', value: a.severity },
                { title: 'Expires', value: a.expiresAt },
              ],
            })),
            ...(more > 0 ? [{ type: 'TextBlock', text: `and ${more} more`, wrap: true }] : []),
          ],
          actions: listed.slice(0, 5).map((a) => ({
            type: 'Action.OpenUrl',
            title: `Review: ${clip(`${ACTION_TYPE_LABELS[a.type]} on ${a.target}`, 60)}`,
            url: a.link,
          })),
        },
      },
    ],
  };
}

// ---- E-mail (an SNS topic's e-mail subscriptions: a subject and a plain-text body)

/** SNS takes an e-mail subject of printable ASCII, shorter than 100 characters. */
export const EMAIL_SUBJECT_CHARS = 99;

// Control characters (C0, DEL, C1), line and paragraph separators, and the invisible format
// characters (bidirectional overrides among them) that could start a line or disguise text.
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu;

/** Alert text as one line: what could break or disguise a line becomes a space. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Alert text cannot become a link in a mail client: its URLs, domains and addresses are defanged
 * the way analysts share indicators (`hxxps[://]evil[.]example`), so reading one opens nothing.
 */
export function defang(text: string): string {
  return text
    .replace(/\bhttp/gi, (h) => `${h[0]}xx${h.slice(3)}`)
    .replace(/:\/\//g, '[://]')
    .replace(/\./g, '[.]')
    .replace(/@/g, '[@]');
}

/** The subject of a notification e-mail: the event, the severity and the investigation's title. */
export function emailSubject(message: NotificationMessage): string {
  const { investigation } = message;
  const subject = oneLine(
    investigation
      ? `${HEADLINES[message.event]} (${investigation.severity}): ${investigation.title}`
      : headlineOf(message),
  )
    // Accents dropped (é becomes e); what is still not printable ASCII becomes a question mark.
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, '?');
  return subject.length > EMAIL_SUBJECT_CHARS
    ? `${subject.slice(0, EMAIL_SUBJECT_CHARS - 3).trimEnd()}...`
    : subject;
}

/** Cut by code points, so a cut never splits a character in two. */
function cut(text: string, chars = TEXT_CHARS): string {
  const points = Array.from(text);
  return points.length > chars ? `${points.slice(0, chars - 1).join('')}…` : text;
}

/** Alert text in the e-mail's body: one line, cut, defanged. */
const mailText = (text: string) => defang(cut(oneLine(text)));

/**
 * The plain-text body of a notification e-mail. Each field is one line of its own, labelled:
 * alert text cannot add a line, a link or a decision of its own; only the decision links are links.
 */
export function emailText(message: NotificationMessage): string {
  const { investigation } = message;
  const listed = message.actions.slice(0, LISTED_ACTIONS);
  const more = message.actions.length - listed.length;
  const count = message.actions.length;
  const lines = [
    `${HEADLINES[message.event]}.`,
    '',
    ...(investigation
      ? [
          `Investigation: ${mailText(investigation.title)}`,
          `Severity: ${investigation.severity}`,
          `Investigation id: ${oneLine(investigation.id)}`,
          '',
          `${plural(count, 'action')} to decide:`,
        ]
      : [`${digestCount(message)}, oldest first:`]),
    ...listed.flatMap((a, i) => [
      '',
      `${i + 1}. ${ACTION_TYPE_LABELS[a.type]}`,
      ...(investigation ? [] : [`   Investigation id: ${oneLine(a.investigationId)}`]),
      `   Target: ${mailText(a.target)}`,
      `   Severity: ${a.severity}`,
      `   Expires: ${oneLine(a.expiresAt)}`,
      `   Decide: ${oneLine(a.link)}`,
    ]),
    ...(more > 0 ? ['', `and ${more} more: see the Pending tab of the Action Center.`] : []),
    '',
    'A decision link decides nothing when it is opened: you sign in, review the action and decide there.',
    `Sent by the Action Center at ${oneLine(message.sentAt)}.`,
  ];
  return `${lines.join('\n')}\n`;
}
