// The webhook connector: POSTs the action as JSON to a receiver the EDR or mail team runs, signed
// with HMAC-SHA256 over timestamp and body, the action id as idempotency key. The receiver's
// answer becomes the action's result, or (202 Accepted) the action runs until the receiver calls
// back, signed, at POST /api/connectors/webhook/callbacks. Payload, headers, receiver: ./README.md.
import type { Action } from '../../core/model.js';
import type { Clock, Connector, ConnectorOutcome, RemediationProgress } from '../../core/ports.js';
import { systemClock } from '../../core/ports.js';
import type { RemediationReportStore } from '../../core/remediation-reports.js';
import { clip } from '../../core/text.js';
import { signWebhook, WEBHOOK_HEADERS } from '../../core/webhook-signature.js';
import { ConnectorPermanentError, ConnectorTransientError } from '../../core/workflow-errors.js';
import { logger } from '../../observability.js';
import { describeFailure, outcomeOf, parseJson, readAnswer, reasonOf } from './webhook-answers.js';

export { WEBHOOK_HEADERS } from '../../core/webhook-signature.js';

const WEBHOOK_CONNECTOR = 'webhook';

type WebhookOperation = 'execute' | 'undo';

/** The request body. `version` changes only if the shape does. */
interface WebhookPayload {
  version: 1;
  operation: WebhookOperation;
  action: Action;
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
  /** How long a receiver that answered 202 has to call back before the action is TimedOut. */
  resultTimeoutSeconds: number;
  /** Where the receivers' callbacks are kept: `status` reads them. */
  reports: Pick<RemediationReportStore, 'get'>;
  clock?: Clock;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Attempt = { answered: RemediationProgress } | { retry: string };

/** A 202 to execute: the receiver works on it and calls back; `{"ref"}` names its job. */
function runningOf(text: string): RemediationProgress {
  const ref = (parseJson(text) as { ref?: unknown } | undefined)?.ref;
  return typeof ref === 'string' && ref.trim()
    ? { state: 'running', ref: clip(ref.trim(), 256, '…') }
    : { state: 'running' };
}

export class WebhookConnector implements Connector {
  readonly name = WEBHOOK_CONNECTOR;
  readonly timeoutSeconds: number;
  private readonly secret: () => Promise<string>;
  /** Named in reasons and logs without path or query, which may carry a token. */
  private readonly receiver: string;

  constructor(private readonly options: WebhookConnectorOptions) {
    this.receiver = new URL(options.url).host;
    this.timeoutSeconds = options.resultTimeoutSeconds;
    const { secret } = options;
    this.secret = typeof secret === 'string' ? async () => secret : fetchOnce(secret);
  }

  submit(action: Action): Promise<RemediationProgress> {
    return this.deliver(action, 'execute');
  }

  /** What the receiver called back with, if it has; running until then. */
  async status(action: Action, ref?: string): Promise<RemediationProgress> {
    let report: Awaited<ReturnType<WebhookConnectorOptions['reports']['get']>>;
    try {
      report = await this.options.reports.get(action.id);
    } catch (error) {
      throw new ConnectorTransientError(
        `Webhook callbacks unreadable: ${error instanceof Error ? error.name : 'unknown error'}`,
        { cause: error },
      );
    }
    if (report?.state === 'completed') {
      const { outcome, detail } = report;
      return detail === undefined
        ? { state: 'completed', outcome }
        : { state: 'completed', outcome, detail };
    }
    if (report?.state === 'failed') {
      const { reason, outcome } = report;
      return outcome === undefined
        ? { state: 'failed', reason }
        : { state: 'failed', reason, outcome };
    }
    return ref === undefined ? { state: 'running' } : { state: 'running', ref };
  }

  async undo(action: Action): Promise<ConnectorOutcome> {
    const progress = await this.deliver(action, 'undo');
    // post() answers `running` to execute only: an undo's answer is always its result.
    if (progress.state !== 'completed') {
      throw new ConnectorPermanentError(`Webhook ${this.receiver} did not finish the undo`);
    }
    const { state: _state, ...outcome } = progress;
    return outcome;
  }

  private async deliver(action: Action, operation: WebhookOperation): Promise<RemediationProgress> {
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
        const { answered } = attempt;
        logger.info('Webhook delivered', {
          ...log,
          attempts,
          state: answered.state,
          ...(answered.state === 'completed' && { outcome: answered.outcome }),
        });
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
    if (status === 202 && operation === 'execute') return { answered: runningOf(text) };
    if (status >= 200 && status < 300) {
      return { answered: { state: 'completed', ...outcomeOf(response, text) } };
    }
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
