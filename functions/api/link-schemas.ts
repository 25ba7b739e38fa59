// Decision links as the API answers them (its own file: api/schemas.ts stays under the length
// limit). The token is core/decision-links.ts's.
import * as z from 'zod';
import { Action, TEXT_LIMITS } from '../core/model.js';

/** `GET|POST /links/{token}`: the token a decision link carries after `#/decide/`. */
export const LinkPath = z.object({
  token: z
    .string()
    .max(1024)
    .regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a decision link'),
});

/** `POST /links/{token}`. */
export const LinkDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(TEXT_LIMITS.comment).optional(),
});
export type LinkDecisionBody = z.infer<typeof LinkDecisionBody>;

/** `GET /links/{token}`: the action, when the link lapses, and what the caller may do with it. */
export const LinkView = z.object({
  action: Action,
  expiresAt: z.iso.datetime(),
  decisions: z.array(z.enum(['approve', 'reject'])).meta({
    description:
      'The decisions the policies let this caller make on this action now (empty: the link can only be shown).',
  }),
});
export type LinkView = z.infer<typeof LinkView>;
