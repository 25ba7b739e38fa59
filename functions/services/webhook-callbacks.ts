// A webhook receiver's callback: the result of a remediation it accepted with 202. The signature
// is checked first (the route has no bearer token), then the result is kept once per action (the
// first one wins; the same one again is a harmless repeat) and the investigation is woken, so
// its workflow asks the connector's `status` and finds the result.
import { ConflictError, NotFoundError, UnauthorizedError } from '../core/errors.js';
import type { ActionStore, Clock } from '../core/ports.js';
import {
  type RemediationReport,
  type RemediationReportStore,
  sameReport,
} from '../core/remediation-reports.js';
import { checkWebhookSignature } from '../core/webhook-signature.js';
import { logger } from '../observability.js';
import { type WakePorts, wakeInvestigation } from './wake.js';

export interface WebhookCallbackPorts extends WakePorts {
  actions: Pick<ActionStore, 'get'>;
  reports: RemediationReportStore;
  /** The secret the webhook connector signs with; undefined when no webhook is configured. */
  webhookSecret: () => Promise<string | undefined>;
  clock: Clock;
}

/** The callback as received: the two headers and the exact body bytes they sign. */
export interface SignedCallback {
  timestamp?: string;
  signature?: string;
  body: string;
}

export interface WebhookCallback {
  actionId: string;
  state: 'completed' | 'failed';
  outcome?: string;
  detail?: string;
  reason?: string;
}

const REFUSALS = {
  missing: 'The callback is not signed',
  mismatch: 'The callback signature does not match',
  stale: 'The callback timestamp is more than 5 minutes from now: replay refused',
} as const;

/** 401 unless the callback carries a fresh signature made with the webhook's secret. */
export async function verifyWebhookCallback(
  ports: Pick<WebhookCallbackPorts, 'webhookSecret' | 'clock'>,
  signed: SignedCallback,
): Promise<void> {
  const secret = await ports.webhookSecret();
  if (secret === undefined) throw new UnauthorizedError(REFUSALS.mismatch);
  const check = checkWebhookSignature({ secret, ...signed, now: ports.clock() });
  if (check !== 'ok') {
    logger.warn('Webhook callback refused', { check });
    throw new UnauthorizedError(REFUSALS[check]);
  }
}

function reportOf(callback: WebhookCallback, receivedAt: string): RemediationReport {
  const { outcome, detail, reason } = callback;
  return callback.state === 'completed'
    ? { state: 'completed', outcome: outcome ?? '', receivedAt, ...(detail && { detail }) }
    : {
        state: 'failed',
        reason: reason ?? '',
        receivedAt,
        ...(outcome && { outcome }),
        ...(detail && { detail }),
      };
}

/**
 * Keeps a verified callback's result and wakes the investigation. 404 for an unknown action; 409
 * when the action is not Running, or when a different result was kept already.
 */
export async function recordWebhookCallback(
  ports: WebhookCallbackPorts,
  callback: WebhookCallback,
): Promise<{ actionId: string; state: WebhookCallback['state']; recorded: boolean }> {
  const { actionId } = callback;
  const action = await ports.actions.get(actionId);
  if (!action) throw new NotFoundError(`Action ${actionId} not found`);
  const report = reportOf(callback, ports.clock().toISOString());
  const repeatOrConflict = async (kept: RemediationReport) => {
    if (!sameReport(kept, report)) {
      throw new ConflictError(
        `Action ${actionId} already has a ${kept.state} result; the first result stands`,
        action,
      );
    }
    // The first delivery's wake may have failed after the result was kept: wake again, harmlessly.
    if (action.status === 'Running') await wakeInvestigation(ports, action.investigationId);
    return { actionId, state: callback.state, recorded: false };
  };
  const kept = await ports.reports.get(actionId);
  // A repeat is answered even once the workflow has moved the action on.
  if (kept) return repeatOrConflict(kept);
  if (action.status !== 'Running') {
    throw new ConflictError(
      `Action ${actionId} is ${action.status}; only a Running action takes a callback`,
      action,
    );
  }
  const outcome = await ports.reports.recordOnce(actionId, report);
  if (!outcome.recorded) return repeatOrConflict(outcome.report);
  const woke = await wakeInvestigation(ports, action.investigationId);
  logger.info('Webhook callback recorded', { actionId, state: callback.state, woke });
  return { actionId, state: callback.state, recorded: true };
}
