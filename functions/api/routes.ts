// The routes of the HTTP API (docs/openapi.json) as API Gateway declares them: GET routes go to
// the read function, POST routes to the decide function. A test checks this list against the
// handlers' own routers and against the OpenAPI document.
import type { BodyModel } from './schemas.js';

type RouteTarget = 'read' | 'decide';

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The body's schema (by name in `BODY_MODELS`), validated by API Gateway before the function runs. */
  readonly bodyModel?: BodyModel;
  /**
   * Answered without a bearer token: the API's own description, and the webhook receivers'
   * callbacks (their HMAC signature is checked by the handler instead).
   */
  readonly public?: true;
}

export const API_ROUTES = [
  { method: 'GET', path: '/me' },
  { method: 'GET', path: '/actions' },
  { method: 'GET', path: '/actions/export.csv' },
  { method: 'GET', path: '/actions/{id}' },
  { method: 'POST', path: '/actions', bodyModel: 'ManualActionBody' },
  { method: 'POST', path: '/actions/{id}/approve', bodyModel: 'DecisionBody' },
  { method: 'POST', path: '/actions/{id}/reject', bodyModel: 'DecisionBody' },
  { method: 'POST', path: '/actions/{id}/undo', bodyModel: 'DecisionBody' },
  { method: 'POST', path: '/actions/decisions', bodyModel: 'BulkDecisionBody' },
  { method: 'GET', path: '/investigations' },
  { method: 'GET', path: '/investigations/{id}' },
  { method: 'GET', path: '/alerts/rejected' },
  { method: 'GET', path: '/audit' },
  { method: 'GET', path: '/audit/verify' },
  { method: 'GET', path: '/audit/public-key' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/links/{token}' },
  { method: 'POST', path: '/links/{token}', bodyModel: 'LinkDecisionBody' },
  { method: 'GET', path: '/openapi.json', public: true },
  {
    method: 'POST',
    path: '/connectors/webhook/callbacks',
    bodyModel: 'WebhookCallbackBody',
    public: true,
  },
] as const satisfies readonly ApiRoute[];

type KeyOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${M} ${P}`
  : never;

/** `GET /me`: a route as the OpenAPI document and the handlers' response types name it. */
export type RouteKey = KeyOf<(typeof API_ROUTES)[number]>;

export const routeKeyOf = (route: ApiRoute) => `${route.method} ${route.path}` as RouteKey;

export const targetOf = (route: ApiRoute): RouteTarget =>
  route.method === 'GET' ? 'read' : 'decide';

/** Whether a request may go without a token: only routes declared public. */
export const isPublicRoute = (method: string, path: string): boolean =>
  API_ROUTES.some((r) => 'public' in r && r.method === method && r.path === path);

/** The API's stage: the path prefix of the API Gateway URL. */
export const API_STAGE = 'v1';

/** Where the web page's origin (CloudFront) serves the API, as the local runtime does. */
export const API_PATH_PREFIX = '/api';
