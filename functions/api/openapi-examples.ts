// Realistic bodies for the OpenAPI document: one ransomware investigation on a laptop, its
// evidence, a proposed quarantine and its decision. Ids and audit hashes are derived as the
// Action Center derives them; a test parses every example with its schema.
import { chainEntry, GENESIS_HASH } from '../core/audit-chain.js';
import { dedupKeyOf } from '../core/catalog.js';
import { actionIdFor, investigationIdFor } from '../core/ids.js';
import type {
  Action,
  AuditEntry,
  Entity,
  Investigation,
  RejectedAlert,
  Target,
} from '../core/model.js';
import type { NotificationMessage } from '../core/notification-messages.js';
import { pendingStatsOf, prometheusText } from '../core/pending-stats.js';
import { DEFAULT_SLA_MINUTES } from '../core/reminders.js';
import type { LinkDecisionBody, LinkView } from './link-schemas.js';
import type {
  AuditPublicKey,
  AuditVerdict,
  BulkDecisionBody,
  BulkDecisionResult,
  DecidedAction,
  DecisionBody,
  ErrorBody,
  InvestigationDetail,
  Me,
  WebhookCallbackBody,
  WebhookCallbackReceipt,
} from './schemas.js';

const ALERT_ID = 'edr-alert-7f3a2c';
const INVESTIGATION_ID = investigationIdFor(ALERT_ID);
const CREATED = '2026-11-23T10:00:05.000Z';
const DECIDED = '2026-11-23T10:12:40.000Z';
const EXPIRES = '2026-11-30T10:00:05.000Z';

const file: Target = {
  kind: 'file',
  id: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  displayName: 'invoice_2026_11.exe',
  deviceId: 'laptop-ana-04',
};

const EXAMPLE_EVIDENCE: Entity[] = [
  {
    kind: 'file',
    id: file.id,
    verdict: 'malicious',
    displayName: file.displayName,
    deviceId: file.deviceId,
  },
  {
    kind: 'process',
    id: 'pid-4812',
    verdict: 'malicious',
    displayName: 'invoice_2026_11.exe',
    deviceId: 'laptop-ana-04',
  },
  { kind: 'device', id: 'laptop-ana-04', verdict: 'suspicious', displayName: 'LAPTOP-ANA-04' },
];

export const EXAMPLE_PENDING_ACTION: Action = {
  id: actionIdFor(INVESTIGATION_ID, dedupKeyOf('quarantineFile', file)),
  investigationId: INVESTIGATION_ID,
  alertId: ALERT_ID,
  type: 'quarantineFile',
  category: 'endpoint',
  target: file,
  severity: 'high',
  source: 'AutomatedInvestigation',
  status: 'Pending',
  undoable: true,
  createdAt: CREATED,
  updatedAt: CREATED,
  expiresAt: EXPIRES,
};

export const EXAMPLE_APPROVED_ACTION: DecidedAction = {
  ...EXAMPLE_PENDING_ACTION,
  status: 'Approved',
  decision: {
    by: 'ana@example.com',
    at: DECIDED,
    comment: 'Confirmed with the user',
    automated: false,
  },
  updatedAt: DECIDED,
};

/** `POST /actions`: isolate a device by hand, in an investigation of its own. */
export const EXAMPLE_MANUAL_ACTION_BODY = {
  type: 'isolateDevice',
  target: { kind: 'device', id: 'dev-7f3a', displayName: 'laptop-ana-04' },
  comment: 'Beaconing to a known C2 address',
};

export const EXAMPLE_MANUAL_ACTION: Action = {
  ...EXAMPLE_PENDING_ACTION,
  id: 'act-5d0c0a4b5d29c1e3f7a2-0b1c2d3e4f5a',
  investigationId: 'inv-5d0c0a4b5d29c1e3f7a2',
  alertId: 'manual-9b2e4c1a-3f5d-4e6a-8b7c-1d2e3f4a5b6c',
  type: 'isolateDevice',
  target: EXAMPLE_MANUAL_ACTION_BODY.target as Action['target'],
  severity: 'medium',
  source: 'Manual',
  proposedBy: 'ana@example.com',
  approvals: { required: 2, received: [] },
};

