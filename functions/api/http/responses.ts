// Response shapes: JSON for everything, CSV for the export, Prometheus text for the metrics.
import type { APIGatewayProxyResult } from 'aws-lambda';
import { PROMETHEUS_CONTENT_TYPE } from '../../core/pending-stats.js';
import type { RouteKey } from '../routes.js';
import type { ResponseOf } from '../schemas.js';

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...COMMON_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}

/** A 200 whose body the compiler checks against the route's response schema (`ROUTE_SCHEMAS`). */
export function ok<K extends RouteKey>(_route: K, body: ResponseOf<K>): APIGatewayProxyResult {
  return json(200, body);
}

/** A 201: the body, made by the request, is the route's schema. */
export function created<K extends RouteKey>(_route: K, body: ResponseOf<K>): APIGatewayProxyResult {
  return json(201, body);
}

/** A 202: the request is recorded and still under way; the body is the route's 200 body as it is now. */
export function accepted<K extends RouteKey>(
  _route: K,
  body: ResponseOf<K>,
): APIGatewayProxyResult {
  return json(202, body);
}

export function csv(body: string, filename: string): APIGatewayProxyResult {
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      ...COMMON_HEADERS,
    },
    body,
  };
}

/** Metrics in the Prometheus text exposition format. */
export function prometheus(body: string): APIGatewayProxyResult {
  return {
    statusCode: 200,
    headers: { 'content-type': PROMETHEUS_CONTENT_TYPE, ...COMMON_HEADERS },
    body,
  };
}
