// The one config module: every setting, read and validated once (at cold start) into a typed object.

import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { type AssetGroup, parseAssetGroups } from './core/asset-groups.js';
import { AutomationLevel } from './core/automation.js';
import { type ConnectorSettings, connectorSettingsFrom } from './core/connector-settings.js';
import { DEFAULT_LINK_TTL_HOURS } from './core/decision-links.js';
import { type DefenderSettings, defenderSettingsFrom } from './core/defender-settings.js';
import { ConfigError } from './core/errors.js';
import {
  ACTION_TYPES,
  type ActionType,
  CATEGORIES,
  type Category,
  MAX_APPROVALS,
  Severity,
} from './core/model.js';
import { type NotifySettings, notifySettingsFrom } from './core/notify-settings.js';
import type { SourceSettings } from './core/sources/index.js';
import { SOURCE_IDS, SourceId } from './core/sources/source.js';

/** An empty variable counts as unset, so it takes the default. */
const blankAsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const seconds = (fallback: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().positive().default(fallback));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const Settings = z.object({
  TABLE_NAME: z.string().min(3, 'TABLE_NAME is required'),
  AWS_REGION: z.string().default('us-east-1'),
  DYNAMODB_ENDPOINT: optionalText,
  STEPFUNCTIONS_ENDPOINT: optionalText,
  STATE_MACHINE_ARN: optionalText,
  ALERT_SOURCE: z.preprocess(blankAsUnset, z.string().default('actioncenter.alerts')),
  // The alert sources that start investigations, comma-separated (core/sources); all by default.
  ALERT_SOURCES: z.preprocess(
    blankAsUnset,
    z
      .string()
      .default(SOURCE_IDS.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(z.array(SourceId).min(1, 'ALERT_SOURCES names no source')),
  ),
  MIN_ALERT_SEVERITY: z.preprocess(blankAsUnset, Severity.default('informational')),
  PENDING_ACTION_TTL_SECONDS: seconds(604_800),
  HISTORY_RETENTION_DAYS: seconds(180),
  DEDUP_WINDOW_SECONDS: seconds(3_600),
  // API Gateway answers within 29 s: the undo's wait ends well before.
  UNDO_WAIT_SECONDS: z.preprocess(blankAsUnset, z.coerce.number().min(0).max(25).default(20)),
  AUTOMATION_LEVEL_ENDPOINT: z.preprocess(blankAsUnset, AutomationLevel.default('semi')),
  AUTOMATION_LEVEL_EMAIL: z.preprocess(blankAsUnset, AutomationLevel.default('semi')),
  // Connectors (functions/adapters/connectors/README.md): checked together by core/connector-settings.ts.
  CONNECTORS: optionalText,
  CONNECTORS_FILE: optionalText,
  WEBHOOK_URL: optionalText,
  WEBHOOK_SECRET: optionalText,
  WEBHOOK_SECRET_ARN: optionalText,
  WEBHOOK_TIMEOUT_MS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().positive().default(10_000),
  ),
  WEBHOOK_RESULT_TIMEOUT_SECONDS: z.preprocess(blankAsUnset, z.coerce.number().optional()),
  AWS_ISOLATION_SECURITY_GROUP_ID: optionalText,
  AWS_DNS_FIREWALL_DOMAIN_LIST_ID: optionalText,
  MEMBER_ROLE_NAME: optionalText,
  MEMBER_EXTERNAL_ID: optionalText,
  DEFENDER_LIVE_RESPONSE_SCRIPT: optionalText,
  // Microsoft Defender (functions/adapters/microsoft): checked together by core/defender-settings.ts.
  DEFENDER_TENANT_ID: optionalText,
  DEFENDER_CLIENT_ID: optionalText,
  DEFENDER_CLIENT_SECRET: optionalText,
  DEFENDER_CLIENT_SECRET_ARN: optionalText,
  DEFENDER_LOGIN_URL: optionalText,
  GRAPH_URL: optionalText,
  MDE_API_URL: optionalText,
  DEFENDER_POLL_SECONDS: optionalText,
  DEFENDER_POLL_LOOKBACK_HOURS: optionalText,
  // The bus the Defender alert poller publishes to (the alert rules' bus).
  EVENT_BUS_NAME: z.preprocess(blankAsUnset, z.string().default('default')),
  SSM_DOCUMENT_PREFIX: optionalText,
  SSM_TIMEOUT_SECONDS: z.preprocess(blankAsUnset, z.coerce.number().optional()),
  // Who may decide what, as Cedar policies (functions/adapters/cedar); the defaults when unset.
  APPROVAL_POLICY_FILE: optionalText,
  // Approvals needed per action type or category, e.g. {"isolateDevice":2,"email":2}.
  APPROVALS_REQUIRED: z.preprocess(
    (v) => {
      if (typeof v !== 'string' || v.trim() === '') return undefined;
      try {
        return JSON.parse(v);
      } catch {
        return v;
      }
    },
    z
      .partialRecord(
        z.enum([...ACTION_TYPES, ...CATEGORIES]),
        z.number().int().min(1).max(MAX_APPROVALS),
        'a JSON object from action type or category to a count, e.g. {"isolateDevice":2,"email":2}',
      )
      .default({}),
  ),
  // Ordered asset groups (core/asset-groups.ts), as a path to their JSON.
  ASSET_GROUPS_FILE: optionalText,
  // The audit chain's seal (services/audit-seal.ts): checkpoint period, signing key, export.
  AUDIT_CHECKPOINT_SECONDS: seconds(300),
  AUDIT_KMS_KEY_ID: optionalText,
  AUDIT_EXPORT_BUCKET: optionalText,
  AUDIT_EXPORT_PREFIX: optionalText,
  AUDIT_EXPORT_DIR: optionalText,
  AUDIT_EXPORT_RETENTION_DAYS: z.preprocess(
    blankAsUnset,
    z.coerce.number().int().positive().optional(),
  ),
  // The HMAC key of list cursors (only the read API pages lists, and requires it).
  CURSOR_SECRET: optionalText.refine(
    (v) => v === undefined || Buffer.byteLength(v, 'utf8') >= 32,
    'CURSOR_SECRET must be at least 32 bytes',
  ),
  // Decision links (core/decision-links.ts): their HMAC key, how long one lives at most, and the
  // page's address they point at.
  LINK_SECRET: optionalText.refine(
    (v) => v === undefined || Buffer.byteLength(v, 'utf8') >= 32,
    'LINK_SECRET must be at least 32 bytes',
  ),
  LINK_TTL_HOURS: z.preprocess(
    blankAsUnset,
    z.coerce.number().positive().max(168).default(DEFAULT_LINK_TTL_HOURS),
  ),
  PUBLIC_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/ }).optional()),
  // Notifications (core/notify-settings.ts): any subset of channels.
  NOTIFY_WEBHOOK_URL: optionalText,
  NOTIFY_WEBHOOK_SECRET: optionalText,
  SLACK_WEBHOOK_URL: optionalText,
  TEAMS_WEBHOOK_URL: optionalText,
  NOTIFY_TOPIC_ARN: optionalText,
  NOTIFY_SLA_MINUTES: optionalText,
  NOTIFY_ESCALATION: optionalText,
  NOTIFY_DIGEST_HOUR: optionalText,
});

