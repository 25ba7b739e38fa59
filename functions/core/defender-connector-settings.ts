// The defender connector's part of the connector settings: which types Microsoft's APIs can carry
// out, the live response script that reaches the rest, and what routing to it requires. Pure.
import { ACTION_TYPES, type ActionType } from './model.js';

/** The connector a type is routed to, and the routing entry that says so. */
type ConnectorOf = (type: ActionType) => { name: string | undefined; entry: string };

/** What Microsoft Defender's APIs can carry out (quarantineAttachment has no API: refused). */
export const DEFENDER_CONNECTOR_TYPES = [
  'isolateDevice',
  'quarantineFile',
  'killProcess',
  'stopService',
  'disableDriver',
  'removeRegistryKey',
  'removeScheduledTask',
  'blockUrl',
  'softDeleteEmail',
  'quarantineEmail',
  'disableExternalForwarding',
] as const satisfies ActionType[];

/** The types Defender for Endpoint's API can only reach through a live response library script. */
export const LIVE_RESPONSE_TYPES = [
  'killProcess',
  'stopService',
  'disableDriver',
  'removeRegistryKey',
  'removeScheduledTask',
] as const satisfies ActionType[];

export interface Settings {
  /** The live response library script run for the LIVE_RESPONSE_TYPES (DEFENDER_LIVE_RESPONSE_SCRIPT). */
  liveResponseScript?: string;
  /** A live response session is queued up to three days for an offline device, then runs. */
  timeoutSeconds: number;
}

/** Three days of a queued live response session or machine action, and an hour to run it. */
const DEFENDER_CONNECTOR_TIMEOUT_SECONDS = 3 * 86_400 + 3_600;

export interface Variables {
  /** Set: the Defender integration is configured (core/defender-settings.ts checks the rest). */
  DEFENDER_TENANT_ID?: string;
  DEFENDER_LIVE_RESPONSE_SCRIPT?: string;
}

const list = (values: readonly string[]) => values.join(', ');

function checkDefenderFormats(v: Variables, problems: string[]): void {
  const script = v.DEFENDER_LIVE_RESPONSE_SCRIPT;
  if (script !== undefined && !/^[\w.-]{1,128}$/.test(script)) {
    problems.push(
      'DEFENDER_LIVE_RESPONSE_SCRIPT: not a live response library file name (letters, digits, . _ -)',
    );
  }
}

/** The defender connector: the Defender integration configured, only the types its APIs do. */
function checkDefenderRoutes(
  resolve: ConnectorOf,
  source: string,
  v: Variables,
  problems: string[],
): void {
  const refused = new Map<string, ActionType[]>();
  let defenderEntry: string | undefined;
  let scriptEntry: string | undefined;
  for (const type of ACTION_TYPES) {
    const { name, entry } = resolve(type);
    if (name !== 'defender') continue;
    defenderEntry ??= entry;
    if (!(DEFENDER_CONNECTOR_TYPES as readonly string[]).includes(type)) {
      refused.set(entry, [...(refused.get(entry) ?? []), type]);
    } else if ((LIVE_RESPONSE_TYPES as readonly string[]).includes(type)) {
      scriptEntry ??= entry;
    }
  }
  for (const [entry, types] of refused) {
    problems.push(
      `${source}.${entry}: the defender connector does not handle ${list(types)} (it handles ${list(DEFENDER_CONNECTOR_TYPES)})`,
    );
  }
  if (defenderEntry !== undefined && v.DEFENDER_TENANT_ID === undefined) {
    problems.push(
      `${source}.${defenderEntry}: the defender connector needs the Defender integration: set DEFENDER_TENANT_ID, DEFENDER_CLIENT_ID and DEFENDER_CLIENT_SECRET (or DEFENDER_CLIENT_SECRET_ARN)`,
    );
  }
  if (scriptEntry !== undefined && v.DEFENDER_LIVE_RESPONSE_SCRIPT === undefined) {
    problems.push(
      `${source}.${scriptEntry}: the defender connector runs ${list(LIVE_RESPONSE_TYPES)} through a live response library script: set DEFENDER_LIVE_RESPONSE_SCRIPT`,
    );
  }
}

/** Every problem of routing to the defender connector, appended to `problems`. */
export function check(
  resolve: ConnectorOf,
  source: string,
  v: Variables,
  problems: string[],
): void {
  checkDefenderFormats(v, problems);
  checkDefenderRoutes(resolve, source, v, problems);
}

export function settingsOf(v: Variables): Settings {
  return {
    liveResponseScript: v.DEFENDER_LIVE_RESPONSE_SCRIPT,
    timeoutSeconds: DEFENDER_CONNECTOR_TIMEOUT_SECONDS,
  };
}
