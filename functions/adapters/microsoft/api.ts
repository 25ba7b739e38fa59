// One way to call Microsoft Graph and the Defender for Endpoint API: a bearer token from
// TokenSource, JSON in and out, and Microsoft's documented throttling and error rules:
// - 429 waits for Retry-After (when the caller can afford it), 5xx and network errors back off;
// - a 401 renews the token once (it expired early or was revoked), then refuses;
// - a 403 names the application permission the call needs;
// - a 404 is `notFound` (the device or message is gone), any other 4xx `permanent`.
import { countMetric, logger } from '../../observability.js';
import { MicrosoftApiError } from './errors.js';
import type { MicrosoftService, TokenSource } from './token.js';

export interface MicrosoftRequest {
  service: MicrosoftService;
  method: 'GET' | 'POST' | 'DELETE' | 'PATCH';
  /** An absolute URL (an `@odata.nextLink` as given), or a path under the service's base URL. */
  url: string;
  body?: unknown;
  /** The application permission the call needs, named when Microsoft answers 403. */
  permission: string;
  /** The longest Retry-After worth waiting for within this call (default 30 s); longer throws. */
  maxRetryAfterMs?: number;
}

export interface MicrosoftAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export interface MicrosoftApiOptions {
  tokens: TokenSource;
  baseUrls: Record<MicrosoftService, string>;
  /** Attempts per call on 429, 5xx and network errors (default 4). */
  maxAttempts?: number;
  /** The first back-off, doubling (default 500 ms). */
  backoffMs?: number;
  /** How long one attempt may take (default 15 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const SERVICE_NAMES: Record<MicrosoftService, string> = {
  graph: 'Microsoft Graph',
  defenderEndpoint: 'Defender for Endpoint',
};
/** Answers are read up to this size: a page of 100 alerts with evidence fits many times over. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Attempt<T> = { answer: MicrosoftAnswer<T> } | { retry: string; waitMs?: number };

export class MicrosoftApi {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: MicrosoftApiOptions) {
    this.sleep = options.sleep ?? pause;
  }

  async call<T = unknown>(request: MicrosoftRequest): Promise<MicrosoftAnswer<T>> {
    const maxAttempts = this.options.maxAttempts ?? 4;
    const backoffMs = this.options.backoffMs ?? 500;
    const name = SERVICE_NAMES[request.service];
    const url = this.urlOf(request);
    let renewed = false;
    let problem = 'no attempt made';
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const result = await this.attempt<T>(request, url, renewed);
      if ('answer' in result) return result.answer;
      if (result.retry === 'renew') {
        renewed = true;
        attempt -= 1; // a renewed token is not a retry of a failing service
        continue;
      }
      problem = result.retry;
      if (attempt === maxAttempts) break;
      const wait = result.waitMs ?? backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      logger.warn('Microsoft call failed; trying again', {
        service: request.service,
        method: request.method,
        path: new URL(url).pathname,
        attempt,
        problem,
        waitMs: Math.round(wait),
      });
      await this.sleep(wait);
    }
    throw new MicrosoftApiError(request.service, 'transient', {
      message: `${name} unavailable after ${maxAttempts} attempts: ${problem}`,
    });
  }

  private urlOf(request: MicrosoftRequest): string {
    if (/^https?:\/\//.test(request.url)) {
      // A nextLink must stay on the service it came from: the bearer token goes with it.
      const base = new URL(this.options.baseUrls[request.service]);
      const next = new URL(request.url);
      if (next.origin !== base.origin) {
        throw new MicrosoftApiError(request.service, 'permanent', {
          message: `${SERVICE_NAMES[request.service]} pointed a next page at another host (${next.host}); not followed`,
        });
      }
      return request.url;
    }
    return `${this.options.baseUrls[request.service]}${request.url}`;
  }

  private async attempt<T>(
    request: MicrosoftRequest,
    url: string,
    renewed: boolean,
  ): Promise<Attempt<T>> {
    const name = SERVICE_NAMES[request.service];
    const token = await this.options.tokens.tokenFor(request.service);
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(request.body !== undefined && { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      text = await readLimited(response);
    } catch (error) {
      return { retry: `${(error as Error).name}: ${(error as Error).message}` };
    }
    const { status } = response;
    const said = microsoftError(text);
    if (status >= 200 && status < 300) {
      return {
        answer: { status, body: jsonOf(text, request.service) as T, headers: response.headers },
      };
    }
    if (status === 401 && !renewed) {
      this.options.tokens.forget(request.service);
      return { retry: 'renew' };
    }
    if (status === 429) {
      countMetric('MicrosoftThrottled');
      const waitMs = retryAfterMs(response.headers.get('retry-after'));
      const limit = request.maxRetryAfterMs ?? 30_000;
      if (waitMs > limit) {
        throw new MicrosoftApiError(request.service, 'transient', {
          status,
          code: said.code,
          retryAfterMs: waitMs,
          message: `${name} is throttling the app (HTTP 429): try again in ${Math.ceil(waitMs / 1000)} s`,
        });
      }
      return { retry: `HTTP 429 ${said.message ?? ''}`.trim(), waitMs };
    }
    if (status >= 500 || status === 408)
      return { retry: `HTTP ${status} ${said.message ?? ''}`.trim() };
    const message =
      status === 401
        ? `${name} refused the app's token (HTTP 401): ${said.message ?? 'unauthorized'}; check the app registration and its admin consent`
        : status === 403
          ? `${name} refused the call (HTTP 403): the app needs the application permission ${request.permission}, granted with admin consent (${said.message ?? 'forbidden'})`
          : `${name} answered HTTP ${status}${said.code ? ` ${said.code}` : ''}: ${said.message ?? (text.slice(0, 200) || 'no detail')}`;
    throw new MicrosoftApiError(request.service, status === 404 ? 'notFound' : 'permanent', {
      status,
      code: said.code,
      message,
    });
  }
}

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number {
  if (value === null || value.trim() === '') return 1000;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - now);
}

function jsonOf(text: string, service: MicrosoftService): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new MicrosoftApiError(service, 'transient', {
      message: `${SERVICE_NAMES[service]} answered something that is not JSON`,
    });
  }
}

/** Graph and Defender both answer `{"error":{"code","message"}}`. */
function microsoftError(text: string): { code?: string; message?: string } {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    return {
      code: typeof error?.code === 'string' ? error.code : undefined,
      message: typeof error?.message === 'string' ? error.message.slice(0, 500) : undefined,
    };
  } catch {
    return {};
  }
}

async function readLimited(response: Response): Promise<string> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_ANSWER_BYTES) throw new Error(`answer of ${length} bytes is too large`);
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) throw new Error('answer is too large');
  return text;
}
