// The POST routes: approve, reject, bulk decisions and undo. They write the table and settle the
// workflow's task tokens, which never leave the server.
import { decideMany } from '../services/bulk.js';
import {
  approveAction,
  type DecisionOutcome,
  type DecisionPorts,
  rejectAction,
} from '../services/decide.js';
import { undoAction } from '../services/undo.js';
import { type ApiHandler, createApiHandler } from './http/api-handler.js';
import { type ApiEvent, parseInput, pathParameter, queryOf } from './http/request.js';
import { json } from './http/responses.js';
import { BulkDecisionBody, DecisionBody, NoQuery } from './schemas.js';

/** The action decided; `remediation: "queued"` when its callback is left to the reconciler. */
function decided(outcome: DecisionOutcome) {
  return json(
    200,
    outcome.remediation ? { ...outcome.action, remediation: outcome.remediation } : outcome.action,
  );
}

function inputOf(event: ApiEvent) {
  parseInput(NoQuery, queryOf(event), 'query');
  return parseInput(DecisionBody, event.jsonBody, 'body');
}

export function createDecideHandler(ports: DecisionPorts): ApiHandler {
  return createApiHandler([
    {
      method: 'POST',
      path: '/actions/decisions',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        const body = parseInput(BulkDecisionBody, event.jsonBody, 'body');
        return json(200, await decideMany(ports, event.caller, body));
      },
    },
    {
      method: 'POST',
      path: '/actions/{id}/approve',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        return decided(await approveAction(ports, event.caller, pathParameter(event, 'id'), input));
      },
    },
    {
      method: 'POST',
      path: '/actions/{id}/reject',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        return decided(await rejectAction(ports, event.caller, pathParameter(event, 'id'), input));
      },
    },
    {
      method: 'POST',
      path: '/actions/{id}/undo',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        return json(200, await undoAction(ports, event.caller, pathParameter(event, 'id'), input));
      },
    },
  ]);
}
