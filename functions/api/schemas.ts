// Request schemas of the HTTP API (API.md): strict, so an unknown field or query parameter is a
// 400 naming it. Shared with the web page, which builds the same requests.
import * as z from 'zod';
import { isActionId, isInvestigationId } from '../core/ids.js';
import {
  ActionSource,
  ActionStatus,
  ActionType,
  Category,
  HistoryWindow,
  InvestigationStatus,
  Severity,
} from '../core/model.js';

export const MAX_BULK_IDS = 100;

export const ActionId = z.string().max(128).refine(isActionId, 'malformed action id');
export const InvestigationId = z
  .string()
  .max(128)
  .refine(isInvestigationId, 'malformed investigation id');

const Limit = z
  .string()
  .regex(/^\d{1,3}$/, 'an integer from 1 to 200')
  .transform(Number)
  .pipe(z.number().int().min(1, 'an integer from 1 to 200').max(200, 'an integer from 1 to 200'))
  .default(50);
const Cursor = z.string().max(4096);
const Window = HistoryWindow.default('7d');
const Comment = z.string().max(2000);

/** `GET /actions` and `GET /actions/export.csv`. `window` applies to the history tab only. */
export const ActionListQuery = z.strictObject({
  tab: z.enum(['pending', 'history']).default('pending'),
  window: Window,
  category: Category.optional(),
  type: ActionType.optional(),
  status: ActionStatus.optional(),
  severity: Severity.optional(),
  source: ActionSource.optional(),
  investigationId: InvestigationId.optional(),
  q: z.string().max(256).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
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

/** Routes that take no query parameters still reject unknown ones. */
export const NoQuery = z.strictObject({});

/** `POST /actions/{id}/approve|reject|undo`. */
export const DecisionBody = z.strictObject({ comment: Comment.optional() });
export type DecisionBody = z.infer<typeof DecisionBody>;

/** `POST /actions/decisions`. */
export const BulkDecisionBody = z.strictObject({
  actionIds: z.array(ActionId).min(1).max(MAX_BULK_IDS),
  decision: z.enum(['approve', 'reject']),
  comment: Comment.optional(),
});
export type BulkDecisionBody = z.infer<typeof BulkDecisionBody>;
