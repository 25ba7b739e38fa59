// A sample Microsoft tenant on the stand-in: fixed ids and secret, every route the Defender
// integration calls (one list, here: alerts in, remediation out), and Defender alerts built from
// Microsoft's published samples (test/fixtures/microsoft/README.md), their times moved to the
// last hour so a first poll (24 h look-back) reads them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DefenderEndpointState, defenderEndpointRoutes } from './defender-endpoint.js';
import { type GraphAlertResource, type GraphAlertsFeed, graphAlerts } from './graph-alerts.js';
import { type GraphEmailState, graphEmailRoutes } from './graph-email.js';
import { type MicrosoftStandIn, type StandInRoute, startMicrosoftStandIn } from './standin.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const SAMPLE_TENANT = {
  tenantId: 'b3c1b5fc-828c-45fa-a1e1-10d74f6d6e9c',
  clientId: '2f0c8a55-5bd4-4a3e-9a0e-6d3c2b1a7e10',
  clientSecret: 'sample-tenant-client-secret',
} as const;

/** The published sample alerts the tenant starts with (the `detail` of each fixture event). */
const SAMPLE_ALERT_FILES = [
  'test/fixtures/sources/defender/graph-alert-updated.json',
  'test/fixtures/sources/defender/graph-alert-email-evidence.json',
];

export function sampleAlert(file: string): GraphAlertResource {
  return (JSON.parse(readFileSync(resolve(ROOT, file), 'utf8')) as { detail: GraphAlertResource })
    .detail;
}

/** An alert as if Defender created it `minutesAgo` and last changed it `updatedMinutesAgo`. */
export function recent(
  alert: GraphAlertResource,
  now: number,
  minutesAgo: number,
  updatedMinutesAgo = minutesAgo,
): GraphAlertResource {
  const at = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  return {
    ...alert,
    createdDateTime: at(minutesAgo),
    lastUpdateDateTime: at(updatedMinutesAgo),
  };
}

/** The device of the sample alerts (their evidence's mdeDeviceId), known to Defender for Endpoint. */
export const SAMPLE_MACHINES = {
  '73e7e2de709dff64ef64b1d0c30e67fab63279db': { computerDnsName: 'tempDns' },
};

export interface SampleTenantFeeds {
  alerts: GraphAlertsFeed;
  /** What Defender for Endpoint was asked to do (machine actions, indicators). */
  endpoint: DefenderEndpointState;
  /** What Graph was asked to do to e-mail (remediations, inbox rules). */
  email: GraphEmailState;
}

/** The routes of the sample tenant, alerts in and remediation out. */
function sampleTenantFeeds(alerts: GraphAlertsFeed, now: () => number) {
  const endpoint = defenderEndpointRoutes({ machines: SAMPLE_MACHINES, pollsPerStep: 1, now });
  const email = graphEmailRoutes(SAMPLE_TENANT.tenantId);
  const routes: StandInRoute[] = [alerts.route, ...endpoint.routes, ...email.routes];
  return { feeds: { alerts, endpoint: endpoint.state, email: email.state }, routes };
}

/** Routes the sample alerts' actions to the defender connector (the rest stay built-in). */
export const SAMPLE_CONNECTORS = JSON.stringify({
  default: 'builtin',
  types: {
    isolateDevice: 'defender',
    quarantineFile: 'defender',
    blockUrl: 'defender',
    softDeleteEmail: 'defender',
    quarantineEmail: 'defender',
    disableExternalForwarding: 'defender',
  },
});

export interface SampleTenant extends SampleTenantFeeds {
  standIn: MicrosoftStandIn;
  /** The settings that point the Action Center at this tenant. */
  env: Record<string, string>;
}

export async function startSampleTenant(
  options: { port?: number; now?: number; alerts?: GraphAlertResource[] } = {},
): Promise<SampleTenant> {
  const now = options.now ?? Date.now();
  const alerts = graphAlerts(
    options.alerts ??
      SAMPLE_ALERT_FILES.map((file, i) => recent(sampleAlert(file), now, 50 - 10 * i)),
  );
  const { feeds, routes } = sampleTenantFeeds(alerts, Date.now);
  const standIn = await startMicrosoftStandIn({ ...SAMPLE_TENANT, port: options.port, routes });
  return {
    ...feeds,
    standIn,
    env: {
      DEFENDER_TENANT_ID: SAMPLE_TENANT.tenantId,
      DEFENDER_CLIENT_ID: SAMPLE_TENANT.clientId,
      DEFENDER_CLIENT_SECRET: SAMPLE_TENANT.clientSecret,
      DEFENDER_LOGIN_URL: standIn.url,
      GRAPH_URL: standIn.url,
      MDE_API_URL: standIn.url,
    },
  };
}
