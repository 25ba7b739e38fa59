// A webhook receiver for local runs and the demo: stands in for the EDR or mail system behind the
// webhook connector. Verifies each request's signature and age, logs it, answers
// `{outcome, detail}`, and answers a repeated Idempotency-Key with the first answer, unchanged.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeChange } from '../../functions/adapters/connectors/builtin.js';
import { WEBHOOK_HEADERS } from '../../functions/adapters/connectors/webhook.js';
import { Action } from '../../functions/core/model.js';
import { logger } from '../../functions/observability.js';

export interface WebhookReceiverOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The secret the connector signs with (WEBHOOK_SECRET). */
  secret: string;
  log?: (message: string, fields: Record<string, unknown>) => void;
  /** How old a signed timestamp may be (default 300 s): older requests are refused as replays. */
  toleranceSeconds?: number;
}

export interface WebhookReceiver {
  /** The URL to set as WEBHOOK_URL. */
  url: string;
  port: number;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: { outcome: string; detail?: string } | { error: { message: string } };
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
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
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
  /** Idempotency-Key → the first answer: a repeat delivery changes nothing and gets the same. */
  const answered = new Map<string, Answer>();

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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
