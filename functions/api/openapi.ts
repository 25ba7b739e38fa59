// The OpenAPI 3.1 document of the HTTP API, generated from the zod schemas in schemas.ts with
// zod 4's own z.toJSONSchema (its default target, JSON Schema 2020-12, is OpenAPI 3.1's dialect),
// so no second schema library. Served at GET /openapi.json; `npm run openapi` commits it.
import * as z from 'zod';
import { Action, AuditEntry, Entity, Investigation } from '../core/model.js';
import * as examples from './openapi-examples.js';
import { API_ROUTES, API_STAGE, type ApiRoute, type RouteKey, routeKeyOf } from './routes.js';
import * as schemas from './schemas.js';

type Json = Record<string, unknown>;

/** The contract's version: API.md's v1 and this implementation's additions. */
export const API_VERSION = '1.1.0';

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
  AuditPage: schemas.AuditPage,
  AuditVerdict: schemas.AuditVerdict,
  OpenApiDocument: schemas.OpenApiDocument,
  ErrorBody: schemas.ErrorBody,
  ...schemas.BODY_MODELS,
};

interface RouteDoc {
  operationId: string;
  tag: 'Identity' | 'Actions' | 'Investigations' | 'Audit' | 'Contract';
  summary: string;
  description?: string;
  /** Error statuses besides 401, 429 and 500 (every authenticated route) and 400 (every route). */
  errors: number[];
  example: unknown;
}

const LIST = 'Newest first; reads at most `limit` items per call, never the whole table.';

const ROUTE_DOCS: Record<RouteKey, RouteDoc> = {
  'GET /me': {
    operationId: 'getMe',
    tag: 'Identity',
    summary: 'Who is calling, their roles and what they may decide',
    description: 'Answers anyone signed in, even with no Action Center role.',
    errors: [],
    example: examples.EXAMPLE_ME,
  },
  'GET /actions': {
    operationId: 'listActions',
    tag: 'Actions',
    summary: 'The pending tab, or the history tab within a window',
    description: `Pending: actions waiting for a decision (an expired one is never listed). History: decided and finished actions in \`window\`. ${LIST}`,
    errors: [403],
    example: { items: [examples.EXAMPLE_PENDING_ACTION], nextCursor: null },
  },
  'GET /actions/export.csv': {
    operationId: 'exportActions',
    tag: 'Actions',
    summary: 'Every action the list filters match, across all pages, as CSV',
    description:
      "A header row, one row per action, RFC 4180 quoting; a cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`. More than 10,000 matching rows is a 400 (narrow the filters or the window). Sent with `content-disposition: attachment`.",
    errors: [403],
    example: examples.EXAMPLE_CSV,
  },
  'GET /actions/{id}': {
    operationId: 'getAction',
    tag: 'Actions',
    summary: 'One action',
    description: 'A Pending action whose time ran out reads Expired.',
    errors: [403, 404],
    example: examples.EXAMPLE_PENDING_ACTION,
  },
  'POST /actions/{id}/approve': {
    operationId: 'approveAction',
    tag: 'Actions',
    summary: 'Approve a pending action: its remediation starts',
    description:
      '`remediation: "queued"`: the approval is recorded but the workflow could not be reached after retries; the reconciler delivers it.',
    errors: [403, 404, 409, 410, 413, 415],
    example: examples.EXAMPLE_APPROVED_ACTION,
  },
  'POST /actions/{id}/reject': {
    operationId: 'rejectAction',
    tag: 'Actions',
    summary: 'Reject a pending action: nothing touches the target',
    description:
      'Rejecting an action whose wait already ended answers 200 Rejected: the rejection stands and nothing touches the target.',
    errors: [403, 404, 409, 410, 413, 415],
    example: { ...examples.EXAMPLE_APPROVED_ACTION, status: 'Rejected' },
  },
  'POST /actions/{id}/undo': {
    operationId: 'undoAction',
    tag: 'Actions',
    summary: 'Undo a completed, undoable remediation through its connector',
    description:
      'The target system refusing is a 502 (UndoRefused), not reaching it a 503 (UndoUnavailable); the action stays Completed either way.',
    errors: [403, 404, 409, 413, 415, 502, 503],
    example: { ...examples.EXAMPLE_COMPLETED_ACTION, status: 'Undone' },
  },
  'POST /actions/decisions': {
    operationId: 'decideActions',
    tag: 'Actions',
    summary: 'One decision for up to 100 actions, each settled on its own',
    description:
      'A repeated id is decided once. A caller who may decide neither category gets a 403; otherwise each id gets its outcome (`forbidden` for a category the caller may not decide).',
    errors: [403, 413, 415],
    example: examples.EXAMPLE_BULK_RESULT,
  },
  'GET /investigations': {
    operationId: 'listInvestigations',
    tag: 'Investigations',
    summary: 'Investigations within a window',
    description: LIST,
    errors: [403],
    example: { items: [examples.EXAMPLE_INVESTIGATION], nextCursor: null },
  },
  'GET /investigations/{id}': {
    operationId: 'getInvestigation',
    tag: 'Investigations',
    summary: 'One investigation with its actions, evidence and timeline',
    description:
      'Counts and pending time are computed from the actions as they read now. The timeline also has `InvestigationStarted` and `InvestigationEnded`.',
    errors: [403, 404],
    example: examples.EXAMPLE_INVESTIGATION_DETAIL,
  },
  'GET /audit': {
    operationId: 'listAudit',
    tag: 'Audit',
    summary: 'The audit log within a window',
    description: `Every decision, undo, expiry, skip and remediation result, hash chained: \`hash = sha256(prevHash + canonical JSON of the entry without hash)\`. ${LIST}`,
    errors: [403],
    example: { items: examples.EXAMPLE_AUDIT, nextCursor: null },
  },
  'GET /audit/verify': {
    operationId: 'verifyAudit',
    tag: 'Audit',
    summary: 'Recompute the audit chain',
    errors: [403],
    example: examples.EXAMPLE_AUDIT_VERDICT,
  },
  'GET /openapi.json': {
    operationId: 'getOpenApiDocument',
    tag: 'Contract',
    summary: 'This document',
    description: 'Needs no token.',
    errors: [],
    example: {
      openapi: '3.1.0',
      info: { title: 'Action Center API', version: API_VERSION },
      paths: {},
    },
  },
};