export interface Config {
  tableName: string;
  region: string;
  /** Set locally: the SDK then talks to dynalite / the local Step Functions endpoint. */
  dynamodbEndpoint?: string;
  stepFunctionsEndpoint?: string;
  stateMachineArn?: string;
  /** The EventBridge `source` of our own alert events (the rule's pattern). */
  alertSource: string;
  /** Which alert sources start investigations, and the severity floor of the rules. */
  sources: SourceSettings;
  pendingActionTtlSeconds: number;
  historyRetentionSeconds: number;
  dedupWindowSeconds: number;
  /** How long POST /actions/{id}/undo waits for the workflow to undo before answering 202. */
  undoWaitSeconds?: number;
  automation: { endpoint: AutomationLevel; email: AutomationLevel };
  /** Which connector runs which action type, and each connector's settings. */
  connectors: ConnectorSettings;
  /** The bus our alert rules are on: where the Defender alert poller publishes. */
  eventBusName: string;
  /** Microsoft Defender (alert poller, defender connector); absent when DEFENDER_TENANT_ID is unset. */
  defender?: DefenderSettings;
  /** A Cedar policy set replacing the default approval policies. */
  approvalPolicyFile?: string;
  /** Approvals an action needs, by type or category (1 when absent). */
  approvalsRequired: Partial<Record<ActionType | Category, number>>;
  /** Ordered asset groups: the first whose rules match a target sets its automation and protection. */
  assetGroups: AssetGroup[];
  /** The HMAC key of list cursors; the read API requires it. */
  cursorSecret?: string;
  /** Decision links: absent without LINK_SECRET (their routes then answer 404). */
  links?: { secret: string; ttlHours: number; publicUrl?: string };
  /** Where notifications go (none configured: none sent). */
  notify: NotifySettings;
  /** How often the appender signs a checkpoint while entries arrive, the KMS key, where the chain is exported. */
  audit: {
    checkpointSeconds: number;
    kmsKeyId?: string;
    exportBucket?: string;
    exportPrefix: string;
    exportDir?: string;
    /** Each exported object's compliance-mode lock, in days (the bucket's default without it). */
    exportRetentionDays?: number;
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`, { problems });
  }
  const s = parsed.data;
  const defenderProblems: string[] = [];
  const defender = defenderSettingsFrom(s, defenderProblems);
  if (defenderProblems.length > 0) {
    throw new ConfigError(`Invalid Defender configuration: ${defenderProblems.join('; ')}`, {
      problems: defenderProblems,
    });
  }
  const notifyProblems: string[] = [];
  const notify = notifySettingsFrom(s, notifyProblems);
  if (notifyProblems.length > 0) {
    throw new ConfigError(`Invalid notification settings: ${notifyProblems.join('; ')}`, {
      problems: notifyProblems,
    });
  }
  return {
    tableName: s.TABLE_NAME,
    region: s.AWS_REGION,
    dynamodbEndpoint: s.DYNAMODB_ENDPOINT,
    stepFunctionsEndpoint: s.STEPFUNCTIONS_ENDPOINT,
    stateMachineArn: s.STATE_MACHINE_ARN,
    alertSource: s.ALERT_SOURCE,
    sources: {
      alertSource: s.ALERT_SOURCE,
      enabled: [...new Set(s.ALERT_SOURCES)],
      minSeverity: s.MIN_ALERT_SEVERITY,
    },
    pendingActionTtlSeconds: s.PENDING_ACTION_TTL_SECONDS,
    historyRetentionSeconds: s.HISTORY_RETENTION_DAYS * 86_400,
    dedupWindowSeconds: s.DEDUP_WINDOW_SECONDS,
    undoWaitSeconds: s.UNDO_WAIT_SECONDS,
    automation: { endpoint: s.AUTOMATION_LEVEL_ENDPOINT, email: s.AUTOMATION_LEVEL_EMAIL },
    connectors: connectorSettingsFrom(s, (path) => readFileSync(path, 'utf8')),
    eventBusName: s.EVENT_BUS_NAME,
    defender,
    approvalPolicyFile: s.APPROVAL_POLICY_FILE,
    approvalsRequired: s.APPROVALS_REQUIRED,
    assetGroups:
      s.ASSET_GROUPS_FILE === undefined
        ? []
        : parseAssetGroups(
            readSetting(s.ASSET_GROUPS_FILE, 'ASSET_GROUPS_FILE'),
            'ASSET_GROUPS_FILE',
          ),
    cursorSecret: s.CURSOR_SECRET,
    links: s.LINK_SECRET
      ? { secret: s.LINK_SECRET, ttlHours: s.LINK_TTL_HOURS, publicUrl: s.PUBLIC_URL }
      : undefined,
    notify,
    audit: {
      checkpointSeconds: s.AUDIT_CHECKPOINT_SECONDS,
      kmsKeyId: s.AUDIT_KMS_KEY_ID,
      exportBucket: s.AUDIT_EXPORT_BUCKET,
      exportPrefix: s.AUDIT_EXPORT_PREFIX ?? 'audit',
      exportDir: s.AUDIT_EXPORT_DIR,
      exportRetentionDays: s.AUDIT_EXPORT_RETENTION_DAYS,
    },
  };
}

function readSetting(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${name}: cannot read ${path} (${(error as Error).message})`);
  }
}

/** A setting only some functions need: fails at their cold start when it is missing. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new ConfigError(`${name} is required by this function`);
  return value;
}
