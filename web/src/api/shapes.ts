// The response shapes of API.md, built on the domain schemas in functions/core/model.ts so the
// page and the API handlers agree on them. Every response is parsed before the page uses it.
import * as z from 'zod';
import {
  Action,
  ActionStatus,
  Entity,
  Investigation,
  InvestigationStatus,
} from '../../../functions/core/model';
import { ROLES } from '../../../functions/core/permissions';

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
  SEVERITIES,
  type Severity,
  type Verdict,
} from '../../../functions/core/model';

export const Me = z.object({
  user: z.string(),
  roles: z.array(z.enum(ROLES).or(z.string())),
  can: z.object({ decideEndpoint: z.boolean(), decideEmail: z.boolean() }),
});
export type Me = z.infer<typeof Me>;

export const ActionPage = z.object({ items: z.array(Action), nextCursor: z.string().nullable() });
export type ActionPage = z.infer<typeof ActionPage>;

export const InvestigationPage = z.object({
  items: z.array(Investigation),
  nextCursor: z.string().nullable(),
});
export type InvestigationPage = z.infer<typeof InvestigationPage>;

export const TimelineEvent = z.object({
  at: z.string(),
  actionId: z.string().optional(),
  event: z.string(),
  status: z.union([ActionStatus, InvestigationStatus]),
  by: z.string().optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const InvestigationDetail = z.object({
  investigation: Investigation,
  actions: z.array(Action),
  evidence: z.array(Entity),
  timeline: z.array(TimelineEvent),
});
export type InvestigationDetail = z.infer<typeof InvestigationDetail>;

export const BULK_OUTCOMES = [
  'approved',
  'rejected',
  'conflict',
  'expired',
  'forbidden',
  'notFound',
] as const;
export const BulkDecisionResult = z.object({
  results: z.array(z.object({ id: z.string(), outcome: z.enum(BULK_OUTCOMES) })),
});
export type BulkDecisionResult = z.infer<typeof BulkDecisionResult>;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

/** `{"error":{code,message,details}}`, with the action as it is now on 409 and 410. */
export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  action: Action.optional(),
});
