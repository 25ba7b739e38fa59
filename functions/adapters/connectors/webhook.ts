// The webhook connector: POSTs the action as JSON to a receiver the EDR or mail team runs, signed
// with HMAC-SHA256 over timestamp and body, the action id as idempotency key. The receiver's
// answer becomes the action's result. Payload, headers and a receiver: ./README.md.
import { createHmac } from 'node:crypto';
import type { Action } from '../../core/model.js';
import type { Clock, Connector, ConnectorOutcome } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import { clip } from '../../core/text.js';
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';

const WEBHOOK_CONNECTOR = 'webhook';

export const WEBHOOK_HEADERS = {
  /** Unix seconds when this attempt was signed. */
  timestamp: 'X-ActionCenter-Timestamp',
  /** `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` */
  signature: 'X-ActionCenter-Signature',
  /** The action id (execute) or `<action id>:undo` (undo): the same on every retry. */
  idempotencyKey: 'Idempotency-Key',
} as const;

type WebhookOperation = 'execute' | 'undo';

/** The request body. `version` changes only if the shape does. */
interface WebhookPayload {
  version: 1;
  operation: WebhookOperation;
  action: Action;
}

/** The signature header's value for a timestamp and the exact body bytes sent. */
function signWebhook(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Undo has its own key: to the receiver it is a different request from the execute it reverses. */
function idempotencyKeyOf(actionId: string, operation: WebhookOperation): string {
  return operation === 'execute' ? actionId : `${actionId}:undo`;
}

export interface WebhookConnectorOptions {
  url: string;
  /** The signing secret, or how to fetch it (fetched on first use, then kept). */
  secret: string | (() => Promise<string>);
  /** How long one attempt may take, answer included. */
  timeoutMs: number;
  /** Attempts per call, on 5xx, 408, 429, network errors and timeouts (default 3). */
  maxAttempts?: number;
  /** The first retry waits up to this long, doubling each time (default 500 ms). */
  backoffMs?: number;
  /** All attempts of one call end within this (default 25 s: an API undo must answer in 29 s). */
  deadlineMs?: number;
  clock?: Clock;
}

/** Longest receiver answer read; the rest is dropped (results keep 4000 characters anyway). */
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_REASON_CHARS = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Attempt = { answered: ConnectorOutcome } | { retry: string };

async function readAnswer(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_ANSWER_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  if (size >= MAX_ANSWER_BYTES) await reader.cancel();
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8').trim();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const asText = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() || undefined;
  if (value === undefined || value === null) return undefined;
  return JSON.stringify(value);
};

/** A 2xx answer: `{outcome, detail?}` as sent, else the status text with the body as detail. */
function outcomeOf(response: Response, text: string): ConnectorOutcome {
  const json = parseJson(text) as { outcome?: unknown; detail?: unknown } | undefined;
  const outcome = typeof json?.outcome === 'string' ? json.outcome.trim() : '';
  if (outcome) {
    const detail = asText(json?.detail);
    return detail === undefined ? { outcome } : { outcome, detail };
  }
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return {
    outcome: response.statusText || `HTTP ${response.status}`,
    detail: text ? `Webhook answered ${status}: ${text}` : `Webhook answered ${status}`,
  };
}

/** What a refusal or an error answer says: a JSON error message, else the body, else the status. */
function reasonOf(response: Response, text: string): string {
  const json = parseJson(text) as
    | { error?: unknown; message?: unknown; detail?: unknown }
    | undefined;
  const error = json?.error as { message?: unknown } | string | undefined;
  const message =
    (typeof error === 'object' ? asText(error?.message) : asText(error)) ??
    asText(json?.message) ??
    asText(json?.detail) ??
    text;
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return message ? `${status}: ${clip(message, MAX_REASON_CHARS, '…')}` : status;
}

function describeFailure(error: unknown, timeoutMs: number): string {
  // By name: the abort reason is a DOMException, not always an Error of this realm.
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return `network error (${cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown'})`;
}

export class WebhookConnector implements Connector {
  readonly name = WEBHOOK_CONNECTOR;
  private readonly secret: () => Promise<string>;
  /** Named in reasons and logs without path or query, which may carry a token. */
  private readonly receiver: string;

  constructor(private readonly options: WebhookConnectorOptions) {
    this.receiver = new URL(options.url).host;
    const { secret } = options;
    this.secret = typeof secret === 'string' ? async () => secret : fetchOnce(secret);
  }

  execute(action: Action): Promise<ConnectorOutcome> {
    return this.deliver(action, 'execute');
  }

  undo(action: Action): Promise<ConnectorOutcome> {
    return this.deliver(action, 'undo');
  }

  private async deliver(action: Action, operation: WebhookOperation): Promise<ConnectorOutcome> {
    const secret = await this.secret();
    const payload: WebhookPayload = { version: 1, operation, action };
    const body = JSON.stringify(payload);
    const key = idempotencyKeyOf(action.id, operation);
    const maxAttempts = this.options.maxAttempts ?? 3;
    const backoffMs = this.options.backoffMs ?? 500;
    const deadline = Date.now() + (this.options.deadlineMs ?? 25_000);
    const log = { connector: this.name, receiver: this.receiver, actionId: action.id, operation };

    let problem = 'no attempt made';
    let attempts = 0;
    while (attempts < maxAttempts) {
      const timeoutMs = Math.min(this.options.timeoutMs, deadline - Date.now());
      if (timeoutMs <= 0) break;
      attempts += 1;
      const attempt = await this.post(body, key, secret, timeoutMs, action, operation);
      if ('answered' in attempt) {
        logger.info('Webhook delivered', { ...log, attempts, outcome: attempt.answered.outcome });
        return attempt.answered;
      }
      problem = attempt.retry;
      logger.warn('Webhook attempt failed', { ...log, attempt: attempts, problem });
      if (attempts < maxAttempts) {
        // Exponential backoff with jitter, never past the deadline.
        const wait = backoffMs * 2 ** (attempts - 1) * (0.5 + Math.random() / 2);
        await sleep(Math.max(0, Math.min(wait, deadline - Date.now())));
      }
    }
    throw new ConnectorTransientError(
      `Webhook ${this.receiver} unavailable for ${operation} of ${action.type} after ${attempts} attempt(s): ${problem}`,
    );
  }

  private async post(
    body: string,
    key: string,
    secret: string,
    timeoutMs: number,
    action: Action,
    operation: WebhookOperation,
  ): Promise<Attempt> {
    const timestamp = String(Math.floor((this.options.clock ?? systemClock)().getTime() / 1000));
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'ActionCenter-Webhook/1',
          [WEBHOOK_HEADERS.timestamp]: timestamp,
          [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
          [WEBHOOK_HEADERS.idempotencyKey]: key,
        },
        body,
        // A signed request is never re-sent elsewhere: a redirect is an error.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await readAnswer(response);
    } catch (error) {
      return { retry: describeFailure(error, timeoutMs) };
    }
    const { status } = response;
    if (status >= 200 && status < 300) return { answered: outcomeOf(response, text) };
    if (status >= 500 || status === 408 || status === 429) {
      return { retry: reasonOf(response, text) };
    }
    if (status >= 300 && status < 400) {
      throw new ConnectorPermanentError(
        `Webhook ${this.receiver} answered a redirect (HTTP ${status}) to ${operation} of ${action.type}: set WEBHOOK_URL to the final address`,
      );
    }
    throw new ConnectorPermanentError(
      `Webhook ${this.receiver} refused ${operation} of ${action.type} (${reasonOf(response, text)})`,
    );
  }
}

/** Fetched on first use and kept; a failed fetch is tried again by the next call. */
function fetchOnce(load: () => Promise<string>): () => Promise<string> {
  let cached: Promise<string> | undefined;
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
