// The notification channels: a generic JSON webhook signed as the webhook connector signs
// (core/webhook-signature.ts), and Slack and Microsoft Teams incoming webhooks. Each retries what
// may pass (a network error, a timeout, 429, 5xx) with backoff, honouring Retry-After up to a
// bound, and gives up at once on any other answer. The SNS topic's channel is in sns-channel.ts.
import {
  type NotificationMessage,
  slackPayload,
  teamsPayload,
} from '../../core/notification-messages.js';
import type { NotificationChannel as Port } from '../../core/ports.js';
import { signWebhook, WEBHOOK_HEADERS } from '../../core/webhook-signature.js';

export type ChannelName = 'webhook' | 'slack' | 'teams' | 'sns';

/** Delivers the message, or throws DeliveryFailed once it will not be delivered. */
export interface NotificationChannel extends Port {
  readonly name: ChannelName;
}

/** A message the channel refused, or that could not reach it after the retries. */
export class DeliveryFailed extends Error {
  override readonly name = 'DeliveryFailed';
  constructor(
    readonly channel: ChannelName,
    readonly reason: string,
    readonly attempts: number,
  ) {
    super(`The ${channel} notification was not delivered after ${attempts} attempt(s): ${reason}`);
  }
}

export interface DeliveryOptions {
  /** Calls in all, the first included (default 4). */
  attempts?: number;
  /** The wait before the first retry, doubled each time (default 500 ms). */
  baseDelayMs?: number;
  /** A Retry-After longer than this gives up instead (default 30 s). */
  maxRetryAfterMs?: number;
  /** Each call's time limit (default 10 s). */
  timeoutMs?: number;
  /** The clock that signs the webhook's timestamp. */
  clock?: () => Date;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After as seconds or an HTTP date, in milliseconds. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const mayPass = (status: number) => status === 429 || status >= 500;

function httpChannel(
  name: ChannelName,
  url: string,
  request: (
    message: NotificationMessage,
    now: Date,
  ) => { body: string; headers: Record<string, string> },
  options: DeliveryOptions,
): NotificationChannel {
  const attempts = Math.max(1, options.attempts ?? 4);
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const clock = options.clock ?? (() => new Date());
  return {
    name,
    async send(message) {
      let reason = 'not sent';
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        let wait = baseDelayMs * 2 ** (attempt - 1);
        try {
          // Signed per attempt: a retry carries a fresh timestamp.
          const { body, headers } = request(message, clock());
          const response = await fetch(url, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', ...headers },
            body,
            // A redirect is an answer, not followed: the message goes only where it was configured to.
            redirect: 'manual',
            signal: AbortSignal.timeout(timeoutMs),
          });
          // The answer's body is not read into logs: a receiver may echo what it was sent.
          await response.body?.cancel();
          if (response.ok) return;
          reason = `HTTP ${response.status}`;
          if (!mayPass(response.status)) throw new DeliveryFailed(name, reason, attempt);
          const asked = retryAfterMs(response.headers.get('retry-after'), Date.now());
          if (asked !== undefined) {
            if (asked > maxRetryAfterMs)
              throw new DeliveryFailed(name, `${reason}, Retry-After ${asked} ms`, attempt);
            wait = asked;
          }
        } catch (error) {
          if (error instanceof DeliveryFailed) throw error;
          reason = (error as Error).name === 'TimeoutError' ? 'timed out' : 'network error';
        }
        if (attempt < attempts) await sleep(wait / 2 + Math.random() * (wait / 2));
      }
      throw new DeliveryFailed(name, reason, attempts);
    },
  };
}

/** The generic webhook: the message as JSON, signed `v1=hex(HMAC-SHA256(secret, timestamp + "." + body))`. */
export function webhookChannel(url: string, secret: string, options: DeliveryOptions = {}) {
  return httpChannel(
    'webhook',
    url,
    (message, now) => {
      const body = JSON.stringify(message);
      const timestamp = String(Math.floor(now.getTime() / 1000));
      return {
        body,
        headers: {
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
        },
      };
    },
    options,
  );
}

export function slackChannel(url: string, options: DeliveryOptions = {}) {
  return httpChannel(
    'slack',
    url,
    (m) => ({ body: JSON.stringify(slackPayload(m)), headers: {} }),
    options,
  );
}

export function teamsChannel(url: string, options: DeliveryOptions = {}) {
  return httpChannel(
    'teams',
    url,
    (m) => ({ body: JSON.stringify(teamsPayload(m)), headers: {} }),
    options,
  );
}
