// The HTTP API's request and response schemas (docs/openapi.json is generated from them): the
// handlers parse requests and type their answers with them, and the web page builds its requests
// and parses every answer with them. Node-free, so the page can bundle it.
import * as z from 'zod';
import { ACTION_SORTS } from '../core/action-order.js';
import { ACTION_ID_PATTERN, INVESTIGATION_ID_PATTERN } from '../core/id-format.js';
import {
  Action,
  ActionSource,
  ActionStatus,
  ActionType,
  AuditEntry,
  Category,
  Entity,
  HistoryWindow,
  Investigation,
  InvestigationStatus,
  RejectedAlert,
  Severity,
  Target,
  TEXT_LIMITS,
} from '../core/model.js';
import { ROLES } from '../core/permissions.js';
import { AuditPublicKey, AuditVerdict, AuditVerifyQuery } from './audit-schemas.js';
import { LinkDecisionBody, LinkView } from './link-schemas.js';
import type { RouteKey } from './routes.js';

export {
  ACTION_SOURCES,
  ACTION_STATUSES,
  ACTION_TYPES,
  Action,
  type ActionSource,
  type ActionStatus,
  type ActionType,
  CATEGORIES,
  type Category,
  EMAIL_ACTION_TYPES,
  ENDPOINT_ACTION_TYPES,
  type Entity,
  HISTORY_WINDOWS,
  type HistoryWindow,
  type Investigation,
  type InvestigationStatus,
  type RejectedAlert,
  SEVERITIES,
  type Severity,
  type Verdict,
} from '../core/model.js';
export {
  AuditCheckpoint,
  AuditPublicKey,
  AuditVerdict,
  AuditVerifyQuery,
} from './audit-schemas.js';
export { LinkDecisionBody, LinkView } from './link-schemas.js';

// ---- Requests: strict, so an unknown field or query parameter is a 400 naming it.

const MAX_BULK_IDS = 100;

export const ActionId = z.string().max(128).regex(ACTION_ID_PATTERN, 'malformed action id');
export const InvestigationId = z
  .string()
  .max(128)
  .regex(INVESTIGATION_ID_PATTERN, 'malformed investigation id');

const Limit = z
  .string()
  .regex(/^\d{1,3}$/, 'an integer from 1 to 200')
  .transform(Number)
  .pipe(z.number().int().min(1, 'an integer from 1 to 200').max(200, 'an integer from 1 to 200'))
  .meta({ description: 'Page size: an integer from 1 to 200 (default 50).' })
  .default(50);
const Cursor = z.string().max(4096).meta({
  description: 'The `nextCursor` of the previous page (opaque; a tampered one is a 400).',
});
const Window = HistoryWindow.default('7d');
const Comment = z.string().max(TEXT_LIMITS.comment);

/** Most values one list filter takes. */
const MAX_FILTER_VALUES = 20;

/**
 * A filter that takes one value or several separated by commas (`severity=critical,high`): an
 * action matches when it has any of them. A single value reads as before.
 */
const oneOrMore = <T extends string>(values: readonly T[] | RegExp, what: string) => {
  const one = values instanceof RegExp ? values.source.replace(/^\^|\$$/g, '') : values.join('|');
  return z
    .string()
    .max(4096)
    .regex(new RegExp(`^(${one})(,(${one}))*$`), `one or more ${what}, separated by commas`)
    .transform((text) => [...new Set(text.split(','))] as T[])
    .refine((given) => given.length <= MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} values`)
    .meta({
      description: `One or more ${what}, separated by commas (\`a,b\`): an action matches any of them. At most ${MAX_FILTER_VALUES}.`,
    });
};

