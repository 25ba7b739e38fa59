// The CDK app's parameters: read once from CDK context (`-c key=value` or cdk.json) and validated,
// so a typo fails the synth with the parameter's name instead of deploying a wrong stack.

import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as z from 'zod';
import { AutomationLevel } from '../../functions/core/automation.js';
import {
  type DefenderSettings,
  defenderSettingsFrom,
} from '../../functions/core/defender-settings.js';
import { Severity } from '../../functions/core/model.js';
import { digestHourFrom, slaFrom } from '../../functions/core/notify-settings.js';
import type { SlaMinutes } from '../../functions/core/reminders.js';
import { SOURCE_IDS, SourceId } from '../../functions/core/sources/source.js';
import { DEFAULT_EVENT_BUS_NAME } from '../../functions/ingest/rule.js';

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: boolean) =>
  z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .default(fallback)
    .transform((v) => v === true || v === 'true');
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const list = z
  .union([z.array(z.string()), z.string()])
  .default([])
  .transform((v) =>
    (Array.isArray(v) ? v : v.split(','))
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map((s) => s.replace(/\/+$/, '')),
  );

const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter(
  (v): v is number => typeof v === 'number',
);

const Context = z.object({
  stackName: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/)
    .default('ActionCenter'),
  /** Empty: the account of the deploying credentials (an environment-agnostic template). */
  account: optionalText,
  /** Empty: the CLI's region (CDK_DEFAULT_REGION), else us-east-1. */
  region: optionalText,
  eventBusName: z.string().min(1).default(DEFAULT_EVENT_BUS_NAME),
  eventSource: z.string().min(1).default('actioncenter.alerts'),
  /** The alert sources that start investigations (ALERT_SOURCES); all by default. */
  alertSources: z
    .union([z.array(z.string()), z.string()])
    .default([...SOURCE_IDS])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(SourceId).min(1)),
  /** Findings below this severity are not routed (MIN_ALERT_SEVERITY). */
  minAlertSeverity: Severity.default('informational'),
  automationLevelEndpoint: AutomationLevel.default('semi'),
  automationLevelEmail: AutomationLevel.default('semi'),
  pendingActionTtlSeconds: positiveInt(604_800),
  historyRetentionDays: positiveInt(180),
  dedupWindowSeconds: positiveInt(3_600),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((d) => LOG_RETENTION_DAYS.includes(d), {
      message: `one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(RetentionDays.SIX_MONTHS),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  alarmEmail: optionalText.pipe(z.email().optional()),
  /** Origins besides the CloudFront one allowed by CORS (e.g. a UI dev server). */
  extraUiOrigins: list,
  /** Cognito hosted-login domain prefix; globally unique. Default: `<stack>-<account id>`. */
  authDomainPrefix: optionalText,
  /** Cognito Plus tier: compromised-credential and adaptive-auth protection, billed per MAU. */
  threatProtection: flag(false),
  /** An existing WAFv2 web ACL (REGIONAL scope) to associate with the API stage. */
  apiWebAclArn: optionalText,
  apiThrottleRatePerSecond: positiveInt(50),
  apiThrottleBurst: positiveInt(100),
  /** Connector routing JSON (functions/adapters/connectors), e.g. {"endpoint":"webhook"}. */
  connectors: optionalText,
  webhookUrl: optionalText,
  /** The Secrets Manager secret with the webhook's signing secret. */
  webhookSecretArn: optionalText,
  /** How long a webhook receiver that answered 202 has to call back (default 3600 s). */
  webhookResultTimeoutSeconds: z.coerce.number().int().positive().optional(),
  /** Notifications of pending actions (functions/notify): the generic webhook's URL. */
  notifyWebhookUrl: optionalText,
  /** Secrets Manager secrets: the generic webhook's signing secret, and Slack's and Teams' webhook URLs (they are credentials). */
  notifyWebhookSecretArn: optionalText,
  slackWebhookUrlSecretArn: optionalText,
  teamsWebhookUrlSecretArn: optionalText,
  /** Reminder SLA minutes and escalation order by severity, as JSON (NOTIFY_SLA_MINUTES, NOTIFY_ESCALATION). */
  notifySlaMinutes: optionalText,
  notifyEscalation: optionalText,
  /** The UTC hour (0-23) from which the day's digest goes out, or off (NOTIFY_DIGEST_HOUR; default 8). */
  notifyDigestHour: z
    .union([z.number(), z.string()])
    .optional()
    .transform((v) => (v === undefined || String(v).trim() === '' ? undefined : String(v).trim()))
    .superRefine((v, ctx) => {
      const problems: string[] = [];
      digestHourFrom(v, problems);
      for (const message of problems) ctx.addIssue({ code: 'custom', message });
    }),
  /** E-mail addresses, comma-separated, subscribed to the notifications topic (the sns channel). */
  notifyEmails: z
    .union([z.array(z.string()), z.string()])
    .default([])
    .transform((v) => [
      ...new Set((Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean)),
    ])
    .pipe(z.array(z.email())),
  /** The security group the aws connector isolates EC2 instances into. */
  isolationSecurityGroupId: optionalText,
  /** The Route 53 Resolver DNS Firewall domain list the aws connector blocks URLs in. */
  dnsFirewallDomainListId: optionalText,
  /** The ssm connector's documents are `<prefix>-<Action>-<Platform>` (SSM_DOCUMENT_PREFIX). */
  ssmDocumentPrefix: optionalText,
  /** How long an ssm command may take, delivery to an offline node included (default 3600 s). */
  ssmTimeoutSeconds: z.coerce.number().int().positive().optional(),
  /** The tag on what the aws connector may change (IAM conditions), e.g. ActionCenterRemediable=true. */
  remediableTagKey: z
    .string()
    .regex(/^[\w.:/=+@-]{1,128}$/)
    .default('ActionCenterRemediable'),
  remediableTagValue: z
    .string()
    .regex(/^[\w.:/=+@ -]{0,256}$/)
    .default('true'),
  /** VPCs whose network interfaces the aws connector may change whatever their tags. */
  allowedVpcIds: list.pipe(z.array(z.string().regex(/^vpc-[0-9a-f]{8,17}$/))),
  /** The member stack's role name (MEMBER_ROLE_NAME); empty: the hub's own account only. */
  memberRoleName: optionalText,
  /** The external id the member roles require (MEMBER_EXTERNAL_ID). */
  memberExternalId: optionalText,
  /** Microsoft Defender (DEFENDER_TENANT_ID ...): the tenant turns the alert poller on. */
  defenderTenantId: optionalText,
  defenderClientId: optionalText,
  /** The Secrets Manager secret holding the app registration's client secret. */
  defenderClientSecretArn: optionalText,
  defenderLoginUrl: optionalText,
  graphUrl: optionalText,
  mdeApiUrl: optionalText,
  /** How often the poller runs: whole minutes in AWS (EventBridge Scheduler); 0 turns it off. */
  defenderPollSeconds: z.union([z.number(), optionalText]),
  defenderPollLookbackHours: z.union([z.number(), optionalText]),
  /** The live response library script the defender connector runs (DEFENDER_LIVE_RESPONSE_SCRIPT). */
  defenderLiveResponseScript: optionalText,
  /** A Cedar policy file replacing the default approval policies (APPROVAL_POLICY_FILE); checked at synth. */
  approvalPolicyFile: optionalText,
  /** Approvals needed per action type or category, as JSON (APPROVALS_REQUIRED). */
  approvalsRequired: optionalText,
  /** The asset groups' JSON file (ASSET_GROUPS_FILE); checked at synth. */
  assetGroupsFile: optionalText,
  /** Days each exported audit object is locked (S3 Object Lock, compliance mode: cannot be shortened). */
  auditExportRetentionDays: positiveInt(365),
  /** How often the appender signs a checkpoint of the audit chain while entries arrive. */
  auditCheckpointSeconds: positiveInt(300),
  /** Keep the table, key, buckets and logs when the stack is deleted (production default). */
  retainData: flag(true),
  /** The built page (repository-relative); skipped when it does not exist. */
  webDist: z.string().min(1).default('web/dist'),
  /** `esbuild` bundles each function (synth, deploy); `none` uses a stub (fast template tests). */
  bundling: z.enum(['esbuild', 'none']).default('esbuild'),
});

export type ActionCenterSettings = z.infer<typeof Context>;

export const SETTING_NAMES = Object.keys(Context.shape) as (keyof ActionCenterSettings)[];

/** Reads every setting from a context lookup (`node.tryGetContext`) and validates it. */
export function readSettings(lookup: (key: string) => unknown): ActionCenterSettings {
  const raw = Object.fromEntries(SETTING_NAMES.map((name) => [name, lookup(name)]));
  const parsed = Context.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid CDK context: ${problems.join('; ')}`);
  }
  defenderSettingsOf(parsed.data);
  return parsed.data;
}

