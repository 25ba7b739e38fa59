// A webhook receiver for local runs and the demo: stands in for the EDR or mail system behind the
// webhook connector. Verifies each request's signature and age, logs it, answers
// `{outcome, detail}`, and answers a repeated Idempotency-Key with the first answer, unchanged.
// Per action type it may instead answer 202 and call back later, signed (or never call back):
// a connector that completes after 10 s, one that fails later, one that never answers.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod';
import { describeChange } from '../../functions/adapters/connectors/builtin.js';
import { sameSecretText } from '../../functions/core/constant-time.js';
import { ACTION_TYPES, Action } from '../../functions/core/model.js';
import { signWebhook, WEBHOOK_HEADERS } from '../../functions/core/webhook-signature.js';
import { logger } from '../../functions/observability.js';

/**
 * How the receiver answers an execute: `now` 200 with the result (the default); `later` 202, then
 * a signed callback with `state` after `afterMs`; `never` 202 and no callback at all.
 */
const ExecuteAnswer = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('now') }),
  z.strictObject({
    mode: z.literal('later'),
    afterMs: z.number().int().nonnegative(),
    state: z.enum(['completed', 'failed']).default('completed'),
  }),
  z.strictObject({ mode: z.literal('never') }),
]);
export type ExecuteAnswer = z.input<typeof ExecuteAnswer>;

/** Answers by action type, `default` for the rest: WEBHOOK_RECEIVER_ANSWERS as JSON. */
const ExecuteAnswers = z.partialRecord(z.enum(['default', ...ACTION_TYPES]), ExecuteAnswer);
export type ExecuteAnswers = z.input<typeof ExecuteAnswers>;