const ERRORS: Record<number, string> = {
  400: 'Invalid input: `details.fields` names each field (never the values sent). Unknown query parameters and body fields, and a malformed id, are refused.',
  401: 'No valid bearer token.',
  403: 'The token lacks the role this needs.',
  404: 'No such resource (an unknown path or method is a 404 too).',
  409: 'The action is not in a state that allows this; the body carries the current `action`.',
  410: "The action's pending time ran out; the body carries the current `action`.",
  413: 'The request body is over 64 KiB.',
  415: 'The request body is not JSON (`application/json`).',
  429: "In AWS, the stage's throttle.",
  500: 'Something went wrong; `details.requestId` finds the log line.',
  502: 'The remediation system refused the undo.',
  503: 'The remediation system could not be reached.',
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
    ...(isPublic ? { security: [] } : {}),
    parameters: [...pathParameters(route), ...queryParameters(query)],
    ...(body && {
      requestBody: {
        required: false,
        description: body === 'DecisionBody' ? 'An empty body reads as `{}`.' : undefined,
        content: {
          'application/json': {
            schema: ref(body),
            example:
              body === 'DecisionBody' ? examples.EXAMPLE_DECISION : examples.EXAMPLE_BULK_DECISION,
          },
        },
      },
    }),
    responses: {
      '200': success,
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
      description: DESCRIPTION,
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
      { name: 'Audit', description: 'The tamper-evident log of every decision and result.' },
      { name: 'Contract' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'In AWS a Cognito user pool token, checked by the API Gateway authorizer; locally an HS256 token from `npm run token -- you@example.com SecurityAdmin`. Roles come from `cognito:groups`.',
        },
      },
      headers: {
        RequestId: {
          description: 'Finds the log line of this request.',
          schema: { type: 'string' },
        },
        ContentDisposition: {
          description: 'attachment; filename="actions-<tab>.csv"',
          schema: { type: 'string' },
        },
      },
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([status, description]) => [
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

const DESCRIPTION = `The HTTP API of the Action Center: approve or reject the remediation actions an automated investigation proposes, undo them, export them, read investigations and the audit log.

Every error is \`{"error":{"code","message","details"}}\` with an \`x-request-id\` header. Empty query values (\`?category=\`) are ignored. Locally (\`npm start\`) the API is at \`http://127.0.0.1:3000/api\`, and \`POST /api/events\` is the EventBridge stand-in that takes a PutEvents body \`{Entries:[{Source,DetailType,Detail}]}\` and answers per entry.

This is v1 of the original API.md with this implementation's additions; nothing of it is changed.`;

let document: OpenApiDocumentJson | undefined;
type OpenApiDocumentJson = schemas.OpenApiDocument;

/** The document, built once per process. */
export function openApiDocument(): OpenApiDocumentJson {
  document ??= build() as OpenApiDocumentJson;
  return document;
}
