// The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas in schemas.ts with
// zod 4's own z.toJSONSchema (its default target, JSON Schema 2020-12, is OpenAPI 3.1's dialect),
// so no second schema library. Served at GET /openapi.json; `npm run openapi` commits it.

import * as z from 'zod';
import { Action, AuditEntry, Entity, Investigation } from '../core/model.js';
import { NotificationMessage } from '../core/notification-messages.js';
import * as examples from './openapi-examples.js';
import { API_DESCRIPTION, API_VERSION, ERROR_RESPONSES, ROUTE_DOCS } from './openapi-routes.js';
import { API_ROUTES, API_STAGE, type ApiRoute, routeKeyOf } from './routes.js';
import * as schemas from './schemas.js';

type Json = Record<string, unknown>;

/** Components by name; a response or body that is one of them is a `$ref` to it. */
const COMPONENTS: Record<string, z.ZodType> = {
  Action,
  Entity,
  Investigation,
  AuditEntry,
  Me: schemas.Me,
  ActionPage: schemas.ActionPage,
  DecidedAction: schemas.DecidedAction,
  BulkDecisionResult: schemas.BulkDecisionResult,
  InvestigationPage: schemas.InvestigationPage,
  TimelineEvent: schemas.TimelineEvent,
  InvestigationDetail: schemas.InvestigationDetail,
  RejectedAlertPage: schemas.RejectedAlertPage,
  AuditPage: schemas.AuditPage,
  AuditVerdict: schemas.AuditVerdict,
  AuditCheckpoint: schemas.AuditCheckpoint,
  AuditPublicKey: schemas.AuditPublicKey,
  OpenApiDocument: schemas.OpenApiDocument,
  ErrorBody: schemas.ErrorBody,
  WebhookCallbackReceipt: schemas.WebhookCallbackReceipt,
  LinkView: schemas.LinkView,
  NotificationMessage,
  ...schemas.BODY_MODELS,
};

/** zod adds its own regex to date-times and JS's safe-integer bound to integers: noise here. */
function tidy(ctx: { jsonSchema: Json }): void {
  const s = ctx.jsonSchema;
  if (s.format === 'date-time') delete s.pattern;
  if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
  if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
}

function componentSchemas(): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas: generated } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    override: tidy,
  });
  return Object.fromEntries(
    Object.keys(generated)
      .sort()
      .map((id) => {
        const { $schema: _s, $id: _i, ...schema } = generated[id] as Json;
        return [id, schema];
      }),
  );
}

function componentOf(schema: z.ZodType): string {
  const name = Object.entries(COMPONENTS).find(([, s]) => s === schema)?.[0];
  if (name === undefined) throw new Error('A response schema is missing from COMPONENTS');
  return name;
}

function inline(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, { io, override: tidy }) as Json;
  return json;
}

function pathParameters(route: ApiRoute): Json[] {
  return [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    description: 'A malformed id is a 400 naming `id`.',
    schema: inline(
      route.path.startsWith('/investigations') ? schemas.InvestigationId : schemas.ActionId,
      'input',
    ),
  }));
}

/** One parameter per field of the route's (strict) query schema; empty values are ignored. */
function queryParameters(query: z.ZodType): Json[] {
  const json = inline(query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: 'query',
      required: json.required?.includes(name) ?? false,
      ...(description === undefined ? {} : { description }),
      schema,
    };
  });
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const BODY_EXAMPLES: Record<schemas.BodyModel, unknown> = {
  DecisionBody: examples.EXAMPLE_DECISION,
  BulkDecisionBody: examples.EXAMPLE_BULK_DECISION,
  ManualActionBody: examples.EXAMPLE_MANUAL_ACTION_BODY,
  WebhookCallbackBody: examples.EXAMPLE_WEBHOOK_CALLBACK,
  LinkDecisionBody: examples.EXAMPLE_LINK_DECISION,
};

function errorResponses(statuses: number[]): Json {
  return Object.fromEntries(
    [...new Set(statuses)]
      .sort((a, b) => a - b)
      .map((status) => [String(status), { $ref: `#/components/responses/E${status}` }]),
  );
}

function operation(route: ApiRoute): Json {
  const key = routeKeyOf(route);
  const doc = ROUTE_DOCS[key];
  const { query, response } = schemas.ROUTE_SCHEMAS[key];
  const isPublic = 'public' in route;
  const success =
    response === schemas.ActionCsv
      ? {
          description: 'The CSV file.',
          headers: { 'content-disposition': { $ref: '#/components/headers/ContentDisposition' } },
          content: { 'text/csv': { schema: { type: 'string' }, example: doc.example } },
        }
      : response === schemas.PrometheusText
        ? {
            description: doc.summary,
            content: {
              'text/plain; version=0.0.4': { schema: { type: 'string' }, example: doc.example },
            },
          }
        : {
            description: doc.summary,
            content: {
              'application/json': {
                schema: ref(componentOf(response)),
                example: doc.example,
              },
            },
          };
  const body = route.bodyModel;
  return {
    operationId: doc.operationId,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(isPublic ? { security: doc.security ? [{ [doc.security]: [] }] : [] } : {}),
    parameters: [...pathParameters(route), ...queryParameters(query)],
    ...(body && {
      requestBody: {
        // An approve, reject or undo needs no body: an empty one reads as `{}`.
        required: body !== 'DecisionBody',
        description: body === 'DecisionBody' ? 'Optional: an empty body reads as `{}`.' : undefined,
        content: {
          'application/json': {
            schema: ref(body),
            example: BODY_EXAMPLES[body],
          },
        },
      },
    }),
    responses: {
      [doc.created ? '201' : '200']: success,
      ...(doc.accepted && {
        '202': {
          description: doc.accepted.description,
          content: {
            'application/json': {
              schema: ref(componentOf(response)),
              example: doc.accepted.example,
            },
          },
        },
      }),
      ...errorResponses([400, ...doc.errors, ...(isPublic ? [] : [401, 429]), 500]),
    },
  };
}

