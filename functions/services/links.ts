// Deciding through a decision link (core/decision-links.ts): opening one shows the action and
// what the signed-in person may do with it; deciding goes through the API's own decision path
// (policies, quorum, audit, wake), once per link. Nothing is decided by opening a link.

import type { ApprovalPolicies } from '../core/approval-policies.js';
import {
  actionDigest,
  type LinkClaims,
  linkUrl,
  newLinkClaims,
  signLink,
  verifyLink,
} from '../core/decision-links.js';
import { ConflictError, ExpiredError, ForbiddenError, NotFoundError } from '../core/errors.js';
import type { Action } from '../core/model.js';
import { assertMayRead } from '../core/permissions.js';
import type { ActionStore, Clock, LinkStore } from '../core/ports.js';
import { hasApproved, roleRefusal } from '../core/quorum.js';
import { logger } from '../observability.js';
import { assertAllowed } from './authorization.js';
import type { Caller } from './caller.js';
import {
  type DecisionOutcome,
  type DecisionPorts,
  decideAction,
  recordDecision,
  type Verdict,
} from './decide.js';

export interface LinkSettings {
  /** The HMAC key of decision links (LINK_SECRET). */
  key: string;
  /** Hours a link lives at most (LINK_TTL_HOURS). */
  ttlHours: number;
  /** Where the page is served (PUBLIC_URL): the links' base. */
  publicUrl: string;
}

/** Opening a link reads only (the read API's function). */
export interface LinkReadPorts {
  actions: Pick<ActionStore, 'read'>;
  links: Pick<LinkStore, 'usageOf'>;
  policies: ApprovalPolicies;
  clock: Clock;
  linkSettings: Pick<LinkSettings, 'key'>;
}

/** Deciding through a link is a decision (the decide function's ports) that uses the link up. */
export type LinkPorts = DecisionPorts & {
  links: LinkStore;
  linkSettings: Pick<LinkSettings, 'key'>;
};

/** What opening a link answers: the action, when the link lapses, and what this person may do. */
export interface LinkView {
  action: Action;
  expiresAt: string;
  decisions: Verdict[];
}

const VERDICTS: readonly Verdict[] = ['approve', 'reject'];

/** Decision links need their key (LINK_SECRET): without it, their routes answer 404. */
export function configuredLinks<T>(links: T | undefined): T {
  if (!links) throw new NotFoundError('Decision links are not configured (LINK_SECRET)');
  return links;
}

/** A new link to decide `action` (what a notification carries). */
export function linkFor(
  settings: LinkSettings,
  action: Pick<Action, 'id' | 'type' | 'target' | 'expiresAt'>,
  now: Date,
): { url: string; expiresAt: string } {
  const claims = newLinkClaims(action, now, settings.ttlHours);
  return {
    url: linkUrl(settings.publicUrl, signLink(claims, settings.key)),
    expiresAt: claims.expiresAt,
  };
}

/**
 * The link's action, while the link may still decide it: 400 for a token this key did not sign,
 * 410 once the link or the action lapsed, 409 (with the current action) once the link was used,
 * the action changed since the link was made, or it is decided already.
 */
async function openLink(
  ports: LinkReadPorts,
  token: string,
): Promise<{ claims: LinkClaims; action: Action }> {
  const claims = verifyLink(token, ports.linkSettings.key);
  const now = ports.clock();
  if (Date.parse(claims.expiresAt) <= now.getTime()) {
    throw new ExpiredError(`The decision link expired at ${claims.expiresAt}`);
  }
  const [used, action] = await Promise.all([
    ports.links.usageOf(claims.nonce),
    ports.actions.read(claims.actionId, now),
  ]);
  if (used) throw new ConflictError(`The decision link was used at ${used.at}`, action);
  if (actionDigest(action) !== claims.digest) {
    throw new ConflictError(`Action ${action.id} changed since the link was sent`, action);
  }
  if (action.status === 'Expired') {
    throw new ExpiredError(`Action ${action.id} expired at ${action.expiresAt}`, action);
  }
  if (action.status !== 'Pending') {
    throw new ConflictError(`Action ${action.id} is already ${action.status}`, action);
  }
  return { claims, action };
}

/** Why this person may not make this decision now; undefined when they may. */
function refusalOf(
  ports: Pick<LinkReadPorts, 'policies'>,
  caller: Caller,
  verdict: Verdict,
  action: Action,
): Error | undefined {
  try {
    assertAllowed(ports.policies, caller, verdict, action);
  } catch (error) {
    if (error instanceof ForbiddenError) return error;
    throw error;
  }
  if (verdict !== 'approve') return undefined;
  const roles = roleRefusal(action, caller.roles);
  if (roles) return new ForbiddenError(roles);
  if (hasApproved(action, caller.user)) {
    return new ConflictError(`${caller.user} approved action ${action.id} already`, action);
  }
  return undefined;
}

export async function readLink(
  ports: LinkReadPorts,
  caller: Caller,
  token: string,
): Promise<LinkView> {
  // A link shows an action: only to someone who may read the Action Center (as GET /actions/{id}).
  assertMayRead(caller.roles);
  const { claims, action } = await openLink(ports, token);
  return {
    action,
    expiresAt: claims.expiresAt,
    decisions: VERDICTS.filter((v) => refusalOf(ports, caller, v, action) === undefined),
  };
}

/**
 * Decides the link's action as the API does, once per link. A person who may not decide is
 * refused (and audited) without using the link up, so a colleague who may can still use it.
 */
export async function decideByLink(
  ports: LinkPorts,
  caller: Caller,
  token: string,
  request: { decision: Verdict; comment?: string },
): Promise<DecisionOutcome> {
  assertMayRead(caller.roles);
  const { claims, action } = await openLink(ports, token);
  const input = { comment: request.comment, via: 'link' as const };
  const refusal = refusalOf(ports, caller, request.decision, action);
  if (refusal instanceof ForbiddenError) {
    // The decision path audits the refusal (DecisionRefused) and answers its 403.
    await recordDecision(ports, caller, action.id, request.decision, input, action);
  }
  if (refusal) throw refusal;
  const use = { by: caller.user, at: ports.clock().toISOString(), actionId: action.id };
  if (!(await ports.links.markUsed(claims.nonce, use, claims.expiresAt))) {
    throw new ConflictError('The decision link was used already', action);
  }
  logger.info('Decision link used', { actionId: action.id, by: caller.user });
  return decideAction(ports, caller, action.id, request.decision, input);
}