/** `GET /actions` and `GET /actions/export.csv`. `window` applies to the history tab only. */
export const ActionListQuery = z
  .strictObject({
    tab: z.enum(['pending', 'history']).default('pending'),
    window: Window.meta({ description: 'The history tab only: how far back (default 7d).' }),
    category: oneOrMore(Category.options, 'categories').optional(),
    type: oneOrMore(ActionType.options, 'action types').optional(),
    status: oneOrMore(ActionStatus.options, 'statuses').optional(),
    severity: oneOrMore(Severity.options, 'severities').optional(),
    source: oneOrMore(ActionSource.options, 'sources').optional(),
    investigationId: oneOrMore(INVESTIGATION_ID_PATTERN, 'investigation ids').optional(),
    q: z.string().max(256).optional().meta({
      description:
        "Text searched case-insensitively as a substring of the target's name, the device's name, the mailbox, the alert's title, the investigation id and the asset group; an action matches when any of them holds it.",
    }),
    sort: z.enum(ACTION_SORTS).optional().meta({
      description:
        'What the whole list is sorted by: `severity`, `age` (`createdAt`), `expiry` (`expiresAt`), `type`, `target` (its name), and for the history tab `decidedAt`. Ties go oldest first (then by id); by `expiry` or `decidedAt`, by id, in the order of the list (as the index that keeps these lists orders them). Default: pending `severity` (critical first, then oldest first); history `decidedAt`, newest first.',
    }),
    order: z.enum(['asc', 'desc']).optional().meta({
      description:
        '`asc` or `desc` (default `desc`): `severity` desc is critical first, `age` asc is the oldest first. Only with `sort`.',
    }),
    limit: Limit,
    cursor: Cursor.optional(),
  })
  .superRefine((query, ctx) => {
    if (query.sort === 'decidedAt' && query.tab === 'pending') {
      ctx.addIssue({
        code: 'custom',
        path: ['sort'],
        message: 'decidedAt sorts the history tab only',
      });
    }
    if (query.order !== undefined && query.sort === undefined) {
      ctx.addIssue({ code: 'custom', path: ['order'], message: 'order needs sort' });
    }
  });
export type ActionListQuery = z.infer<typeof ActionListQuery>;

export const InvestigationListQuery = z.strictObject({
  status: InvestigationStatus.optional(),
  window: Window,
  limit: Limit,
  cursor: Cursor.optional(),
});
export type InvestigationListQuery = z.infer<typeof InvestigationListQuery>;

export const AuditListQuery = z.strictObject({
  window: Window,
  limit: Limit,
  cursor: Cursor.optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** `GET /alerts/rejected`: at most 100 a page; the window is the 30-day retention. */
export const RejectedAlertListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'an integer from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1, 'an integer from 1 to 100').max(100, 'an integer from 1 to 100'))
    .meta({ description: 'Page size: an integer from 1 to 100 (default 50).' })
    .default(50),
  cursor: Cursor.optional(),
});
export type RejectedAlertListQuery = z.infer<typeof RejectedAlertListQuery>;

/** Routes that take no query parameters still reject unknown ones. */
export const NoQuery = z.strictObject({});

/** `POST /actions/{id}/approve|reject|undo`; an empty body reads as `{}`. */
export const DecisionBody = z.strictObject({ comment: Comment.optional() });
export type DecisionBody = z.infer<typeof DecisionBody>;

/** `POST /actions`: an action proposed by hand; `target.kind` must be one `type` acts on (the catalog). */
export const ManualActionBody = z.strictObject({
  type: ActionType,
  target: Target,
  severity: Severity.optional().meta({
    description: 'For an investigation of its own (default medium); an existing one gives its own.',
  }),
  comment: Comment.optional(),
  investigationId: InvestigationId.optional(),
});
export type ManualActionBody = z.infer<typeof ManualActionBody>;

/** `POST /actions/decisions`: approve or reject pending actions, or undo Completed ones. */
export const BulkDecisionBody = z.strictObject({
  actionIds: z.array(ActionId).min(1).max(MAX_BULK_IDS),
  decision: z.enum(['approve', 'reject', 'undo']).meta({
    description:
      '`undo` undoes Completed, undoable actions, each as `POST /actions/{id}/undo` would (same permissions, one undo of an action however many ask).',
  }),
  comment: Comment.optional(),
});
export type BulkDecisionBody = z.infer<typeof BulkDecisionBody>;

