// Which connector runs which action, and the settings each connector needs: parsed and checked
// once by functions/config.ts at cold start (and by CDK at synth), so a bad entry stops the
// function before any action runs. Pure: the caller says how a routing file is read.
import * as aws from './aws-connector-settings.js';
import { categoryOf } from './catalog.js';
import * as defenderConnector from './defender-connector-settings.js';
import { ConfigError } from './errors.js';
import { ACTION_TYPES, type ActionType, CATEGORIES, type Category } from './model.js';
import { SSM_CONNECTOR_TYPES as SSM_TYPES } from './ssm-commands.js';
import * as ssm from './ssm-settings.js';

/** `none` switches a type off: its actions fail with a clear reason instead of running. */
const CONNECTOR_NAMES = ['builtin', 'webhook', 'aws', 'ssm', 'defender', 'none'] as const;
export type ConnectorName = (typeof CONNECTOR_NAMES)[number];

/**
 * Routing of `CONNECTORS` / `CONNECTORS_FILE`: a type entry wins over its category's entry, which
 * wins over `default`. A type that none of them names has no connector: its actions fail.
 */
interface ConnectorRouting {
  default?: ConnectorName;
  endpoint?: ConnectorName;
  email?: ConnectorName;
  types: Partial<Record<ActionType, ConnectorName>>;
}

/** Without CONNECTORS or CONNECTORS_FILE: the built-in connector for everything. */
export const DEFAULT_ROUTING: ConnectorRouting = { default: 'builtin', types: {} };

interface WebhookConnectorSettings {
  url?: string;
  /** The signing secret itself (local runs), or ... */
  secret?: string;
  /** ... the Secrets Manager secret holding it (AWS), fetched once per cold start. */
  secretArn?: string;
  timeoutMs: number;
  /** How long a receiver that answered 202 Accepted has to call back with the result. */
  resultTimeoutSeconds: number;
}

/** An EDR job on a device that is offline for a while still finishes within the hour. */
export const DEFAULT_WEBHOOK_RESULT_TIMEOUT_SECONDS = 3_600;
/** The longest a remediation may run: the week an action may wait for its decision. */
export const MAX_REMEDIATION_TIMEOUT_SECONDS = 604_800;

export interface ConnectorSettings {
  routing: ConnectorRouting;
  webhook: WebhookConnectorSettings;
  aws: aws.AwsConnectorSettings;
  defender: defenderConnector.Settings;
  ssm: ssm.SsmConnectorSettings;
}

/** The raw variables, already trimmed (blank = unset) by the config module. */
export interface ConnectorVariables
  extends aws.AwsVariables,
    defenderConnector.Variables,
    ssm.SsmVariables {
  CONNECTORS?: string;
  CONNECTORS_FILE?: string;
  WEBHOOK_URL?: string;
  WEBHOOK_SECRET?: string;
  WEBHOOK_SECRET_ARN?: string;
  WEBHOOK_TIMEOUT_MS: number;
  /** Unset: DEFAULT_WEBHOOK_RESULT_TIMEOUT_SECONDS. */
  WEBHOOK_RESULT_TIMEOUT_SECONDS?: number;
}

type RoutingKey = 'default' | Category;
const ROUTING_KEYS: readonly string[] = ['default', ...CATEGORIES, 'types'];
export const MIN_SECRET_LENGTH = 16;
const list = (values: readonly string[]) => values.join(', ');

/** The connector an action type resolves to, and the routing entry that decided it. */
export function resolveConnector(
  routing: ConnectorRouting,
  type: ActionType,
  category: Category = categoryOf(type),
): { name: ConnectorName | undefined; entry: string } {
  const byType = routing.types[type];
  if (byType !== undefined) return { name: byType, entry: `types.${type}` };
  const byCategory = routing[category];
  if (byCategory !== undefined) return { name: byCategory, entry: category };
  return { name: routing.default, entry: 'default' };
}

