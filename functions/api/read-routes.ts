// The GET routes: who am I, the action lists and their CSV export, one action, investigations,
// the audit log, the rejected alerts, the pending metrics, and the API's own OpenAPI document (no token needed). Read-only: everything
// here needs only read access to the table.

import type { ActionOrder } from '../core/action-order.js';
import { assertMayRead, assertMayRecheckAudit } from '../core/permissions.js';
import type { ActionFilters } from '../core/ports.js';
import { auditPublicKey, type SealReader, verifyAuditChain } from '../services/audit-seal.js';
import { mayApproveSome } from '../services/authorization.js';
import { configuredLinks, type LinkReadPorts, readLink } from '../services/links.js';
import {
  exportActionsCsv,
  getAction,
  getInvestigation,
  listActions,
  listAudit,
  listInvestigations,
  listRejectedAlerts,
  pendingMetrics,
  type QueryPorts,
} from '../services/queries.js';
import { type ApiHandler, createApiHandler } from './http/api-handler.js';
import { type ApiEvent, parseInput, pathParameter, queryOf } from './http/request.js';
import { csv, ok, prometheus } from './http/responses.js';
import { LinkPath } from './link-schemas.js';
import {
  ActionListQuery,
  AuditListQuery,
  AuditVerifyQuery,
  InvestigationListQuery,
  NoQuery,
  RejectedAlertListQuery,
} from './schemas.js';

function filtersOf(query: ActionListQuery): ActionFilters {
  const { category, type, status, severity, source, investigationId, q } = query;
  return { category, type, status, severity, source, investigationId, q };
}

function orderOf(query: ActionListQuery): ActionOrder | undefined {
  return query.sort && { sort: query.sort, order: query.order ?? 'desc' };
}

function actionListRequest(event: ApiEvent) {
  const query = parseInput(ActionListQuery, queryOf(event), 'query');
  return {
    tab: query.tab,
    window: query.window,
    filters: filtersOf(query),
    order: orderOf(query),
    limit: query.limit,
    cursor: query.cursor,
  };
}

/** Every read route needs one of the Action Center roles (GET /me answers anyone signed in). */
function readable(event: ApiEvent): void {
  assertMayRead(event.caller.roles);
}

/**
 * `seal`: the audit checkpoints, verification key and export, when a signing key is configured.
 * `links`: the decision links' uses and key, when LINK_SECRET is set.
 */
export function createReadHandler(
  ports: QueryPorts,
  seal?: SealReader,
  links?: Pick<LinkReadPorts, 'links' | 'linkSettings'>,
): ApiHandler {
  return createApiHandler([
    {
      method: 'GET',
      path: '/me',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        const { user, roles } = event.caller;
        return ok('GET /me', {
          user,
          roles,
          can: {
            decideEndpoint: mayApproveSome(ports.policies, roles, 'endpoint'),
            decideEmail: mayApproveSome(ports.policies, roles, 'email'),
          },
        });
      },
    },
    {
      method: 'GET',
      path: '/actions',
      handler: async (event: ApiEvent) => {
        readable(event);
        return ok('GET /actions', await listActions(ports, actionListRequest(event)));
      },
    },
    {
      method: 'GET',
      path: '/actions/export.csv',
      handler: async (event: ApiEvent) => {
        readable(event);
        const { csv: body, filename } = await exportActionsCsv(ports, actionListRequest(event));
        return csv(body, filename);
      },
    },
    {
      method: 'GET',
      path: '/actions/{id}',
      handler: async (event: ApiEvent) => {
        readable(event);
        parseInput(NoQuery, queryOf(event), 'query');
        return ok('GET /actions/{id}', await getAction(ports, pathParameter(event, 'id')));
      },
    },
    {
      method: 'GET',
      path: '/investigations',
      handler: async (event: ApiEvent) => {
        readable(event);
        const query = parseInput(InvestigationListQuery, queryOf(event), 'query');
        return ok('GET /investigations', await listInvestigations(ports, query));
      },
    },
    {
      method: 'GET',
      path: '/investigations/{id}',
      handler: async (event: ApiEvent) => {
        readable(event);
        parseInput(NoQuery, queryOf(event), 'query');
        return ok(
          'GET /investigations/{id}',
          await getInvestigation(ports, pathParameter(event, 'id')),
        );
      },
    },
    {
      method: 'GET',
      path: '/alerts/rejected',
      handler: async (event: ApiEvent) => {
        readable(event);
        const query = parseInput(RejectedAlertListQuery, queryOf(event), 'query');
        return ok('GET /alerts/rejected', await listRejectedAlerts(ports, query));
      },
    },
    {
      method: 'GET',
      path: '/audit',
      handler: async (event: ApiEvent) => {
        readable(event);
        const query = parseInput(AuditListQuery, queryOf(event), 'query');
        return ok('GET /audit', await listAudit(ports, query));
      },
    },
    {
      method: 'GET',
      path: '/audit/verify',
      handler: async (event: ApiEvent) => {
        readable(event);
        const { full } = parseInput(AuditVerifyQuery, queryOf(event), 'query');
        if (full) assertMayRecheckAudit(event.caller.roles);
        return ok('GET /audit/verify', await verifyAuditChain(ports.audit, seal, { full }));
      },
    },
    {
      method: 'GET',
      path: '/audit/public-key',
      handler: async (event: ApiEvent) => {
        readable(event);
        parseInput(NoQuery, queryOf(event), 'query');
        return ok('GET /audit/public-key', await auditPublicKey(seal));
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (event: ApiEvent) => {
        readable(event);
        parseInput(NoQuery, queryOf(event), 'query');
        return prometheus(await pendingMetrics(ports));
      },
    },
    {
      method: 'GET',
      path: '/links/{token}',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        const { token } = parseInput(LinkPath, { token: pathParameter(event, 'token') }, 'path');
        const view = await readLink({ ...ports, ...configuredLinks(links) }, event.caller, token);
        return ok('GET /links/{token}', view);
      },
    },
    {
      method: 'GET',
      path: '/openapi.json',
      handler: async (event: ApiEvent) => {
        parseInput(NoQuery, queryOf(event), 'query');
        // Loaded when asked for: zod's JSON Schema generator and the examples stay off cold starts.
        const { openApiDocument } = await import('./openapi.js');
        return ok('GET /openapi.json', openApiDocument());
      },
    },
  ]);
}
