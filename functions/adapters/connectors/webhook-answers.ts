// How the webhook connector reads a receiver's answer: the body within a limit, the outcome of a
// 2xx, the reason of a refusal, and what went wrong when there was no answer.
import type { ConnectorOutcome } from '../../core/ports.js';
import { clip } from '../../core/text.js';

/** Longest receiver answer read; the rest is dropped (results keep 4000 characters anyway). */
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_REASON_CHARS = 500;

export async function readAnswer(response: Response): Promise<string> {
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

export function parseJson(text: string): unknown {
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
export function outcomeOf(response: Response, text: string): ConnectorOutcome {
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
export function reasonOf(response: Response, text: string): string {
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

export function describeFailure(error: unknown, timeoutMs: number): string {
  // By name: the abort reason is a DOMException, not always an Error of this realm.
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  return `network error (${cause?.code ?? cause?.message ?? (error as Error)?.message ?? 'unknown'})`;
}
