// Realistic API Gateway REST proxy events, as a Cognito user pool authorizer passes them to the
// API handlers: claims are strings, `cognito:groups` comma-joined, the path below the stage.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export type Claims = Record<string, string>;

/** The resources of the API, static ones first, as API Gateway declares them. */
export const API_RESOURCES = [
  '/me',
  '/actions',
  '/actions/export.csv',
  '/actions/decisions',
  '/actions/{id}',
  '/actions/{id}/approve',
  '/actions/{id}/reject',
  '/actions/{id}/undo',
  '/investigations',
  '/investigations/{id}',
  '/audit',
  '/audit/verify',
  '/audit/public-key',
  '/openapi.json',
  '/connectors/webhook/callbacks',
] as const;

export function claimsFor(user: string, roles: readonly string[]): Claims {
  return {
    sub: `sub-${user}`,
    email: user,
    name: user,
    'cognito:username': user,
    'cognito:groups': roles.join(','),
    token_use: 'id',
    iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test',
  };
}

/** The declared resource a concrete path matches, and its path parameters (undefined: none). */
export function resourceOf(path: string): {
  resource: string;
  pathParameters: Record<string, string> | null;
} {
  const segments = path.split('/');
  for (const resource of API_RESOURCES) {
    const parts = resource.split('/');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, i) => {
      const segment = segments[i] as string;
      if (part.startsWith('{')) {
        if (segment === '') return false;
        params[part.slice(1, -1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (matches) return { resource, pathParameters: Object.keys(params).length ? params : null };
  }
  return { resource: '/{proxy+}', pathParameters: { proxy: path.slice(1) } };
}

export interface ApiEventOptions {
  query?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The authorizer's claims; `null` for a request that carries none. */
  claims?: Claims | null;
  /** Overrides what `resourceOf` derives (e.g. to send decoded path tricks). */
  pathParameters?: Record<string, string> | null;
  resource?: string;
  isBase64Encoded?: boolean;
}

export function apiEvent(
  method: string,
  path: string,
  options: ApiEventOptions = {},
): APIGatewayProxyEvent {
  const derived = resourceOf(path);
  const body =
    options.body === undefined
      ? null
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'X-Forwarded-For': '203.0.113.10',
    ...(options.claims !== null && { Authorization: 'Bearer eyJ.test.token' }),
    ...(body !== null && { 'Content-Type': 'application/json' }),
    ...options.headers,
  };
  const query = options.query && Object.keys(options.query).length ? options.query : null;
  const resource = options.resource ?? derived.resource;
  const claims =
    options.claims === undefined ? claimsFor('ana@example.com', ['GlobalAdmin']) : options.claims;
  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters:
      query && Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
    pathParameters:
      options.pathParameters === undefined ? derived.pathParameters : options.pathParameters,
    stageVariables: null,
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: claims === null ? null : { claims },
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      extendedRequestId: randomUUID(),
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
        sourceIp: '203.0.113.10',
        user: null,
        userAgent: 'jest',
        userArn: null,
      },
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: resource,
      stage: 'prod',
    },
  };
}

export function lambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'action-center-api',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:action-center-api',
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/action-center-api',
    logStreamName: '2026/11/01/[$LATEST]test',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
}