function isConnectorName(value: unknown): value is ConnectorName {
  return typeof value === 'string' && (CONNECTOR_NAMES as readonly string[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the routing object, naming every bad entry as `<source>.<path>`. */
function parseRouting(value: unknown, source: string, problems: string[]): ConnectorRouting {
  const routing: ConnectorRouting = { types: {} };
  if (!isPlainObject(value)) {
    problems.push(
      `${source}: must be a JSON object such as {"endpoint":"webhook","email":"builtin"}`,
    );
    return routing;
  }
  const badName = (path: string, name: unknown) =>
    problems.push(
      `${source}.${path}: unknown connector ${JSON.stringify(name)} (expected one of ${list(CONNECTOR_NAMES)})`,
    );
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'types') {
      if (!isPlainObject(entry)) {
        problems.push(`${source}.types: must be an object of action type to connector`);
        continue;
      }
      for (const [type, name] of Object.entries(entry)) {
        if (!(ACTION_TYPES as readonly string[]).includes(type)) {
          problems.push(
            `${source}.types.${type}: not an action type (expected one of ${list(ACTION_TYPES)})`,
          );
        } else if (!isConnectorName(name)) badName(`types.${type}`, name);
        else routing.types[type as ActionType] = name;
      }
    } else if (ROUTING_KEYS.includes(key)) {
      if (isConnectorName(entry)) routing[key as RoutingKey] = entry;
      else badName(key, entry);
    } else {
      problems.push(`${source}.${key}: unknown entry (expected ${list(ROUTING_KEYS)})`);
    }
  }
  return routing;
}

function readRouting(
  v: ConnectorVariables,
  readFile: (path: string) => string,
  problems: string[],
): { routing: ConnectorRouting; source: string } {
  if (v.CONNECTORS !== undefined && v.CONNECTORS_FILE !== undefined) {
    problems.push('CONNECTORS and CONNECTORS_FILE are both set: set only one');
    return { routing: DEFAULT_ROUTING, source: 'CONNECTORS' };
  }
  let text: string;
  let source: string;
  if (v.CONNECTORS !== undefined) {
    text = v.CONNECTORS;
    source = 'CONNECTORS';
  } else if (v.CONNECTORS_FILE !== undefined) {
    source = `CONNECTORS_FILE (${v.CONNECTORS_FILE})`;
    try {
      text = readFile(v.CONNECTORS_FILE);
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push(`${source}: cannot be read (${why})`);
      return { routing: { types: {} }, source };
    }
  } else {
    return { routing: DEFAULT_ROUTING, source: 'default' };
  }
  try {
    return { routing: parseRouting(JSON.parse(text), source, problems), source };
  } catch (error) {
    problems.push(`${source}: not valid JSON (${(error as Error).message})`);
    return { routing: { types: {} }, source };
  }
}

/** Plain http only to this machine: anything else would send signed actions in the clear. */
/** A URL the Action Center posts to: https, or plain http to this machine only. */
export function checkWebhookUrl(url: string, problems: string[], name = 'WEBHOOK_URL'): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.push(`${name}: not a URL`);
    return;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    problems.push(`${name}: must be https (plain http is allowed only for localhost)`);
  }
}

