// The routes of API.md as API Gateway declares them: GET routes go to the read function, POST
// routes to the decide function. A test checks this list against the handlers' own routers.
export type RouteTarget = 'read' | 'decide';

export interface ApiRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** The body's JSON schema model (by name in `BODY_MODELS`), validated before the function runs. */
  readonly bodyModel?: 'BulkDecision';
}

export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'GET', path: '/me' },
  { method: 'GET', path: '/actions' },
  { method: 'GET', path: '/actions/export.csv' },
  { method: 'GET', path: '/actions/{id}' },
  { method: 'POST', path: '/actions/{id}/approve' },
  { method: 'POST', path: '/actions/{id}/reject' },
  { method: 'POST', path: '/actions/{id}/undo' },
  { method: 'POST', path: '/actions/decisions', bodyModel: 'BulkDecision' },
  { method: 'GET', path: '/investigations' },
  { method: 'GET', path: '/investigations/{id}' },
  { method: 'GET', path: '/audit' },
  { method: 'GET', path: '/audit/verify' },
];

export const targetOf = (route: ApiRoute): RouteTarget =>
  route.method === 'GET' ? 'read' : 'decide';

/** The API's stage: the path prefix of the API Gateway URL. */
export const API_STAGE = 'v1';

/** Where the web page's origin (CloudFront) serves the API, as the local runtime does. */
export const API_PATH_PREFIX = '/api';
