// The API Gateway stand-in: turns an HTTP request under /api into the REST proxy event API Gateway
// would send (resource, path parameters, query strings, the authorizer's claims), for the same handlers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { API_ROUTES } from '../../../functions/api/routes.js';
import type { Claims } from '../auth.js';

export type ApiHandler = (
  event: APIGatewayProxyEvent,
  context: Context,
) => Promise<APIGatewayProxyResult>;

/** The declared route a method and path match (static segments win over `{id}`), with its parameters. */
export function matchRoute(method: string, path: string) {
  const segments = path.split('/');
  const candidates = API_ROUTES.filter((r) => r.method === method).sort(
    (a, b) => a.path.split('{').length - b.path.split('{').length,
  );
  for (const route of candidates) {
    const parts = route.path.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith('{')) {
        if (segment === '') return false;
        try {
          params[part.slice(1, -1)] = decodeURIComponent(segment);
        } catch {
          params[part.slice(1, -1)] = segment;
        }
        return true;
      }
      return part === segment;
    });
    if (ok) return { route, pathParameters: Object.keys(params).length ? params : null };
  }
  return undefined;
}

/**
 * The single- and multi-value maps API Gateway builds from repeated names. Built on null-prototype
 * objects, so a name such as `valueOf`, `constructor` or `__proto__` is only a name.
 */
function collect(pairs: Iterable<[string, string]>) {
  const single: Record<string, string> = Object.create(null);
  const multi: Record<string, string[]> = Object.create(null);
  for (const [name, value] of pairs) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  // Plain objects again, as a Lambda event is parsed JSON; spreading defines own properties only.
  return { single: { ...single }, multi: { ...multi } };
}

export function proxyEvent(options: {
  request: IncomingMessage;
  url: URL;
  path: string;
  resource: string;
  pathParameters: Record<string, string> | null;
  body: string | null;
  claims: Claims | undefined;
}): APIGatewayProxyEvent {
  const { request, url } = options;
  const rawHeaders: [string, string][] = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    rawHeaders.push([request.rawHeaders[i] as string, request.rawHeaders[i + 1] as string]);
  }
  const { single: headers, multi: multiValueHeaders } = collect(rawHeaders);
  const { single: query, multi: multiQuery } = collect(url.searchParams);
  const hasQuery = Object.keys(query).length > 0;
  const method = request.method ?? 'GET';
  const requestId = randomUUID();
  return {
    resource: options.resource,
    path: options.path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: options.pathParameters,
    stageVariables: null,
    body: options.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: options.claims ? { claims: options.claims } : null,
      domainName: url.host,
      domainPrefix: 'local',
      extendedRequestId: requestId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        user: null,
        userAgent: headers['User-Agent'] ?? headers['user-agent'] ?? null,
        userArn: null,
      },
      path: `/local${options.path}`,
      protocol: `HTTP/${request.httpVersion}`,
      requestId,
      requestTime: new Date().toUTCString(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: options.resource,
      stage: 'local',
    },
  };
}

export function lambdaContext(functionName: string): Context {
  const awsRequestId = randomUUID();
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, 29_000 - (Date.now() - started)),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
