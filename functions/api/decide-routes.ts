// The POST routes: approve, reject, bulk decisions and undo. They write the table and settle the
// workflow's task tokens, which never leave the server.
import { decideMany } from '../services/bulk.js';
import { type DecisionPorts, decideAction, type Verdict } from '../services/decide.js';
import { undoAction } from '../services/undo.js';
import { type ApiHandler, createApiHandler } from './http/api-handler.js';
import { type ApiEvent, parseInput, pathParameter, queryOf } from './http/request.js';
import { ok } from './http/responses.js';
import { BulkDecisionBody, DecisionBody, NoQuery } from './schemas.js';

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
    { method: 'POST', path: '/actions/{id}/approve', handler: decide(ports, 'approve') },
    { method: 'POST', path: '/actions/{id}/reject', handler: decide(ports, 'reject') },
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
