// The Analyze step: the alert's evidence with verdicts, grouped by category, with e-mail messages
// that share a `clusterId` gathered into one cluster (remediated as a whole).
import { worstVerdict } from './alert.js';
import { actionFor } from './catalog.js';
import {
  type AlertDetail,
  type Category,
  type Entity,
  type EntityKind,
  VERDICTS,
  type Verdict,
} from './model.js';

/** One piece of evidence as the investigation page shows it. */
type EvidenceEntity = Entity & {
  category: Category;
  /** For an e-mail cluster: the ids of the alert's messages gathered into it. */
  memberIds?: string[];
};

interface EmailCluster {
  clusterId: string;
  verdict: Verdict;
  messageIds: string[];
}

export interface Analysis {
  evidence: EvidenceEntity[];
  clusters: EmailCluster[];
  /** How many pieces of evidence carry each verdict. */
  verdicts: Record<Verdict, number>;
  /** Whether any evidence is malicious or suspicious. */
  threatsFound: boolean;
}

/** Every kind has a catalog entry; its category is the category of the evidence. */
function categoryOfKind(kind: EntityKind): Category {
  return (actionFor(kind, 'malicious') as { category: Category }).category;
}

const isThreat = (verdict: Verdict) => verdict === 'malicious' || verdict === 'suspicious';

/** A message in a cluster is remediated through its cluster, never on its own. */
export function isClusterMember(entity: Entity): boolean {
  return entity.kind === 'emailMessage' && entity.clusterId !== undefined;
}

function clusterOf(clusterId: string, members: Entity[], declared: Entity | undefined): Entity {
  const verdict = members.reduce<Verdict>(
    (worst, m) => worstVerdict(worst, m.verdict),
    declared?.verdict ?? 'clean',
  );
  return {
    ...declared,
    kind: 'emailCluster',
    id: declared?.id ?? clusterId,
    clusterId,
    verdict,
    displayName: declared?.displayName ?? `Email cluster ${clusterId}`,
    messageCount: declared?.messageCount ?? members.length,
  };
}

/** Analyzes a (normalized) alert. Pure: the same alert always gives the same analysis. */
export function analyzeAlert(alert: AlertDetail): Analysis {
  const members = new Map<string, Entity[]>();
  const declared = new Map<string, Entity>();
  for (const entity of alert.entities) {
    if (isClusterMember(entity)) {
      const id = entity.clusterId as string;
      members.set(id, [...(members.get(id) ?? []), entity]);
    } else if (entity.kind === 'emailCluster') {
      declared.set(entity.clusterId ?? entity.id, entity);
    }
  }

  const evidence: EvidenceEntity[] = [];
  const placed = new Set<string>();
  const clusters: EmailCluster[] = [];
  const addCluster = (clusterId: string) => {
    if (placed.has(clusterId)) return;
    placed.add(clusterId);
    const messages = members.get(clusterId) ?? [];
    const cluster = clusterOf(clusterId, messages, declared.get(clusterId));
    const messageIds = messages.map((m) => m.id);
    clusters.push({ clusterId, verdict: cluster.verdict, messageIds });
    evidence.push({
      ...cluster,
      category: 'email',
      ...(messageIds.length > 0 && { memberIds: messageIds }),
    });
  };

  for (const entity of alert.entities) {
    if (entity.kind === 'emailCluster') {
      addCluster(entity.clusterId ?? entity.id);
    } else {
      evidence.push({ ...entity, category: categoryOfKind(entity.kind) });
      if (isClusterMember(entity)) addCluster(entity.clusterId as string);
    }
  }

  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const e of evidence) verdicts[e.verdict] += 1;
  return { evidence, clusters, verdicts, threatsFound: evidence.some((e) => isThreat(e.verdict)) };
}
