// The stand-in's Microsoft Graph security alerts: GET /v1.0/security/alerts_v2 as Graph answers it
// (List alerts_v2, microsoft-graph-docs-contrib api-reference/v1.0/api/security-list-alerts_v2.md):
// `value` newest first, `$filter` on lastUpdateDateTime (`gt`), `$top` and `$skip` paging with an
// absolute `@odata.nextLink`, and Graph's 400 for a query option or filter it does not support.
import { graphInstant } from '../../../functions/core/defender-poll.js';
import type { RecordedRequest, StandInAnswer, StandInRoute } from './standin.js';

/** A Graph `alert` resource (test/fixtures/microsoft/README.md names the published samples). */
export type GraphAlertResource = Record<string, unknown> & {
  id: string;
  createdDateTime: string;
  lastUpdateDateTime: string;
};

export interface GraphAlertsFeed {
  route: StandInRoute;
  /** Adds an alert, or replaces the one with its id (an alert Defender updated). */
  put(...alerts: GraphAlertResource[]): void;
  alerts(): readonly GraphAlertResource[];
}

/** The documented query options of List alerts_v2. */
const OPTIONS = new Set(['$filter', '$top', '$skip', '$count']);
const FILTER = /^lastUpdateDateTime gt (\S+)$/;
const MAX_TOP = 2000;

const badRequest = (message: string): StandInAnswer => ({
  status: 400,
  body: { error: { code: 'BadRequest', message } },
});

function wholeNumber(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined) return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

export function graphAlerts(
  initial: readonly GraphAlertResource[] = [],
  options: { pageSize?: number } = {},
): GraphAlertsFeed {
  const byId = new Map<string, GraphAlertResource>();
  const put = (...alerts: GraphAlertResource[]) => {
    for (const alert of alerts) byId.set(alert.id, structuredClone(alert));
  };
  put(...initial);

  const handle = (request: RecordedRequest): StandInAnswer => {
    const unknown = Object.keys(request.query).find((name) => !OPTIONS.has(name));
    if (unknown) return badRequest(`Query option '${unknown}' is not allowed.`);
    const filter = request.query.$filter;
    let after: string | undefined;
    if (filter !== undefined) {
      const match = FILTER.exec(filter.trim());
      after = match ? graphInstant(match[1]) : undefined;
      if (!after) return badRequest(`Invalid filter clause: ${filter}`);
    }
    const top = wholeNumber(request.query.$top, options.pageSize ?? MAX_TOP);
    const skip = wholeNumber(request.query.$skip, 0);
    if (top === undefined || top < 1 || top > MAX_TOP) {
      return badRequest(`Invalid $top value: it must be from 1 to ${MAX_TOP}.`);
    }
    if (skip === undefined) return badRequest('Invalid $skip value.');
    const matching = [...byId.values()]
      .filter((a) => after === undefined || (graphInstant(a.lastUpdateDateTime) ?? '') > after)
      .sort((a, b) =>
        (graphInstant(b.createdDateTime) ?? '').localeCompare(
          graphInstant(a.createdDateTime) ?? '',
        ),
      );
    const value = matching.slice(skip, skip + top);
    const body: Record<string, unknown> = { value };
    if (request.query.$count === 'true') body['@odata.count'] = matching.length;
    if (skip + top < matching.length) {
      const next = [
        ...(filter === undefined ? [] : [`$filter=${encodeURIComponent(filter)}`]),
        `$top=${top}`,
        `$skip=${skip + top}`,
      ];
      body['@odata.nextLink'] =
        `http://${request.headers.host}/v1.0/security/alerts_v2?${next.join('&')}`;
    }
    return { status: 200, body };
  };

  return {
    route: {
      service: 'graph',
      method: 'GET',
      path: /^\/v1\.0\/security\/alerts_v2$/,
      permission: 'SecurityAlert.Read.All',
      handle,
    },
    put,
    alerts: () => [...byId.values()],
  };
}