/**
 * `POST /connectors/webhook/callbacks`: a webhook receiver that answered 202 Accepted reports the
 * result, signed like the request it got. `completed` needs an `outcome`, `failed` a `reason`.
 */
export const WebhookCallbackBody = z
  .strictObject({
    version: z.literal(1),
    actionId: ActionId,
    operation: z
      .literal('execute')
      .meta({ description: 'Only execute runs long; undo answers at once.' }),
    state: z.enum(['completed', 'failed']),
    outcome: z.string().min(1).max(64).optional().meta({ description: 'e.g. FileQuarantined.' }),
    detail: z.string().max(4000).optional(),
    reason: z.string().min(1).max(2000).optional().meta({ description: 'Why it failed.' }),
  })
  .superRefine((body, ctx) => {
    if (body.state === 'completed' && body.outcome === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcome'],
        message: 'required when state is completed',
      });
    }
    if (body.state === 'failed' && body.reason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'required when state is failed' });
    }
    if (body.state === 'completed' && body.reason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'only when state is failed' });
    }
  });
export type WebhookCallbackBody = z.infer<typeof WebhookCallbackBody>;

/** Request bodies by the model name API Gateway and the OpenAPI document give them. */
export const BODY_MODELS = {
  DecisionBody,
  BulkDecisionBody,
  ManualActionBody,
  WebhookCallbackBody,
  LinkDecisionBody,
} as const;
export type BodyModel = keyof typeof BODY_MODELS;

// ---- Responses, built on the domain schemas of functions/core/model.ts.

export const Me = z.object({
  user: z.string(),
  roles: z.array(z.enum(ROLES)),
  can: z.object({ decideEndpoint: z.boolean(), decideEmail: z.boolean() }),
});
export type Me = z.infer<typeof Me>;

/** A list page: `nextCursor` is null on the last page. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** An action list's page, with how many actions the whole list holds. */
export const ActionPage = pageOf(Action).extend({
  total: z.number().int().nonnegative().meta({
    description:
      'How many actions the whole list (all pages) holds; past 10,000 it stops counting (`totalIsLowerBound`). A list read from its index (pending by `expiry`, history by `decidedAt`, without `q`) counts when its first page is read, and the pages after it carry that count.',
  }),
  totalIsLowerBound: z.boolean().meta({
    description:
      'True when more actions match than a list counts (10,000): `total` is then that bound. A list read from its index (pending by `expiry`, history by `decidedAt`, without `q`) still holds every matching action; any other holds the newest 10,000.',
  }),
});
export type ActionPage = z.infer<typeof ActionPage>;

/** The list's actions as a CSV file (RFC 4180; a cell a spreadsheet would run starts with `'`). */
export const ActionCsv = z.string();

/** The pending actions by severity in the Prometheus text format (version 0.0.4). */
export const PrometheusText = z.string();

/** A decided action; `remediation: "queued"` when its workflow callback is left to the reconciler. */
export const DecidedAction = Action.extend({ remediation: z.literal('queued').optional() });
export type DecidedAction = z.infer<typeof DecidedAction>;

export const BulkOutcome = z.enum([
  'approved',
  'approvalRecorded',
  'rejected',
  'conflict',
  'expired',
  'forbidden',
  'notFound',
  // `decision: "undo"` only:
  'undone',
  'undoRequested',
  'undoRefused',
  'undoUnavailable',
]);
export type BulkOutcome = z.infer<typeof BulkOutcome>;

/** Per id (a repeated id decided once) what happened. */
export const BulkDecisionResult = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      outcome: BulkOutcome,
      remediation: z.literal('queued').optional(),
    }),
  ),
});
export type BulkDecisionResult = z.infer<typeof BulkDecisionResult>;

