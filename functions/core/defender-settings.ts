// Microsoft Defender settings (DEFENDER_* and the three Microsoft URLs), checked together at cold
// start: setting the tenant turns the integration on, and then every missing piece is named.
// Pure, so CDK's synth checks its parameters with the same rules.

export const DEFAULT_DEFENDER_LOGIN_URL = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
export const DEFAULT_MDE_API_URL = 'https://api.security.microsoft.com';
export const DEFAULT_DEFENDER_POLL_SECONDS = 60;
/** How far back the alert poller's first run reads. */
export const DEFAULT_DEFENDER_POLL_LOOKBACK_HOURS = 24;

/** How the app proves who it is: the secret itself (locally) or a Secrets Manager secret (AWS). */
export type DefenderClientSecret = { value: string } | { arn: string };

export interface DefenderSettings {
  tenantId: string;
  clientId: string;
  clientSecret: DefenderClientSecret;
  loginUrl: string;
  graphUrl: string;
  mdeApiUrl: string;
  /** How often the alert poller reads Microsoft Graph; 0 turns the poller off. */
  pollSeconds: number;
  /** How far back the poller's first run reads (before it has a watermark). */
  pollLookbackHours: number;
}

export interface DefenderVariables {
  DEFENDER_TENANT_ID?: string;
  DEFENDER_CLIENT_ID?: string;
  DEFENDER_CLIENT_SECRET?: string;
  DEFENDER_CLIENT_SECRET_ARN?: string;
  DEFENDER_LOGIN_URL?: string;
  GRAPH_URL?: string;
  MDE_API_URL?: string;
  DEFENDER_POLL_SECONDS?: string | number;
  DEFENDER_POLL_LOOKBACK_HOURS?: string | number;
}

// A directory (tenant) id or an application (client) id: both are GUIDs.
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** https only, except to this machine (a local stand-in): a bearer token never goes in the clear. */
function checkUrl(name: string, value: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name}: not a URL`);
    return value;
  }
  const loopback = LOOPBACK.includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(`${name}: must be https (plain http is allowed only for localhost)`);
  }
  if (url.search || url.hash) problems.push(`${name}: must not have a query or fragment`);
  return value.replace(/\/+$/, '');
}

function pollSecondsOf(value: string | number | undefined, problems: string[]): number {
  if (value === undefined || value === '') return DEFAULT_DEFENDER_POLL_SECONDS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 86_400) {
    problems.push('DEFENDER_POLL_SECONDS: must be a whole number of seconds from 0 (off) to 86400');
    return DEFAULT_DEFENDER_POLL_SECONDS;
  }
  return n;
}

// Graph keeps alerts for 180 days (4320 hours): a longer look-back reads nothing more.
function lookbackHoursOf(value: string | number | undefined, problems: string[]): number {
  if (value === undefined || value === '') return DEFAULT_DEFENDER_POLL_LOOKBACK_HOURS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 4320) {
    problems.push('DEFENDER_POLL_LOOKBACK_HOURS: must be a whole number of hours from 1 to 4320');
    return DEFAULT_DEFENDER_POLL_LOOKBACK_HOURS;
  }
  return n;
}

/**
 * The Defender settings, or undefined when DEFENDER_TENANT_ID is unset (the integration is off).
 * Every problem is appended to `problems`, each naming its variable.
 */
export function defenderSettingsFrom(
  v: DefenderVariables,
  problems: string[],
): DefenderSettings | undefined {
  const tenantId = v.DEFENDER_TENANT_ID;
  if (tenantId === undefined) {
    const stray = (
      ['DEFENDER_CLIENT_ID', 'DEFENDER_CLIENT_SECRET', 'DEFENDER_CLIENT_SECRET_ARN'] as const
    ).filter((name) => v[name] !== undefined);
    if (stray.length > 0) {
      problems.push(`DEFENDER_TENANT_ID: required when ${stray.join(', ')} is set`);
    }
    return undefined;
  }
  if (!GUID.test(tenantId))
    problems.push('DEFENDER_TENANT_ID: not a directory (tenant) id (a GUID)');
  const clientId = v.DEFENDER_CLIENT_ID;
  if (clientId === undefined) {
    problems.push('DEFENDER_CLIENT_ID: required when DEFENDER_TENANT_ID is set');
  } else if (!GUID.test(clientId)) {
    problems.push('DEFENDER_CLIENT_ID: not an application (client) id (a GUID)');
  }
  const secret = clientSecretOf(v, problems);
  return {
    tenantId,
    clientId: clientId ?? '',
    clientSecret: secret,
    loginUrl: checkUrl(
      'DEFENDER_LOGIN_URL',
      v.DEFENDER_LOGIN_URL ?? DEFAULT_DEFENDER_LOGIN_URL,
      problems,
    ),
    graphUrl: checkUrl('GRAPH_URL', v.GRAPH_URL ?? DEFAULT_GRAPH_URL, problems),
    mdeApiUrl: checkUrl('MDE_API_URL', v.MDE_API_URL ?? DEFAULT_MDE_API_URL, problems),
    pollSeconds: pollSecondsOf(v.DEFENDER_POLL_SECONDS, problems),
    pollLookbackHours: lookbackHoursOf(v.DEFENDER_POLL_LOOKBACK_HOURS, problems),
  };
}

function clientSecretOf(v: DefenderVariables, problems: string[]): DefenderClientSecret {
  const value = v.DEFENDER_CLIENT_SECRET;
  const arn = v.DEFENDER_CLIENT_SECRET_ARN;
  if (value !== undefined && arn !== undefined) {
    problems.push(
      'DEFENDER_CLIENT_SECRET and DEFENDER_CLIENT_SECRET_ARN are both set: set only one',
    );
  }
  if (arn !== undefined) {
    if (!/^arn:aws[\w-]*:secretsmanager:/.test(arn)) {
      problems.push('DEFENDER_CLIENT_SECRET_ARN: not a Secrets Manager secret ARN');
    }
    return { arn };
  }
  if (value === undefined) {
    problems.push(
      'DEFENDER_CLIENT_SECRET (locally) or DEFENDER_CLIENT_SECRET_ARN (AWS): required when DEFENDER_TENANT_ID is set',
    );
    return { value: '' };
  }
  return { value };
}
