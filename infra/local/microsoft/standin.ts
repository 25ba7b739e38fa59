// A local stand-in for Microsoft's sign-in, Graph and Defender for Endpoint endpoints, so the
// Defender integration runs and is tested with no tenant. It records every request (method, path,
// query, headers, body), issues client-credentials tokens that expire, answers 401/403 as
// Microsoft does, and can be told to fail the next calls (429 with Retry-After, 5xx). The API
// routes (alerts, machine actions, live response, indicators, e-mail remediation) are added by
// the modules beside this one, each serving Microsoft's published sample shapes.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  MICROSOFT_SCOPES,
  type MicrosoftService,
} from '../../../functions/adapters/microsoft/token.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** JSON bodies parsed, form bodies as fields, anything else as text. */
  body: unknown;
  at: number;
}

export interface StandInAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StandInRoute {
  service: MicrosoftService;
  method: string;
  /** Matched against the path; its groups are handed to `handle`. */
  path: RegExp;
  /** The application permission Microsoft requires for it (a 403 without it). */
  permission: string;
  handle(request: RecordedRequest, match: RegExpExecArray): StandInAnswer | Promise<StandInAnswer>;
}

export interface Fault extends StandInAnswer {
  method?: string;
  path: RegExp;
  /** How many matching requests get this answer (default 1). */
  times?: number;
}

export interface MicrosoftStandInOptions {
  port?: number;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** expires_in of issued tokens (default 3599, as Entra ID). */
  tokenLifetimeSeconds?: number;
  /** The application permissions the app was granted (default: every route's). */
  permissions?: readonly string[];
  routes: readonly StandInRoute[];
  /** Milliseconds since the epoch (tests move it to expire tokens). */
  now?: () => number;
}

export interface MicrosoftStandIn {
  url: string;
  requests: RecordedRequest[];
  /** The next matching requests get this answer instead of the route's. */
  fail(fault: Fault): void;
  /** Every token issued so far is expired from now on (a token lapsing mid-run). */
  expireTokens(): void;
  close(): Promise<void>;
}

const SERVICE_OF_SCOPE = new Map<string, MicrosoftService>(
  Object.entries(MICROSOFT_SCOPES).map(([service, scope]) => [scope, service as MicrosoftService]),
);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (!text) return undefined;
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, answer: StandInAnswer): void {
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(body && { 'content-type': 'application/json; odata.metadata=minimal' }),
    'request-id': randomBytes(16).toString('hex'),
    ...answer.headers,
  });
  res.end(body);
}

const graphError = (status: number, code: string, message: string): StandInAnswer => ({
  status,
  body: { error: { code, message } },
});

export async function startMicrosoftStandIn(
  options: MicrosoftStandInOptions,
): Promise<MicrosoftStandIn> {
  const now = options.now ?? Date.now;
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const tokens = new Map<string, { service: MicrosoftService; expiresAt: number }>();
  const lifetime = options.tokenLifetimeSeconds ?? 3599;
  const granted = new Set(options.permissions ?? options.routes.map((r) => r.permission));

  const signIn = (tenant: string, form: Record<string, string>): StandInAnswer => {
    // Entra ID's published error answers, AADSTS codes included.
    if (tenant !== options.tenantId) {
      return {
        status: 400,
        body: {
          error: 'invalid_tenant',
          error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
        },
      };
    }
    if (form.grant_type !== 'client_credentials') {
      return {
        status: 400,
        body: {
          error: 'unsupported_grant_type',
          error_description: 'AADSTS70003: The app requested an unsupported grant type.',
        },
      };
    }
    if (form.client_id !== options.clientId) {
      return {
        status: 400,
        body: {
          error: 'unauthorized_client',
          error_description: `AADSTS700016: Application with identifier '${form.client_id}' was not found in the directory.`,
        },
      };
    }
    if (form.client_secret !== options.clientSecret) {
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description:
            'AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
        },
      };
    }
    const service = SERVICE_OF_SCOPE.get(form.scope ?? '');
    if (!service) {
      return {
        status: 400,
        body: {
          error: 'invalid_scope',
          error_description: `AADSTS1002012: The provided value for scope ${form.scope} is not valid.`,
        },
      };
    }
    const token = `standin.${service}.${randomBytes(12).toString('hex')}`;
    tokens.set(token, { service, expiresAt: now() + lifetime * 1000 });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: lifetime,
        ext_expires_in: lifetime,
        access_token: token,
      },
    };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const text = await readBody(req);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: parseBody(text, req.headers['content-type']),
      at: now(),
    };
    requests.push(recorded);
    const fault = faults.find(
      (f) => f.path.test(recorded.path) && (!f.method || f.method === recorded.method),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      return send(res, fault);
    }
    const login = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(recorded.path);
    if (login && recorded.method === 'POST') {
      return send(
        res,
        signIn(decodeURIComponent(login[1] ?? ''), (recorded.body ?? {}) as Record<string, string>),
      );
    }
    for (const route of options.routes) {
      const match = route.method === recorded.method ? route.path.exec(recorded.path) : null;
      if (!match) continue;
      const bearer = /^Bearer (.+)$/.exec(recorded.headers.authorization ?? '')?.[1];
      const token = bearer ? tokens.get(bearer) : undefined;
      if (!token || token.expiresAt <= now() || token.service !== route.service) {
        return send(
          res,
          graphError(
            401,
            'InvalidAuthenticationToken',
            'Access token has expired or is not yet valid.',
          ),
        );
      }
      if (!granted.has(route.permission)) {
        return send(
          res,
          graphError(
            403,
            'Forbidden',
            `Missing application roles. API required roles: ${route.permission}.`,
          ),
        );
      }
      return send(res, await route.handle(recorded, match));
    }
    return send(
      res,
      graphError(404, 'ResourceNotFound', `No route for ${recorded.method} ${recorded.path}`),
    );
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      send(res, graphError(500, 'InternalServerError', (error as Error).message));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail: (fault) => faults.push({ ...fault }),
    expireTokens: () => {
      for (const token of tokens.values()) token.expiresAt = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
