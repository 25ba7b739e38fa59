// Which remediation action a piece of evidence calls for.
import {
  type ActionType,
  type Category,
  type Entity,
  type EntityKind,
  Target,
  type Verdict,
} from './model.js';

export interface CatalogEntry {
  type: ActionType;
  category: Category;
  undoable: boolean;
}

const endpoint = (type: ActionType, undoable: boolean): CatalogEntry => ({
  type,
  category: 'endpoint',
  undoable,
});
const email = (type: ActionType, undoable: boolean): CatalogEntry => ({
  type,
  category: 'email',
  undoable,
});

const BY_KIND: Record<EntityKind, CatalogEntry> = {
  file: endpoint('quarantineFile', true),
  process: endpoint('killProcess', false),
  registryKey: endpoint('removeRegistryKey', true),
  service: endpoint('stopService', true),
  driver: endpoint('disableDriver', true),
  scheduledTask: endpoint('removeScheduledTask', true),
  device: endpoint('isolateDevice', true),
  emailMessage: email('softDeleteEmail', true),
  emailCluster: email('softDeleteEmail', true),
  url: email('blockUrl', true),
  mailbox: email('disableExternalForwarding', true),
  attachment: email('quarantineAttachment', true),
};

/** A single suspicious message is quarantined (reversible, reviewable) rather than deleted. */
const SUSPICIOUS_MESSAGE = email('quarantineEmail', true);

const CATEGORY_OF_TYPE: Record<ActionType, Category> = Object.fromEntries(
  [...Object.values(BY_KIND), SUSPICIOUS_MESSAGE].map((e) => [e.type, e.category]),
) as Record<ActionType, Category>;

/** The action for an entity, or undefined when its verdict calls for none (clean, unknown). */
export function actionFor(kind: EntityKind, verdict: Verdict): CatalogEntry | undefined {
  if (verdict !== 'malicious' && verdict !== 'suspicious') return undefined;
  if (kind === 'emailMessage' && verdict === 'suspicious') return SUSPICIOUS_MESSAGE;
  return BY_KIND[kind];
}

/** The entry of an action an operator proposes by hand, when `type` acts on a target of `kind`. */
export function manualEntryFor(type: ActionType, kind: EntityKind): CatalogEntry | undefined {
  if (type === SUSPICIOUS_MESSAGE.type)
    return kind === 'emailMessage' ? SUSPICIOUS_MESSAGE : undefined;
  const entry = BY_KIND[kind];
  return entry.type === type ? entry : undefined;
}

/** The target kinds an action type acts on. */
export function kindsOf(type: ActionType): EntityKind[] {
  return (Object.keys(BY_KIND) as EntityKind[]).filter((k) => manualEntryFor(type, k));
}

export function categoryOf(type: ActionType): Category {
  return CATEGORY_OF_TYPE[type];
}

export function targetOf(entity: Entity): Target {
  const target: Target = {
    kind: entity.kind,
    id: entity.id,
    displayName: entity.displayName ?? entity.id,
  };
  if (entity.deviceId !== undefined) target.deviceId = entity.deviceId;
  if (entity.mailbox !== undefined) target.mailbox = entity.mailbox;
  if (entity.clusterId !== undefined) target.clusterId = entity.clusterId;
  if (entity.messageCount !== undefined) target.messageCount = entity.messageCount;
  // Only well-formed values: the action's target is validated on every read.
  const accountId = Target.shape.accountId.safeParse(entity.accountId);
  if (accountId.success && accountId.data) target.accountId = accountId.data;
  const region = Target.shape.region.safeParse(entity.region);
  if (region.success && region.data) target.region = region.data;
  // What a connector needs to reach the target, when the evidence carried it.
  if (typeof entity.sha1 === 'string' && /^[0-9a-fA-F]{40}$/.test(entity.sha1)) {
    target.sha1 = entity.sha1;
  }
  if (typeof entity.inboxRuleId === 'string' && entity.inboxRuleId !== '') {
    target.inboxRuleId = entity.inboxRuleId.slice(0, 1024);
  }
  Object.assign(target, deviceDetailsOf(entity));
  return target;
}

/** What an agent on the device needs besides the id: paths, hash, pid and start time, when well-formed. */
function deviceDetailsOf(entity: Entity): Partial<Target> {
  const details: Partial<Target> = {};
  const path = [entity.path, entity.executablePath].find(
    (p): p is string => typeof p === 'string' && p.length > 0 && p.length <= 1024,
  );
  if (path) details.path = path;
  if (typeof entity.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(entity.sha256)) {
    details.sha256 = entity.sha256.toLowerCase();
  }
  if (entity.kind !== 'process') return details;
  if (Number.isInteger(entity.pid) && (entity.pid as number) >= 0)
    details.pid = entity.pid as number;
  if (Target.shape.processStartTime.safeParse(entity.processStartTime).success) {
    details.processStartTime = entity.processStartTime as string;
  }
  return details;
}

/**
 * What makes two remediations "the same" for deduplication: the action type and the cluster
 * (for email clusters) or the concrete target (device or mailbox plus the entity id).
 * Parts are JSON-encoded so no id can run into its neighbour.
 */
export function dedupKeyOf(type: ActionType, target: Target): string {
  if (target.kind === 'emailCluster') {
    return JSON.stringify([type, 'cluster', target.clusterId ?? target.id]);
  }
  return JSON.stringify([type, target.kind, target.deviceId ?? target.mailbox ?? '', target.id]);
}
