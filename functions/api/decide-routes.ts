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
import { ok } from './http/responses.js';
import { BulkDecisionBody, DecisionBody, NoQuery } from './schemas.js';

/** The action decided; `remediation: "queued"` when its callback is left to the reconciler. */
function decided(
  route: 'POST /actions/{id}/approve' | 'POST /actions/{id}/reject',
  outcome: DecisionOutcome,
) {
  const { action, remediation } = outcome;
  return ok(route, remediation ? { ...action, remediation } : action);
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
        return ok('POST /actions/decisions', await decideMany(ports, event.caller, body));
      },
    },
    {
      method: 'POST',
      path: '/actions/{id}/approve',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        const outcome = await approveAction(ports, event.caller, pathParameter(event, 'id'), input);
        return decided('POST /actions/{id}/approve', outcome);
      },
    },
    {
      method: 'POST',
      path: '/actions/{id}/reject',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        const outcome = await rejectAction(ports, event.caller, pathParameter(event, 'id'), input);
        return decided('POST /actions/{id}/reject', outcome);
      },
    },
    {
      method: 'POST',
      path: '/actions/{id}/undo',
      handler: async (event: ApiEvent) => {
        const input = inputOf(event);
        const action = await undoAction(ports, event.caller, pathParameter(event, 'id'), input);
        return ok('POST /actions/{id}/undo', action);
      },
    },
  ]);
}
