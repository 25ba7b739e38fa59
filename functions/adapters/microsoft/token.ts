// OAuth 2.0 client credentials against Microsoft Entra ID: one access token per API (scope), kept
// until shortly before it expires. Microsoft's token endpoint:
// POST {login}/{tenant}/oauth2/v2.0/token, form grant_type=client_credentials, client_id, client_secret, scope.
import { MicrosoftApiError } from './errors.js';

/** The APIs we call, by the scope whose `.default` grants the app's application permissions. */
export const MICROSOFT_SCOPES = {
  graph: 'https://graph.microsoft.com/.default',
  defenderEndpoint: 'https://api.securitycenter.microsoft.com/.default',
} as const;
export type MicrosoftService = keyof typeof MICROSOFT_SCOPES;

export interface TokenSourceOptions {
  loginUrl: string;
  tenantId: string;
  clientId: string;
  /** The client secret, fetched on first use and kept (Secrets Manager in AWS). */
  clientSecret: () => Promise<string>;
  /** Milliseconds since the epoch (tests move it). */
  now?: () => number;
  /** How long the token request may take. */
  timeoutMs?: number;
}

interface Cached {
  token: string;
  /** When to stop using it: shortly before Entra ID's expiry. */
  renewAt: number;
}

/** A token is renewed this long before it expires, so no request carries one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

export class TokenSource {
  private readonly cache = new Map<MicrosoftService, Promise<Cached>>();
  private readonly now: () => number;

  constructor(private readonly options: TokenSourceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** A valid access token for the service; one request at a time per service. */
  async tokenFor(service: MicrosoftService): Promise<string> {
    const pending = this.cache.get(service);
    if (pending) {
      const cached = await pending.catch(() => undefined);
      if (cached && cached.renewAt > this.now()) return cached.token;
      if (this.cache.get(service) !== pending) return this.tokenFor(service);
    }
    const request = this.request(service);
    this.cache.set(service, request);
    request.catch(() => {
      if (this.cache.get(service) === request) this.cache.delete(service);
    });
    return (await request).token;
  }

  /** Forgets the service's token (it was refused: expired early or revoked). */
  forget(service: MicrosoftService): void {
    this.cache.delete(service);
  }

  private async request(service: MicrosoftService): Promise<Cached> {
    const { loginUrl, tenantId, clientId } = this.options;
    const url = `${loginUrl}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: await this.options.clientSecret(),
      scope: MICROSOFT_SCOPES[service],
    });
    const startedAt = this.now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      text = await response.text();
    } catch (error) {
      throw new MicrosoftApiError('login', 'transient', {
        message: `Microsoft sign-in unreachable: ${(error as Error).name}`,
        cause: error,
      });
    }
    const answer = parse(text);
    if (!response.ok) {
      const status = response.status;
      const kind = status >= 500 || status === 429 ? 'transient' : 'permanent';
      // error_description starts with the AADSTS code that names the problem (bad secret, no app).
      const said = String(answer.error_description ?? answer.error ?? `HTTP ${status}`).split(
        '\r\n',
      )[0];
      throw new MicrosoftApiError('login', kind, {
        status,
        code: typeof answer.error === 'string' ? answer.error : undefined,
        message: `Microsoft sign-in refused the app ${clientId} in tenant ${tenantId} (HTTP ${status}): ${said}`,
      });
    }
    const token = answer.access_token;
    const expiresIn = Number(answer.expires_in);
    if (typeof token !== 'string' || !token || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new MicrosoftApiError('login', 'transient', {
        status: response.status,
        message: 'Microsoft sign-in answered without an access token',
      });
    }
    const lifetime = expiresIn * 1000;
    const margin = Math.min(RENEW_BEFORE_MS, lifetime / 2);
    return { token, renewAt: startedAt + lifetime - margin };
  }
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
