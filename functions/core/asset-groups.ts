// Asset groups, as Defender's device groups: ordered groups (ASSET_GROUPS_FILE), each matched by
// rules on the target (device id or name pattern, AWS account and tags, mailbox domain), with its
// own automation level per category and an optional `protected` flag (never automatic, at least
// two approvals). The first group whose rules match wins.
import * as z from 'zod';
import { AutomationLevel } from './automation.js';
import { ConfigError } from './errors.js';
import type { Category, Entity } from './model.js';

/** `*` any run of characters, `?` one; case-insensitive, whole value. */
const Pattern = z.string().min(1).max(256);

/** Every field a rule names must match (AND); a group matches when any of its rules does (OR). */
const Rule = z
  .strictObject({
    deviceId: Pattern.optional(),
    deviceName: Pattern.optional(),
    awsAccount: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    awsTags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
    mailboxDomain: Pattern.optional(),
  })
  .refine(
    (rule) => Object.values(rule).some((v) => v !== undefined),
    'a rule must name at least one field',
  );

const AssetGroup = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][\w .-]{0,63}$/, 'letters, digits, space, . _ - (up to 64)'),
  rules: z.array(Rule).min(1),
  automation: z
    .strictObject({ endpoint: AutomationLevel.optional(), email: AutomationLevel.optional() })
    .optional(),
  protected: z.boolean().optional(),
});
export type AssetGroup = z.infer<typeof AssetGroup>;

const AssetGroupsFile = z.strictObject({ groups: z.array(AssetGroup).max(500) });

/** The groups of an ASSET_GROUPS_FILE's text, or a ConfigError naming each problem by its path. */
export function parseAssetGroups(text: string, source: string): AssetGroup[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = AssetGroupsFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${source}.${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid asset groups: ${problems.join('; ')}`, { problems });
  }
  const names = new Set<string>();
  for (const group of parsed.data.groups) {
    if (names.has(group.name))
      throw new ConfigError(`${source}: two asset groups are named "${group.name}"`);
    names.add(group.name);
  }
  return parsed.data.groups;
}

function globMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/** What of an entity the rules look at; AWS accounts and tags come from the AWS finding adapters. */
function factsOf(entity: Entity): {
  deviceId?: string;
  deviceName?: string;
  awsAccount?: string;
  awsTags?: Record<string, string>;
  mailboxDomain?: string;
} {
  const e = entity as Entity & { accountId?: unknown; tags?: unknown };
  const device = entity.kind === 'device' ? entity.id : entity.deviceId;
  const mailbox = entity.mailbox ?? (entity.kind === 'mailbox' ? entity.id : undefined);
  return {
    deviceId: device,
    deviceName: entity.kind === 'device' ? (entity.displayName ?? entity.id) : entity.deviceId,
    awsAccount: typeof e.accountId === 'string' ? e.accountId : undefined,
    awsTags:
      e.tags && typeof e.tags === 'object' && !Array.isArray(e.tags)
        ? (e.tags as Record<string, string>)
        : undefined,
    mailboxDomain: mailbox?.includes('@') ? mailbox.slice(mailbox.lastIndexOf('@') + 1) : undefined,
  };
}

function ruleMatches(rule: z.infer<typeof Rule>, entity: Entity): boolean {
  const facts = factsOf(entity);
  if (rule.deviceId !== undefined && !globMatches(rule.deviceId, facts.deviceId)) return false;
  if (rule.deviceName !== undefined && !globMatches(rule.deviceName, facts.deviceName))
    return false;
  if (rule.awsAccount !== undefined && rule.awsAccount !== facts.awsAccount) return false;
  if (rule.mailboxDomain !== undefined && !globMatches(rule.mailboxDomain, facts.mailboxDomain))
    return false;
  if (rule.awsTags !== undefined) {
    const tags = facts.awsTags ?? {};
    for (const [key, value] of Object.entries(rule.awsTags)) if (tags[key] !== value) return false;
  }
  return true;
}

/** The first group any of whose rules matches the entity, as Defender picks a device group. */
export function assetGroupOf(
  groups: readonly AssetGroup[],
  entity: Entity,
): AssetGroup | undefined {
  return groups.find((group) => group.rules.some((rule) => ruleMatches(rule, entity)));
}

/** The automation level for an entity's action: its group's for the category, else the global one. */
export function automationFor(
  group: AssetGroup | undefined,
  category: Category,
  global: Record<Category, AutomationLevel>,
): AutomationLevel {
  return group?.automation?.[category] ?? global[category];
}

/** A protected asset's actions need at least this many approvals. */
export const PROTECTED_MIN_APPROVALS = 2;