export const EXAMPLE_COMPLETED_ACTION: Action = {
  ...EXAMPLE_APPROVED_ACTION,
  status: 'Completed',
  result: {
    outcome: 'quarantined',
    detail: 'Moved to quarantine on laptop-ana-04',
    at: '2026-11-23T10:12:43.000Z',
  },
  updatedAt: '2026-11-23T10:12:43.000Z',
};

/** The completed action above, undone: `result` is the undo's, `undone.reversed` the remediation's. */
export const EXAMPLE_UNDONE_ACTION: Action = {
  ...EXAMPLE_COMPLETED_ACTION,
  status: 'Undone',
  result: { outcome: 'restored', at: '2026-11-23T10:20:04.000Z' },
  undoRequested: {
    by: 'analyst@contoso.example',
    at: '2026-11-23T10:20:00.000Z',
    comment: 'Business-critical host',
  },
  undone: {
    by: 'analyst@contoso.example',
    at: '2026-11-23T10:20:04.000Z',
    comment: 'Business-critical host',
    requestedAt: '2026-11-23T10:20:00.000Z',
    reversed: EXAMPLE_COMPLETED_ACTION.result,
  },
  updatedAt: '2026-11-23T10:20:04.000Z',
};

export const EXAMPLE_INVESTIGATION: Investigation = {
  id: INVESTIGATION_ID,
  alertIds: [ALERT_ID],
  title: 'Ransomware behaviour on LAPTOP-ANA-04',
  severity: 'high',
  detectionSource: 'EDR',
  status: 'PendingApproval',
  createdAt: '2026-11-23T10:00:02.000Z',
  updatedAt: CREATED,
  pendingSeconds: 755,
  counts: { actions: 1, pending: 1, completed: 0, rejected: 0, expired: 0, failed: 0, skipped: 0 },
};

export const EXAMPLE_INVESTIGATION_DETAIL: InvestigationDetail = {
  investigation: EXAMPLE_INVESTIGATION,
  actions: [EXAMPLE_PENDING_ACTION],
  evidence: EXAMPLE_EVIDENCE,
  timeline: [
    { at: '2026-11-23T10:00:02.000Z', event: 'InvestigationStarted', status: 'Running' },
    {
      at: CREATED,
      actionId: EXAMPLE_PENDING_ACTION.id,
      event: 'ActionProposed',
      status: 'Pending',
    },
  ],
};

const approved = chainEntry(
  {
    at: DECIDED,
    actor: 'ana@example.com',
    event: 'ActionApproved',
    actionId: EXAMPLE_PENDING_ACTION.id,
    investigationId: INVESTIGATION_ID,
    before: 'Pending',
    after: 'Approved',
    comment: 'Confirmed with the user',
  },
  1,
  GENESIS_HASH,
);
const completed = chainEntry(
  {
    at: '2026-11-23T10:12:43.000Z',
    actor: 'System',
    event: 'ActionCompleted',
    actionId: EXAMPLE_PENDING_ACTION.id,
    investigationId: INVESTIGATION_ID,
    before: 'Approved',
    after: 'Completed',
  },
  2,
  approved.hash,
);
export const EXAMPLE_AUDIT: AuditEntry[] = [completed, approved];

export const EXAMPLE_AUDIT_VERDICT: AuditVerdict = {
  ok: true,
  checked: 2,
  lastCheckpoint: {
    seq: completed.seq,
    hash: completed.hash,
    at: '2026-11-23T10:15:00.000Z',
    previous: null,
  },
};