function build(): Json {
  const paths: Record<string, Json> = {};
  for (const route of API_ROUTES) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Action Center API',
      version: API_VERSION,
      description: API_DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [
      { url: '/api', description: "The page's origin: the local runtime, or CloudFront in AWS." },
      {
        url: `https://{restApiId}.execute-api.{region}.amazonaws.com/${API_STAGE}`,
        description: 'The API Gateway stage.',
        variables: { restApiId: { default: 'a1b2c3d4e5' }, region: { default: 'eu-west-1' } },
      },
    ],
    security: [{ bearer: [] }],
    tags: [
      { name: 'Identity' },
      { name: 'Actions', description: 'Remediation actions waiting for, or past, a decision.' },
      { name: 'Investigations' },
      {
        name: 'Alerts',
        description: 'Alert source events that started no investigation, and why.',
      },
      { name: 'Audit', description: 'The tamper-evident log of every decision and result.' },
      {
        name: 'Links',
        description:
          'Decision links, as notifications carry them: open one, then decide, signed in.',
      },
      {
        name: 'Metrics',
        description: 'What waits for a decision, for a Prometheus scrape or a dashboard.',
      },
      { name: 'Contract' },
      {
        name: 'Connectors',
        description: 'Called by the systems that carry out remediation, not by operators.',
      },
    ],
    paths,
    // What the Action Center sends, not what it serves (OpenAPI 3.1 webhooks).
    webhooks: {
      notification: {
        post: {
          operationId: 'notification',
          summary: 'The generic notification webhook (NOTIFY_WEBHOOK_URL) receives a message',
          description:
            'One message per investigation when its actions become pending (`ActionsPending`); `Reminder` once an action waited past its severity\'s `NOTIFY_SLA_MINUTES`, and `Escalation` for each further period, along `NOTIFY_ESCALATION`; once a day from `NOTIFY_DIGEST_HOUR` (UTC), a `Digest` of what waits across investigations (no `investigation`; `pendingTotal` and the oldest 100 actions, each with its `investigationId`). Each action carries a fresh decision link. Signed as the webhook connector signs: `X-ActionCenter-Timestamp` (Unix seconds) and `X-ActionCenter-Signature: v1=hex(HMAC-SHA256(NOTIFY_WEBHOOK_SECRET, timestamp + "." + body))`. Answer 2xx; 429 and 5xx are retried with backoff (Retry-After honoured up to 30 s), anything else is not. No task token or secret is ever in a message: only decision links.',
          security: [{ webhookSignature: [] }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: ref('NotificationMessage'),
                example: examples.EXAMPLE_NOTIFICATION,
              },
            },
          },
          responses: { '204': { description: 'Received.' } },
        },
      },
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'In AWS a Cognito user pool token, checked by the API Gateway authorizer; locally an HS256 token from `npm run token -- you@example.com SecurityAdmin`. Roles come from `cognito:groups`.',
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-ActionCenter-Signature',
          description:
            'The webhook connector\'s shared secret signs `X-ActionCenter-Timestamp + "." + body` with HMAC-SHA256: `v1=<64 hex>`; the timestamp must be within 5 minutes of now.',
        },
      },
      headers: {
        RequestId: {
          description: 'Finds the log line of this request.',
          schema: { type: 'string' },
        },
        ContentDisposition: {
          description:
            'attachment; filename="actions-<tab>-<YYYY-MM-DD>.csv" (the day it was made, UTC)',
          schema: { type: 'string' },
        },
      },
      responses: Object.fromEntries(
        Object.entries(ERROR_RESPONSES).map(([status, description]) => [
          `E${status}`,
          {
            description,
            headers: { 'x-request-id': { $ref: '#/components/headers/RequestId' } },
            content: {
              'application/json': {
                schema: ref('ErrorBody'),
                example: examples.EXAMPLE_ERRORS[Number(status)],
              },
            },
          },
        ]),
      ),
      schemas: componentSchemas(),
    },
  };
}

let document: OpenApiDocumentJson | undefined;
type OpenApiDocumentJson = schemas.OpenApiDocument;

/** The document, built once per process. */
export function openApiDocument(): OpenApiDocumentJson {
  document ??= build() as OpenApiDocumentJson;
  return document;
}