export const InvestigationPage = pageOf(Investigation);
export type InvestigationPage = z.infer<typeof InvestigationPage>;

/**
 * A state change: `InvestigationStarted`, `ActionProposed`, `ActionApproved`, ... `ActionCompleted`,
 * `UndoRequested` (while the undo is under way), `ActionUndone` (after the `ActionCompleted` it
 * reversed), `InvestigationEnded`.
 */
export const TimelineEvent = z.object({
  at: z.string(),
  actionId: z.string().optional(),
  event: z.string(),
  status: z.union([ActionStatus, InvestigationStatus]),
  by: z.string().optional(),
  comment: z
    .string()
    .optional()
    .meta({ description: "The person's comment on a decision or an undo." }),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const InvestigationDetail = z.object({
  investigation: Investigation,
  actions: z.array(Action),
  evidence: z.array(Entity),
  timeline: z.array(TimelineEvent),
});
export type InvestigationDetail = z.infer<typeof InvestigationDetail>;

/** Rejected events: `body` is the event's detail as JSON text, never parsed by the API. */
export const RejectedAlertPage = pageOf(RejectedAlert);
export type RejectedAlertPage = z.infer<typeof RejectedAlertPage>;

export const AuditPage = pageOf(AuditEntry);
export type AuditPage = z.infer<typeof AuditPage>;

/** A callback taken: `recorded` is false for a repeat of the result already kept. */
export const WebhookCallbackReceipt = z.object({
  actionId: z.string(),
  state: z.enum(['completed', 'failed']),
  recorded: z.boolean(),
});
export type WebhookCallbackReceipt = z.infer<typeof WebhookCallbackReceipt>;

/** This API's OpenAPI 3.1 description (docs/openapi.json). */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;

/** `{"error":{code,message,details}}`, with the action as it is now on 409 and 410. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  action: Action.optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Each route's query and success body: the handlers answer these and the document shows them. */
export const ROUTE_SCHEMAS = {
  'GET /me': { query: NoQuery, response: Me },
  'GET /actions': { query: ActionListQuery, response: ActionPage },
  'GET /actions/export.csv': { query: ActionListQuery, response: ActionCsv },
  'GET /actions/{id}': { query: NoQuery, response: Action },
  'POST /actions': { query: NoQuery, response: Action },
  'POST /actions/{id}/approve': { query: NoQuery, response: DecidedAction },
  'POST /actions/{id}/reject': { query: NoQuery, response: DecidedAction },
  'POST /actions/{id}/undo': { query: NoQuery, response: Action },
  'POST /actions/decisions': { query: NoQuery, response: BulkDecisionResult },
  'GET /investigations': { query: InvestigationListQuery, response: InvestigationPage },
  'GET /investigations/{id}': { query: NoQuery, response: InvestigationDetail },
  'GET /alerts/rejected': { query: RejectedAlertListQuery, response: RejectedAlertPage },
  'GET /audit': { query: AuditListQuery, response: AuditPage },
  'GET /audit/verify': { query: AuditVerifyQuery, response: AuditVerdict },
  'GET /audit/public-key': { query: NoQuery, response: AuditPublicKey },
  'GET /metrics': { query: NoQuery, response: PrometheusText },
  'GET /openapi.json': { query: NoQuery, response: OpenApiDocument },
  'POST /connectors/webhook/callbacks': { query: NoQuery, response: WebhookCallbackReceipt },
  'GET /links/{token}': { query: NoQuery, response: LinkView },
  'POST /links/{token}': { query: NoQuery, response: DecidedAction },
} as const satisfies Record<RouteKey, { query: z.ZodType; response: z.ZodType }>;

/** What a route answers with 200. */
export type ResponseOf<K extends RouteKey> = z.infer<(typeof ROUTE_SCHEMAS)[K]['response']>;