export const EXAMPLE_AUDIT_PUBLIC_KEY: AuditPublicKey = {
  publicKeyPem:
    '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAAv4CzFAsTindbkUcfQVx+lBzRBUQzEUzFQL6jd1KkvA=\n-----END PUBLIC KEY-----\n',
  algorithm: 'Ed25519',
};

/** A GuardDuty finding sent without the resource the adapter reads. */
export const EXAMPLE_REJECTED_ALERT: RejectedAlert = {
  id: '6f2a3b1c-0d4e-4f5a-9b6c-7d8e9f0a1b2c',
  receivedAt: '2026-11-03T09:14:07.000Z',
  source: 'aws.guardduty',
  detailType: 'GuardDuty Finding',
  eventId: '6f2a3b1c-0d4e-4f5a-9b6c-7d8e9f0a1b2c',
  reason: 'The event does not match the GuardDuty finding format',
  problems: ['resource: required'],
  body: '{"schemaVersion":"2.0","accountId":"123456789012","type":"Backdoor:EC2/C&CActivity.B"}',
  truncated: false,
};

export const EXAMPLE_ME: Me = {
  user: 'ana@example.com',
  roles: ['SecurityAdmin', 'SearchAndPurge'],
  can: { decideEndpoint: true, decideEmail: true },
};

export const EXAMPLE_DECISION: DecisionBody = { comment: 'Confirmed with the user' };

export const EXAMPLE_LINK_DECISION: LinkDecisionBody = {
  decision: 'approve',
  comment: 'Confirmed with the user',
};

export const EXAMPLE_LINK_VIEW: LinkView = {
  action: EXAMPLE_PENDING_ACTION,
  expiresAt: '2026-11-24T10:15:00.000Z',
  decisions: ['approve', 'reject'],
};

export const EXAMPLE_NOTIFICATION: NotificationMessage = {
  event: 'ActionsPending',
  investigation: {
    id: INVESTIGATION_ID,
    title: 'Suspicious executable on a finance laptop',
    severity: 'high',
  },
  actions: [
    {
      id: EXAMPLE_PENDING_ACTION.id,
      investigationId: INVESTIGATION_ID,
      type: EXAMPLE_PENDING_ACTION.type,
      target: EXAMPLE_PENDING_ACTION.target.displayName,
      severity: EXAMPLE_PENDING_ACTION.severity,
      expiresAt: EXAMPLE_PENDING_ACTION.expiresAt,
      link: 'https://d111111abcdef8.cloudfront.net/#/decide/v1.eyJhIjoiYWN0LTEifQ.c2lnbmF0dXJl',
    },
  ],
  sentAt: '2026-11-23T10:15:02.000Z',
};

export const EXAMPLE_BULK_DECISION: BulkDecisionBody = {
  actionIds: [EXAMPLE_PENDING_ACTION.id, `act-${INVESTIGATION_ID.slice(4)}-0c1d2e3f4a5b`],
  decision: 'approve',
  comment: 'Phishing campaign confirmed',
};

export const EXAMPLE_WEBHOOK_CALLBACK: WebhookCallbackBody = {
  version: 1,
  actionId: EXAMPLE_PENDING_ACTION.id,
  operation: 'execute',
  state: 'completed',
  outcome: 'FileQuarantined',
  detail: 'EDR job 42 finished on LAPTOP-7',
};

export const EXAMPLE_WEBHOOK_RECEIPT: WebhookCallbackReceipt = {
  actionId: EXAMPLE_PENDING_ACTION.id,
  state: 'completed',
  recorded: true,
};

export const EXAMPLE_BULK_RESULT: BulkDecisionResult = {
  results: [
    { id: EXAMPLE_PENDING_ACTION.id, outcome: 'approved' },
    { id: `act-${INVESTIGATION_ID.slice(4)}-0c1d2e3f4a5b`, outcome: 'conflict' },
  ],
};

