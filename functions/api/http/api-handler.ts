// The middleware chain every API Lambda shares: the one error mapper, the caller from the
// authorizer's claims, the JSON body limits, then the router over the routes. (Log context, trace
// and metrics wrap every entry alike: functions/wiring.ts `lambdaHandler`.)
import middy, { type MiddyfiedHandler } from '@middy/core';
import httpRouterHandler, { type Route } from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { NotFoundError } from '../../core/errors.js';
import { logger } from '../../observability.js';
import { httpErrors } from './errors.js';
import { type ApiEvent, authenticate, jsonBody } from './request.js';

export type ApiRoute = Route<ApiEvent, APIGatewayProxyResult>;
export type ApiHandler = MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * Routes are matched on `event.path` (what API Gateway sends below the stage, and what the local
 * runtime passes below `/api`); a static path such as `/actions/export.csv` always wins over a
 * parameterised one such as `/actions/{id}`. Path parameters API Gateway filled in are kept.
 */
export function createApiHandler(routes: ApiRoute[]): ApiHandler {
  const router = httpRouterHandler<ApiEvent, APIGatewayProxyResult>({
    routes,
    notFoundResponse: () => {
      throw new NotFoundError('No such route');
    },
  });
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(httpErrors({ logger }))
    .use(authenticate())
    .use(jsonBody())
    .handler((event, context) => {
      logger.debug('API request', { method: event.httpMethod, path: event.path });
      return router(event as ApiEvent, context);
    });
}
