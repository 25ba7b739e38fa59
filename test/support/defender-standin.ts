// The Microsoft stand-in with the Defender for Endpoint and Graph e-mail routes, and a Microsoft
// client pointed at it that waits no real time: what the defender connector's tests run against.
import { MicrosoftApi, TokenSource } from '../../functions/adapters/microsoft/index.js';
import {
  type DefenderEndpointOptions,
  defenderEndpointRoutes,
} from '../../infra/local/microsoft/defender-endpoint.js';
import { graphEmailRoutes } from '../../infra/local/microsoft/graph-email.js';
import {
  type MicrosoftStandIn,
  type RecordedRequest,
  startMicrosoftStandIn,
} from '../../infra/local/microsoft/standin.js';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const CLIENT = '66666666-7777-8888-9999-000000000000';
export const SECRET = 'stand-in-client-secret';
/** Devices the stand-in knows, by MDE machine id (the published samples' ids). */
export const LAPTOP = '1e5bc9d7e413ddd7902c2932e418702b84d0cc07';
export const SERVER = '7b1f4967d9728e5aa3c06a9e617a22a4a5a17378';
export const BROKEN = 'f46b9bb259ed4a7fb9981b73510e3cc7aa81ec1f';
/** 30 more devices, for tests that need a device no other test remediated (dedup). */
export const MACHINES = Array.from({ length: 30 }, (_, i) => `${i}`.padStart(40, 'a'));

export async function startDefenderStandIn(
  options: Partial<DefenderEndpointOptions> & { permissions?: string[] } = {},
) {
  let clock = Date.parse('2026-11-01T12:00:00Z');
  const now = () => clock;
  const machines = Object.fromEntries(
    Array.from({ length: 30 }, (_, i) => [
      `${i}`.padStart(40, 'a'),
      { computerDnsName: `host-${i}` },
    ]),
  );
  const endpoint = defenderEndpointRoutes({
    machines: {
      ...machines,
      [LAPTOP]: { computerDnsName: 'laptop-7.contoso.com' },
      [SERVER]: { computerDnsName: 'desktop-test' },
      [BROKEN]: { computerDnsName: 'desktop-39g9tgl' },
    },
    failingMachines: [BROKEN],
    now,
    ...options,
  });
  const email = graphEmailRoutes(TENANT);
  const standIn: MicrosoftStandIn = await startMicrosoftStandIn({
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
    permissions: options.permissions,
    routes: [...endpoint.routes, ...email.routes],
    now,
  });
  const waits: number[] = [];
  const api = new MicrosoftApi({
    tokens: new TokenSource({
      loginUrl: standIn.url,
      tenantId: TENANT,
      clientId: CLIENT,
      clientSecret: async () => SECRET,
      now,
    }),
    baseUrls: { graph: standIn.url, defenderEndpoint: standIn.url },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  const calls = (method: string, path: RegExp): RecordedRequest[] =>
    standIn.requests.filter((r) => r.method === method && path.test(r.path));
  return {
    standIn,
    endpoint: endpoint.state,
    email: email.state,
    api,
    waits,
    calls,
    now,
    /** Moves the stand-in's (and the tokens') clock. */
    advance(ms: number) {
      clock += ms;
    },
  };
}
export type DefenderStandIn = Awaited<ReturnType<typeof startDefenderStandIn>>;