/** Shown without its leading UTF-8 BOM (U+FEFF) and with only the cells that need it quoted. */
export const EXAMPLE_CSV = [
  'id,investigationId,alertId,type,category,targetKind,targetId,targetName,deviceId,mailbox,clusterId,messageCount,severity,source,status,decidedBy,decidedAt,automated,comment,duplicateOf,resultOutcome,resultDetail,resultAt,undoable,createdAt,updatedAt,expiresAt,typeLabel,categoryLabel,severityLabel,statusLabel,sourceLabel,alertTitle,undoneBy,undoneAt,undoComment',
  `${EXAMPLE_PENDING_ACTION.id},${INVESTIGATION_ID},${ALERT_ID},quarantineFile,endpoint,file,${file.id},${file.displayName},${file.deviceId},,,,high,AutomatedInvestigation,Pending,,,,,,,,,true,${CREATED},${CREATED},${EXPIRES},Quarantine file,Endpoint,High,Pending,Automated investigation,${EXAMPLE_INVESTIGATION.title},,,`,
  '',
].join('\r\n');

/** Three actions waiting: two critical (the older for 20 minutes), one medium. */
export const EXAMPLE_METRICS = prometheusText(
  pendingStatsOf(
    [
      { severity: 'critical', createdAt: '2026-05-04T10:40:00.000Z' },
      { severity: 'critical', createdAt: '2026-05-04T10:55:00.000Z' },
      { severity: 'medium', createdAt: '2026-05-04T10:58:30.000Z' },
    ],
    new Date('2026-05-04T11:00:00.000Z'),
  ),
  DEFAULT_SLA_MINUTES,
);

/** One error body per code the API answers; 409 and 410 carry the action as it is now. */
export const EXAMPLE_ERRORS: Record<number, ErrorBody> = {
  400: {
    error: {
      code: 'ValidationFailed',
      message: 'Invalid request query',
      details: {
        fields: {
          window: 'Invalid option: expected one of "1d"|"7d"|"30d"|"180d"',
          colour: 'unknown field',
        },
      },
    },
  },
  401: { error: { code: 'Unauthorized', message: 'A valid bearer token is required' } },
  403: {
    error: {
      code: 'Forbidden',
      message: 'Deciding email actions needs GlobalAdmin, or SecurityAdmin with SearchAndPurge',
    },
  },
  404: { error: { code: 'NotFound', message: 'No such action' } },
  409: {
    error: { code: 'Conflict', message: 'The action is Approved, not Pending' },
    action: EXAMPLE_APPROVED_ACTION,
  },
  410: {
    error: { code: 'Expired', message: 'The action expired before a decision' },
    action: { ...EXAMPLE_PENDING_ACTION, status: 'Expired', updatedAt: EXPIRES },
  },
  413: {
    error: {
      code: 'PayloadTooLarge',
      message: 'The request body is over 65536 bytes',
      details: { maxBytes: 65536 },
    },
  },
  415: {
    error: {
      code: 'UnsupportedMediaType',
      message: 'The request body must be JSON (application/json)',
      details: { expected: 'application/json' },
    },
  },
  429: {
    error: {
      code: 'Throttled',
      message: 'Too many requests; retry later',
      details: { requestId: 'c0ffee00-1234-4d2b-9c1f-5e7a9b8c6d5e' },
    },
  },
  500: {
    error: {
      code: 'InternalError',
      message: 'Internal error',
      details: { requestId: 'c0ffee00-1234-4d2b-9c1f-5e7a9b8c6d5e' },
    },
  },
  502: {
    error: {
      code: 'UndoRefused',
      message:
        'The remediation system refused to undo the action; it stays Completed. See the log for why.',
      details: { retryable: false },
    },
  },
  503: {
    error: {
      code: 'UndoUnavailable',
      message:
        'The remediation system could not be reached to undo the action; it stays Completed. Try again.',
      details: { retryable: true },
    },
  },
};