/**
 * The Defender settings of the stack, checked by the functions' own rules (a problem names the
 * function's variable), or undefined when no tenant is set. In AWS the client secret is always a
 * Secrets Manager ARN, and the poll period whole minutes (EventBridge Scheduler's finest rate).
 */
export function defenderSettingsOf(s: ActionCenterSettings): DefenderSettings | undefined {
  const problems: string[] = [];
  const defender = defenderSettingsFrom(
    {
      DEFENDER_TENANT_ID: s.defenderTenantId,
      DEFENDER_CLIENT_ID: s.defenderClientId,
      DEFENDER_CLIENT_SECRET_ARN: s.defenderClientSecretArn,
      DEFENDER_LOGIN_URL: s.defenderLoginUrl,
      GRAPH_URL: s.graphUrl,
      MDE_API_URL: s.mdeApiUrl,
      DEFENDER_POLL_SECONDS: s.defenderPollSeconds,
      DEFENDER_POLL_LOOKBACK_HOURS: s.defenderPollLookbackHours,
    },
    problems,
  );
  if (defender && defender.pollSeconds % 60 !== 0) {
    problems.push(
      'DEFENDER_POLL_SECONDS: EventBridge Scheduler runs the poller every whole minute at the finest (60, 120, ...)',
    );
  }
  if (problems.length > 0) {
    throw new Error(`Invalid CDK context (Defender): ${problems.join('; ')}`);
  }
  return defender;
}

/** The reminder SLA by severity (notifySlaMinutes over the defaults), which the SLA alarms also read. */
export function pendingSlaOf(s: ActionCenterSettings): SlaMinutes {
  const problems: string[] = [];
  const sla = slaFrom(s.notifySlaMinutes, problems);
  if (problems.length > 0) {
    throw new Error(`Invalid CDK context (notifySlaMinutes): ${problems.join('; ')}`);
  }
  return sla;
}
