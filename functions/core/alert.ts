// An alert as the workflow takes it in: validated, its repeated entities merged, and the
// investigation it opens.
import { investigationIdFor } from './ids.js';
import { countActions } from './investigation-status.js';
import { AlertDetail, type Entity, type Investigation, type Verdict } from './model.js';

type AlertParse = { ok: true; alert: AlertDetail } | { ok: false; problems: string[] };

/** Validates an EventBridge `detail` against the alert schema; problems name the fields. */
export function parseAlert(detail: unknown): AlertParse {
  const parsed = AlertDetail.safeParse(detail);
  if (parsed.success) return { ok: true, alert: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(detail)'}: ${i.message}`),
  };
}

const VERDICT_RANK: Record<Verdict, number> = { clean: 0, unknown: 1, suspicious: 2, malicious: 3 };

/** The more severe of two verdicts (malicious > suspicious > unknown > clean). */
export function worstVerdict(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

/** What makes two entities the same thing: kind, where it lives (device or mailbox) and id. */
function entityKey(entity: Entity): string {
  return `${entity.kind}|${entity.deviceId ?? entity.mailbox ?? ''}|${entity.id}`;
}

/**
 * The alert with each entity listed once: repeats are merged, keeping the worst verdict and the
 * first value of every other field. Order of first appearance is kept.
 */
export function normalizeAlert(alert: AlertDetail): AlertDetail {
  const merged = new Map<string, Entity>();
  for (const entity of alert.entities) {
    const key = entityKey(entity);
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...entity });
      continue;
    }
    const combined: Entity = { ...entity, ...seen };
    combined.verdict = worstVerdict(seen.verdict, entity.verdict);
    merged.set(key, combined);
  }
  return { ...alert, entities: [...merged.values()] };
}

/**
 * The evidence after an updated alert: what was kept, with each incoming entity merged in (a new
 * one added, a known one taking the worse verdict). `changed` says whether anything did.
 */
export function mergeEvidence(
  kept: readonly Entity[],
  incoming: readonly Entity[],
): { evidence: Entity[]; changed: boolean } {
  const evidence = kept.map((e) => ({ ...e }));
  const at = new Map(evidence.map((e, i) => [entityKey(e), i]));
  let changed = false;
  for (const entity of incoming) {
    const index = at.get(entityKey(entity));
    if (index === undefined) {
      at.set(entityKey(entity), evidence.length);
      evidence.push({ ...entity });
      changed = true;
      continue;
    }
    const known = evidence[index] as Entity;
    const verdict = worstVerdict(known.verdict, entity.verdict);
    if (verdict !== known.verdict) {
      evidence[index] = { ...known, verdict };
      changed = true;
    }
  }
  return { evidence, changed };
}

/** The investigation an alert opens (Running, nothing counted yet) and its first evidence. */
export function openInvestigation(
  alert: AlertDetail,
  now: Date,
): { investigation: Investigation; evidence: Entity[] } {
  const at = now.toISOString();
  return {
    investigation: {
      id: investigationIdFor(alert.alertId),
      alertIds: [alert.alertId],
      title: alert.title,
      severity: alert.severity,
      detectionSource: alert.detectionSource,
      status: 'Running',
      createdAt: at,
      updatedAt: at,
      pendingSeconds: 0,
      counts: countActions([]),
    },
    evidence: alert.entities,
  };
}