function checkFormats(v: ConnectorVariables, problems: string[]): void {
  if (v.WEBHOOK_URL !== undefined) checkWebhookUrl(v.WEBHOOK_URL, problems);
  if (v.WEBHOOK_SECRET !== undefined && v.WEBHOOK_SECRET.length < MIN_SECRET_LENGTH) {
    problems.push(`WEBHOOK_SECRET: must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const resultTimeout = v.WEBHOOK_RESULT_TIMEOUT_SECONDS;
  if (
    resultTimeout !== undefined &&
    !(
      Number.isInteger(resultTimeout) &&
      resultTimeout > 0 &&
      resultTimeout <= MAX_REMEDIATION_TIMEOUT_SECONDS
    )
  ) {
    problems.push(
      `WEBHOOK_RESULT_TIMEOUT_SECONDS: must be a whole number of seconds from 1 to ${MAX_REMEDIATION_TIMEOUT_SECONDS}`,
    );
  }
  if (v.WEBHOOK_SECRET !== undefined && v.WEBHOOK_SECRET_ARN !== undefined) {
    problems.push('WEBHOOK_SECRET and WEBHOOK_SECRET_ARN are both set: set only one');
  }
  if (
    v.WEBHOOK_SECRET_ARN !== undefined &&
    !/^arn:aws[\w-]*:secretsmanager:/.test(v.WEBHOOK_SECRET_ARN)
  ) {
    problems.push('WEBHOOK_SECRET_ARN: not a Secrets Manager secret ARN');
  }
  problems.push(...ssm.ssmSettingProblems(v, MAX_REMEDIATION_TIMEOUT_SECONDS));
  problems.push(...aws.awsSettingProblems(v));
}

/** What each routed connector needs, checked per action type it would carry out. */
function checkRoutes(
  routing: ConnectorRouting,
  source: string,
  v: ConnectorVariables,
  problems: string[],
): void {
  const handled: Record<string, readonly string[]> = {
    aws: aws.AWS_CONNECTOR_TYPES,
    ssm: SSM_TYPES,
  };
  const refused = new Map<string, ActionType[]>(); // `<connector> <entry>` → the types it refuses
  let webhookEntry: string | undefined;
  for (const type of ACTION_TYPES) {
    const { name = 'none', entry } = resolveConnector(routing, type);
    if (name === 'webhook') webhookEntry ??= entry;
    if (handled[name]?.includes(type) === false) {
      refused.set(`${name} ${entry}`, [...(refused.get(`${name} ${entry}`) ?? []), type]);
    } else if (name === 'aws' && type === 'isolateDevice' && !v.AWS_ISOLATION_SECURITY_GROUP_ID) {
      problems.push(
        `${source}.${entry}: the aws connector isolates devices only with AWS_ISOLATION_SECURITY_GROUP_ID set`,
      );
    } else if (name === 'aws' && type === 'blockUrl' && !v.AWS_DNS_FIREWALL_DOMAIN_LIST_ID) {
      problems.push(
        `${source}.${entry}: the aws connector blocks URLs only with AWS_DNS_FIREWALL_DOMAIN_LIST_ID set`,
      );
    }
  }
  for (const [key, types] of refused) {
    const [name = '', entry] = key.split(' ');
    problems.push(
      `${source}.${entry}: the ${name} connector does not handle ${list(types)} (it handles ${list(handled[name] ?? [])})`,
    );
  }
  defenderConnector.check((t) => resolveConnector(routing, t), source, v, problems);
  if (webhookEntry === undefined) return;
  if (v.WEBHOOK_URL === undefined) {
    problems.push(`${source}.${webhookEntry}: the webhook connector needs WEBHOOK_URL`);
  }
  if (v.WEBHOOK_SECRET === undefined && v.WEBHOOK_SECRET_ARN === undefined) {
    problems.push(
      `${source}.${webhookEntry}: the webhook connector needs WEBHOOK_SECRET or WEBHOOK_SECRET_ARN`,
    );
  }
}

/** The connector settings, or a ConfigError naming every bad entry. */
export function connectorSettingsFrom(
  v: ConnectorVariables,
  readFile: (path: string) => string,
): ConnectorSettings {
  const problems: string[] = [];
  const { routing, source } = readRouting(v, readFile, problems);
  checkFormats(v, problems);
  checkRoutes(routing, source, v, problems);
  if (problems.length > 0) {
    throw new ConfigError(`Invalid connector configuration: ${problems.join('; ')}`, { problems });
  }
  return {
    routing,
    webhook: {
      url: v.WEBHOOK_URL,
      secret: v.WEBHOOK_SECRET,
      secretArn: v.WEBHOOK_SECRET_ARN,
      timeoutMs: v.WEBHOOK_TIMEOUT_MS,
      resultTimeoutSeconds:
        v.WEBHOOK_RESULT_TIMEOUT_SECONDS ?? DEFAULT_WEBHOOK_RESULT_TIMEOUT_SECONDS,
    },
    aws: aws.awsSettingsFrom(v),
    defender: defenderConnector.settingsOf(v),
    ssm: ssm.ssmSettingsFrom(v),
  };
}
