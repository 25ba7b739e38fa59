// Browsers let any web page POST a "simple" request (text/plain, no preflight) to loopback, and a
// DNS-rebound name reaches it as same-origin: a state-changing request must name this runtime in
// its Host header and, when a browser sent it, come from this runtime's own page.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { isLoopback } from '../settings.js';

export interface OwnAddress {
  /** HOST as configured (127.0.0.1, ::1, localhost, 0.0.0.0, a name…). */
  host: string;
  port: number;
}

/** Methods that only read: the bearer token alone guards them (no page can read a cross-origin answer). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a Host header's `name:port` is this runtime: its port, and a name that cannot be rebound. */
function isOwnHost(value: string, own: OwnAddress): boolean {
  let url: URL;
  try {
    url = new URL(`http://${value}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/' || url.search) return false;
  if (Number(url.port || 80) !== own.port) return false;
  const name = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopback(own.host)) return isLoopback(name);
  // Bound to the network (ALLOW_REMOTE): an IP literal or this machine's own names; any other
  // name could be an attacker's domain pointed at this address.
  return (
    isIP(name) !== 0 ||
    isLoopback(name) ||
    name === own.host.toLowerCase() ||
    name === hostname().toLowerCase()
  );
}

/** Why a request may not change anything here, or undefined when it may. */
export function refusalOf(request: IncomingMessage, own: OwnAddress): string | undefined {
  if (SAFE_METHODS.has(request.method ?? 'GET')) return undefined;
  const host = request.headers.host;
  if (!host || !isOwnHost(host, own)) {
    return `Host ${JSON.stringify(host ?? '')} is not this Action Center`;
  }
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    return `A ${site} browser request may not change anything here`;
  }
  const origin = request.headers.origin;
  if (origin === undefined) return undefined; // curl, SDKs and scripts send none
  const parsed = URL.canParse(origin) ? new URL(origin) : undefined;
  if (parsed?.protocol !== 'http:' || !isOwnHost(parsed.host, own) || parsed.host !== host) {
    return `Origin ${JSON.stringify(origin)} may not change anything here`;
  }
  return undefined;
}
