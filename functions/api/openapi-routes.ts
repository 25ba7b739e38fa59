// What the OpenAPI document says in words: each route's summary, description, error statuses and
// example, the meaning of each error status, and the API's description.
import * as examples from './openapi-examples.js';
import type { RouteKey } from './routes.js';

/** The contract's version: API.md's v1 and this implementation's additions. */
export const API_VERSION = '1.1.0';

interface RouteDoc {
  operationId: string;
  tag:
    | 'Identity'
    | 'Actions'
    | 'Investigations'
    | 'Alerts'
    | 'Audit'
    | 'Links'
    | 'Metrics'
    | 'Contract'
    | 'Connectors';
  summary: string;
  description?: string;
  /** Error statuses besides 401, 429 and 500 (every authenticated route) and 400 (every route). */
  errors: number[];
  example: unknown;
  /** The route creates what it answers: 201 instead of 200. */
  created?: true;
  /** A 202 besides the 200: the request is recorded and still under way (same body schema). */
  accepted?: { description: string; example: unknown };
  /** A public route's own scheme, instead of none (the bearer token is the default). */
  security?: 'webhookSignature';
}

const LIST = 'Newest first; reads at most `limit` items per call, never the whole table.';

export const ROUTE_DOCS: Record<RouteKey, RouteDoc> = {
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
    description:
      'Pending: actions waiting for a decision (an expired one is never listed), by default critical first, then the oldest first. History: decided and finished actions in `window`, by default the most recently decided first. `sort` and `order` order the whole list, not one page; `total` counts it. Pending by `expiry` and history by `decidedAt` (its default), without `q`, read one page from the index that keeps that order, and `total` is counted by the table. Any other order, or a search, reads every matching action up to 10,000 (the pending set is bounded: an action waits a week at most) and answers one page of it; past 10,000, `totalIsLowerBound` is true and the list holds the newest 10,000. A page may hold fewer items than `limit` (even none) with a `nextCursor` when a filter matches few actions: follow the cursor. The cursor carries the order and the last sort key, so a page starts after the previous one even when actions were decided meanwhile; a cursor of another order or filter is a 400.',
    errors: [403],
    example: {
      items: [examples.EXAMPLE_PENDING_ACTION],
      nextCursor: null,
      total: 1,
      totalIsLowerBound: false,
    },
  },
  'GET /actions/export.csv': {
    operationId: 'exportActions',
    tag: 'Actions',
    summary: 'Every action the list filters match, across all pages, as CSV',
    description:
      "UTF-8 with a byte order mark (so spreadsheets read → and … right), a header row, one row per action, RFC 4180 quoting; a cell starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'`, the added columns included. The columns of v1 come first, in their order; after them: `typeLabel`, `categoryLabel`, `severityLabel`, `statusLabel`, `sourceLabel` (the words the page shows), `alertTitle` (the investigation's), `undoneBy`, `undoneAt`, `undoComment` (an Undone action's `undone`). More than 10,000 matching rows is a 400 (narrow the filters or the window). Sent with `content-disposition: attachment; filename=\"actions-<tab>-<YYYY-MM-DD>.csv\"`.",
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
  'POST /actions': {
    operationId: 'proposeAction',
    tag: 'Actions',
    summary: 'Propose an action by hand: it waits, Pending, for approval',
    description:
      'The catalog decides which target kinds a type acts on (`isolateDevice`: a device, `softDeleteEmail`: an e-mail message or cluster, ...). Without `investigationId` the action gets an investigation of its own, started as any other; with it, it joins that investigation (woken while open, reopened once concluded). The action has `source: "Manual"` and `proposedBy`; the proposer may not approve it (403 naming `no-self-approval`). Needs the policies\' `propose`.',
    errors: [403, 404, 413, 415],
    example: examples.EXAMPLE_MANUAL_ACTION,
    created: true,
  },
  'POST /actions/{id}/approve': {
    operationId: 'approveAction',
    tag: 'Actions',
    summary: 'Approve a pending action: its remediation starts',
    description:
      'An action needing several approvals (`approvals.required`) stays Pending with the approval recorded in `approvals.received` until the last one; the same person approving twice is a 409. `remediation: "queued"`: the approval is recorded but the workflow could not be reached after retries; the reconciler delivers it.',
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
      "The request is recorded on the action (`undoRequested`) and the investigation's workflow carries the undo out through the connector, as it does remediation (reopening a concluded investigation). The call waits up to `UNDO_WAIT_SECONDS` (20 s) for it: 200 Undone; the target system refusing is a 502 (UndoRefused), not reaching it after the retries a 503 (UndoUnavailable), the action staying Completed with the reason in `undoFailure`; not finished yet is a 202 with the action as it is (poll `GET /actions/{id}`). A second undo while one is under way is a 409 with the action; one that no workflow settled within 15 minutes may be asked again. Once Undone, `undone` says who undid it, when, their comment and the remediation's result it reversed (`result` is the undo's own); `POST /actions/decisions` with `decision: \"undo\"` undoes several at once.",
    errors: [403, 404, 409, 413, 415, 502, 503],
    example: examples.EXAMPLE_UNDONE_ACTION,
    accepted: {
      description:
        'Recorded; the workflow has not finished the undo within the wait. The action is still Completed, with `undoRequested`.',
      example: {
        ...examples.EXAMPLE_COMPLETED_ACTION,
        undoRequested: {
          by: 'analyst@contoso.example',
          at: '2026-11-23T10:20:00.000Z',
          comment: 'Business-critical host',
        },
      },
    },
  },
  'POST /actions/decisions': {
    operationId: 'decideActions',
    tag: 'Actions',
    summary: 'One decision for up to 100 actions, each settled on its own',
    description:
      'A repeated id is decided once. A caller who may decide neither category gets a 403; otherwise each id gets its outcome (`forbidden` for a category the caller may not decide). `decision: "undo"` undoes Completed, undoable actions, each as `POST /actions/{id}/undo` does (same permissions and audit; of concurrent undos of one action, bulk or single, one is carried out and the others are a `conflict`), waiting for them together up to `UNDO_WAIT_SECONDS`: `undone`; `undoRequested` (recorded, not finished within the wait: poll the action); `undoRefused` or `undoUnavailable` (the target refused, or could not be reached; the action stays Completed with `undoFailure`); `conflict` (not Completed, not undoable, or being undone), `forbidden`, `notFound`. The undo outcomes answer only an undo.',
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
  'GET /alerts/rejected': {
    operationId: 'listRejectedAlerts',
    tag: 'Alerts',
    summary: 'Events of an enabled alert source that could not be mapped, the last 30 days',
    description: `Each with the reason, the problems found and the event's \`detail\` as JSON text (cut at 64 KiB, \`truncated\` then true); the body is returned as text, never interpreted. Kept 30 days. ${LIST} At most 100 a page.`,
    errors: [403],
    example: { items: [examples.EXAMPLE_REJECTED_ALERT], nextCursor: null },
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
    summary: 'Check the audit chain against its signed checkpoints',
    description:
      'Checks that the entry at every signed checkpoint (and at the newest one in the write-once export) still has the signed hash, then the entries after the newest checkpoint: the time grows with the new entries, not the chain. `lastCheckpoint` is null while nothing is signed (no signing key, or no checkpoint yet); without a signing key the whole chain is recomputed. `full=true` also recomputes the whole chain, which finds an entry changed in place between two checkpoints.',
    errors: [403],
    example: examples.EXAMPLE_AUDIT_VERDICT,
  },
  'GET /audit/public-key': {
    operationId: 'getAuditPublicKey',
    tag: 'Audit',
    summary: "The key that verifies the audit checkpoints' signatures",
    description:
      'PEM (SubjectPublicKeyInfo): ECDSA P-256 with SHA-256 (a KMS key) in AWS, Ed25519 locally. A checkpoint signs the canonical JSON of `{type: "action-center.audit-checkpoint.v1", seq, hash, at, previous}`; `npm run audit:verify` checks an export with it. 404 when no signing key is configured.',
    errors: [403, 404],
    example: examples.EXAMPLE_AUDIT_PUBLIC_KEY,
  },
  'GET /metrics': {
    operationId: 'getPendingMetrics',
    tag: 'Metrics',
    summary: 'Actions waiting for a decision by severity, in the Prometheus text format',
    description:
      'Gauges by `severity`: `action_center_pending_actions`, `action_center_oldest_pending_action_age_seconds` (0 when none waits) and `action_center_pending_sla_seconds` (NOTIFY_SLA_MINUTES). An expired action is not counted. Read from the table on each call. In AWS the reconciler publishes the same figures to CloudWatch (`PendingActions`, `OldestPendingActionAge`, dimension `severity`) every 5 minutes, with an alarm per severity on its SLA. Prometheus sends the bearer token with `authorization: {credentials_file: ...}`.',
    errors: [403],
    example: examples.EXAMPLE_METRICS,
  },
  'GET /links/{token}': {
    operationId: 'openDecisionLink',
    tag: 'Links',
    summary: 'Open a decision link: the action, and what the caller may decide',
    description:
      'A decision link is `<PUBLIC_URL>/#/decide/<token>`, sent by a notification. Opening it decides nothing (mail scanners follow links). The token is signed (HMAC-SHA256), names one action and a digest of what will be done (type and target), and lapses with the action or after `LINK_TTL_HOURS` (24). A token this deployment did not sign is a 400; a lapsed link or action a 410; a used link, an action changed since the link was sent, or one decided already a 409 with the current `action`. `decisions` lists what the policies let this caller do (empty: the caller may only look).',
    errors: [403, 404, 409, 410],
    example: examples.EXAMPLE_LINK_VIEW,
  },
  'POST /links/{token}': {
    operationId: 'decideByLink',
    tag: 'Links',
    summary: 'Approve or reject through a decision link, once',
    description:
      'Decides as `POST /actions/{id}/approve|reject` does (policies, quorum, audit, wake), and uses the link up: a second decision through it is a 409. A caller the policies refuse gets the 403 (audited) and leaves the link usable by someone who may decide. The audit entry has `via: "link"`. Errors as `GET /links/{token}`.',
    errors: [403, 404, 409, 410, 413, 415],
    example: examples.EXAMPLE_APPROVED_ACTION,
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
  'POST /connectors/webhook/callbacks': {
    operationId: 'reportWebhookResult',
    tag: 'Connectors',
    summary: 'A webhook receiver reports the result of a remediation it accepted with 202',
    description:
      'No bearer token: signed like the request the receiver got, `X-ActionCenter-Timestamp` (Unix seconds) and `X-ActionCenter-Signature: v1=hex(HMAC-SHA256(secret, timestamp + "." + body))`; a missing or wrong signature, or a timestamp more than 5 minutes from now, is a 401. The first result of an action is kept and its investigation resumes; the same result again answers `recorded: false`, a different one 409. The action must be Running (409 otherwise, with the action). A body that does not match is a 400 (in AWS, checked at the edge before the signature).',
    errors: [401, 404, 409, 413, 415, 429],
    example: examples.EXAMPLE_WEBHOOK_RECEIPT,
    security: 'webhookSignature',
  },
};

export const ERROR_RESPONSES: Record<number, string> = {
  400: 'Invalid input: `details.fields` names each field (never the values sent). Unknown query parameters and body fields, and a malformed id, are refused.',
  401: 'No valid bearer token (on the webhook callback: no valid, fresh signature).',
  403: 'The token lacks the role this needs.',
  404: 'No such resource (an unknown path or method is a 404 too).',
  409: 'The action is not in a state that allows this; the body carries the current `action`.',
  410: "The action's pending time ran out; the body carries the current `action`.",
  413: 'The request body is over 64 KiB.',
  415: 'The request body is not JSON (`application/json`).',
  429: "In AWS, the stage's throttle.",
  500: 'Something went wrong; `details.requestId` finds the log line.',
  502: "The remediation system refused the undo (the action's `undoFailure` says why).",
  503: 'The remediation system could not be reached (after retries).',
};

export const API_DESCRIPTION = `The HTTP API of the Action Center: approve or reject the remediation actions an automated investigation proposes, undo them, export them, read investigations and the audit log.

Every error is \`{"error":{"code","message","details"}}\` with an \`x-request-id\` header. Empty query values (\`?category=\`) are ignored. Locally (\`npm start\`) the API is at \`http://127.0.0.1:3000/api\`, and \`POST /api/events\` is the EventBridge stand-in that takes a PutEvents body \`{Entries:[{Source,DetailType,Detail}]}\` with the bearer token of a GlobalAdmin or SecurityAdmin, and answers per entry.

This is v1 of the original API.md with this implementation's additions; nothing of it is changed.`;
