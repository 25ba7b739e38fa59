// The POST routes: approve, reject, bulk decisions and undo. They write the table and wake the
// investigations' workflows (whose task tokens never leave the server), which do the rest. And the webhook receivers' signed
// callbacks, which carry no bearer token, and decisions through decision links.
import { WEBHOOK_HEADERS } from '../core/webhook-signature.js';
import { decideMany, undoMany } from '../services/bulk.js';
import { type DecisionPorts, decideAction, type Verdict } from '../services/decide.js';
import { configuredLinks, decideByLink, type LinkPorts } from '../services/links.js';
import { type ProposePorts, proposeAction } from '../services/propose.js';
import { type UndoPorts, undoAction } from '../services/undo.js';
import {
  recordWebhookCallback,
  verifyWebhookCallback,
  type WebhookCallbackPorts,
} from '../services/webhook-callbacks.js';
import { type ApiHandler, createApiHandler } from './http/api-handler.js';
import {
  type ApiEvent,
  header,
  parseInput,
  pathParameter,
  queryOf,
  rawBody,
} from './http/request.js';
import { accepted, created, ok } from './http/responses.js';
import { LinkDecisionBody, LinkPath } from './link-schemas.js';
import {
  BulkDecisionBody,
  DecisionBody,
  ManualActionBody,
  NoQuery,
  WebhookCallbackBody,
} from './schemas.js';

export type DecideRoutePorts = DecisionPorts &
  UndoPorts &
  ProposePorts & {
    webhookCallbacks: WebhookCallbackPorts;
    /** The decision links' uses and key, when LINK_SECRET is set. */
    decisionLinks?: Pick<LinkPorts, 'links' | 'linkSettings'>;
  };

function inputOf(event: ApiEvent) {
  parseInput(NoQuery, queryOf(event), 'query');
  return parseInput(DecisionBody, event.jsonBody, 'body');
}

/** Approves or rejects one action; `remediation: "queued"` when its callback is left to the reconciler. */
function decide(ports: DecisionPorts, verdict: Verdict) {
  const route = `POST /actions/{id}/${verdict}` as const;
  return async (event: ApiEvent) => {
    const input = inputOf(event);
    const id = pathParameter(event, 'id');
    const { action, remediation } = await decideAction(ports, event.caller, id, verdict, input);
    return ok(route, remediation ? { ...action, remediation } : action);
  };
}

/** The signature is checked before the body is read: an unsigned caller learns nothing of it. */
function webhookCallback(ports: WebhookCallbackPorts) {
  return async (event: ApiEvent) => {
    await verifyWebhookCallback(ports, {
      timestamp: header(event, WEBHOOK_HEADERS.timestamp),
      signature: header(event, WEBHOOK_HEADERS.signature),
      body: rawBody(event),
    });
    parseInput(NoQuery, queryOf(event), 'query');
    const body = parseInput(WebhookCallbackBody, event.jsonBody, 'body');
    const receipt = await recordWebhookCallback(ports, body);
    return ok('POST /connectors/webhook/callbacks', receipt);
  };
}

export function createDecideHandler(ports: DecideRoutePorts): ApiHandler {
  return createApiHandler([
    {
      method: 'POST',
      path: '/actions/decisions',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        const { decision, ...body } = parseInput(BulkDecisionBody, event.jsonBody, 'body');
        const results =
          decision === 'undo'
            ? await undoMany(ports, event.caller, body)
            : await decideMany(ports, event.caller, { ...body, decision });
        return ok('POST /actions/decisions', results);
      },
    },
    {
      method: 'POST',
      path: '/actions',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        const body = parseInput(ManualActionBody, event.jsonBody, 'body');
        return created('POST /actions', await proposeAction(ports, event.caller, body));
      },
    },
    { method: 'POST', path: '/actions/{id}/approve', handler: decide(ports, 'approve') },
    { method: 'POST', path: '/actions/{id}/reject', handler: decide(ports, 'reject') },
    {
      method: 'POST',
      path: '/actions/{id}/undo',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        const id = pathParameter(event, 'id');
        const { action, finished } = await undoAction(ports, event.caller, id, input);
        // Not undone within the wait: recorded, and the workflow carries on with it.
        return finished
          ? ok('POST /actions/{id}/undo', action)
          : accepted('POST /actions/{id}/undo', action);
      },
    },
    {
      method: 'POST',
      path: '/links/{token}',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        const { token } = parseInput(LinkPath, { token: pathParameter(event, 'token') }, 'path');
        const body = parseInput(LinkDecisionBody, event.jsonBody, 'body');
        const linkPorts = { ...ports, ...configuredLinks(ports.decisionLinks) };
        const { action, remediation } = await decideByLink(linkPorts, event.caller, token, body);
        return ok('POST /links/{token}', remediation ? { ...action, remediation } : action);
      },
    },
    {
      method: 'POST',
      path: '/connectors/webhook/callbacks',
      handler: webhookCallback(ports.webhookCallbacks),
    },
  ]);
}