/** Reads WEBHOOK_RECEIVER_ANSWERS, e.g. `{"isolateDevice":{"mode":"later","afterMs":10000}}`. */
export function executeAnswersFrom(text: string | undefined): ExecuteAnswers {
  if (!text?.trim()) return {};
  const parsed = ExecuteAnswers.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`WEBHOOK_RECEIVER_ANSWERS: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export interface WebhookReceiverOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The secret the connector signs with (WEBHOOK_SECRET). */
  secret: string;
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** How old a signed timestamp may be (default 300 s): older requests are refused as replays. */
  toleranceSeconds?: number;
  /** How to answer an execute, by action type (default: at once). */
  answers?: ExecuteAnswers;
  /** Where `later` answers call back: the Action Center's /api/connectors/webhook/callbacks. */
  callbackUrl?: string;
}

export interface WebhookReceiver {
  /** The URL to set as WEBHOOK_URL. */
  url: string;
  port: number;
  /** Sets where `later` answers call back (the Action Center may start after the receiver). */
  callBackTo(url: string): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body:
    | { outcome: string; detail?: string }
    | { ref: string; detail: string }
    | { error: { message: string } };
}

const MAX_BODY_BYTES = 1024 * 1024;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Constant-time comparison of the signature header with the one computed here. */
export function signatureMatches(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  return sameSecretText(signature, expected);
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const refuse = (status: number, message: string): Answer => ({
  status,
  body: { error: { message } },
});

export async function startWebhookReceiver(
  options: WebhookReceiverOptions,
): Promise<WebhookReceiver> {
  const log = options.log ?? ((message, fields) => logger.info(message, fields));
  const tolerance = options.toleranceSeconds ?? 300;
  const answers = ExecuteAnswers.parse(options.answers ?? {});
  let callbackUrl = options.callbackUrl;
  /** Idempotency-Key → the first answer: a repeat delivery changes nothing and gets the same. */
  const answered = new Map<string, Answer>();
  const timers = new Set<NodeJS.Timeout>();

  /** Posts the result, signed as the connector signs; retried a few times on 5xx and no answer. */
  async function callBack(action: Action, state: 'completed' | 'failed'): Promise<void> {
    const change = describeChange(action);
    const body = JSON.stringify({
      version: 1,
      actionId: action.id,
      operation: 'execute',
      state,
      ...(state === 'completed'
        ? { outcome: 'Applied', detail: `${change} (local webhook receiver, called back)` }
        : { reason: `${change} failed on the target (local webhook receiver)` }),
    });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      if (!callbackUrl) {
        log('Webhook callback skipped: no callback URL', { actionId: action.id });
        return;
      }
      const timestamp = String(Math.floor(Date.now() / 1000));
      try {
        const response = await fetch(callbackUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [WEBHOOK_HEADERS.timestamp]: timestamp,
            [WEBHOOK_HEADERS.signature]: signWebhook(options.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        log('Webhook callback sent', { actionId: action.id, state, status: response.status });
        if (response.status < 500) return;
      } catch (error) {
        log('Webhook callback failed', { actionId: action.id, error: (error as Error).message });
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }

  function later(action: Action, afterMs: number, state: 'completed' | 'failed'): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      void callBack(action, state);
    }, afterMs);
    timers.add(timer);
  }

  async function answer(req: IncomingMessage): Promise<Answer> {
    if (req.method !== 'POST') return refuse(405, 'POST only');
    const body = await readBody(req);
    if (body === undefined) return refuse(413, 'Body too large');
    const timestamp = header(req, WEBHOOK_HEADERS.timestamp) ?? '';
    const signature = header(req, WEBHOOK_HEADERS.signature) ?? '';
    const key = header(req, WEBHOOK_HEADERS.idempotencyKey);
    const signatureOk = signatureMatches(options.secret, timestamp, body, signature);
    const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= tolerance;

    let payload: { operation?: unknown; action?: unknown } | undefined;
    try {
      payload = JSON.parse(body);
    } catch {
      payload = undefined;
    }
    const parsed = Action.safeParse(payload?.action);
    const operation = payload?.operation;
    log('Webhook request', {
      actionId: parsed.success ? parsed.data.id : undefined,
      type: parsed.success ? parsed.data.type : undefined,
      operation,
      idempotencyKey: key,
      signatureOk,
      fresh,
    });

    if (!signatureOk) return refuse(401, 'Bad signature');
    if (!fresh) return refuse(401, 'Timestamp outside the tolerance: replay refused');
    if (!key) return refuse(400, `${WEBHOOK_HEADERS.idempotencyKey} header missing`);
    const previous = answered.get(key);
    if (previous) {
      log('Webhook repeat delivery answered as before', { idempotencyKey: key });
      return previous;
    }
    if (!parsed.success) return refuse(400, 'Body is not {operation, action} with a valid action');
    if (operation !== 'execute' && operation !== 'undo') {
      return refuse(400, 'operation must be "execute" or "undo"');
    }
    const change = describeChange(parsed.data);
    const how = answers[parsed.data.type] ?? answers.default ?? { mode: 'now' };
    if (operation === 'execute' && how.mode !== 'now') {
      const accepted: Answer = {
        status: 202,
        body: {
          ref: `job-${parsed.data.id}`,
          detail: `${change} (local webhook receiver, accepted)`,
        },
      };
      answered.set(key, accepted);
      if (how.mode === 'later') later(parsed.data, how.afterMs, how.state);
      log('Webhook request accepted', { actionId: parsed.data.id, answer: how });
      return accepted;
    }
    const result: Answer = {
      status: 200,
      body:
        operation === 'execute'
          ? { outcome: 'Applied', detail: `${change} (local webhook receiver)` }
          : { outcome: 'Reverted', detail: `Reversed: ${change} (local webhook receiver)` },
    };
    answered.set(key, result);
    return result;
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    answer(req)
      .catch((error: unknown) => {
        log('Webhook receiver failed', { error: (error as Error).message });
        return refuse(500, 'Receiver error');
      })
      .then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/actions`,
    port,
    callBackTo: (url: string) => {
      callbackUrl = url;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
