// The audit chain's seal: the appender signs a checkpoint of the chain every few minutes while
// entries arrive and exports the entries and the checkpoint to write-once storage; verify checks
// the table against the signed checkpoints (and the export's newest), then only the newer entries.
import { createPublicKey } from 'node:crypto';
import { type ChainVerdict, GENESIS_HASH, verifyEntries } from '../core/audit-chain.js';
import {
  type Checkpoint,
  checkpointBytes,
  checkpointChainFault,
  nextCheckpoint,
  type SignedCheckpoint,
  signatureValid,
  unsigned,
} from '../core/audit-checkpoint.js';
import type {
  AuditCheckpoints,
  AuditExport,
  AuditPublicKey,
  AuditSigner,
} from '../core/audit-seal-ports.js';
import { NotFoundError } from '../core/errors.js';
import type { AuditEntry } from '../core/model.js';
import type { AuditLog, Clock } from '../core/ports.js';
import { logger } from '../observability.js';

export interface SealPorts {
  checkpoints: AuditCheckpoints;
  signer: AuditSigner;
  export?: AuditExport;
  audit: Pick<AuditLog, 'tail'>;
  clock: Clock;
  settings: { checkpointSeconds: number };
}

/** A first checkpoint over a long chain is made in steps, each well inside the appender's lease. */
export const MAX_ENTRIES_PER_CHECKPOINT = 5_000;

/**
 * Signs a checkpoint when entries arrived since the last one and it is old enough. Called by the
 * lease holder only, so checkpoints never fork. The key signs only a chain it checked links to
 * the previous checkpoint; entries not yet checkpointed are the ones a table writer could still rewrite.
 */
export async function sealAudit(ports: SealPorts): Promise<SignedCheckpoint | undefined> {
  const [last, tail] = await Promise.all([ports.checkpoints.latest(), ports.audit.tail()]);
  const from = last?.seq ?? 0;
  if (!tail || tail.seq <= from) return undefined;
  const now = ports.clock();
  // A chain longer than one step behind its last checkpoint catches up without waiting.
  const catchingUp = tail.seq - from > MAX_ENTRIES_PER_CHECKPOINT;
  const recent =
    last && now.getTime() - Date.parse(last.at) < ports.settings.checkpointSeconds * 1000;
  if (recent && !catchingUp) return undefined;
  const entries = await ports.checkpoints.range(
    from + 1,
    Math.min(tail.seq, from + MAX_ENTRIES_PER_CHECKPOINT),
  );
  const verdict = verifyEntries(entries, {
    prevHash: last?.hash ?? GENESIS_HASH,
    seq: from,
  });
  const end = entries.at(-1);
  if (!verdict.ok || !end) {
    logger.error('Audit chain broken since the last checkpoint: not signing', {
      firstBrokenSeq: verdict.firstBrokenSeq,
    });
    return undefined;
  }
  const checkpoint = nextCheckpoint(end, now, last);
  const signature = await ports.signer.sign(checkpointBytes(checkpoint));
  const signed = { ...checkpoint, signature: signature.toString('base64') };
  // Exported first: a checkpoint in the table always has its entries in write-once storage.
  await ports.export?.write(entries, signed);
  await ports.checkpoints.put(signed);
  logger.info('Audit checkpoint signed', { seq: signed.seq, entries: entries.length });
  return signed;
}

/** The appender's hook: a failed seal leaves the entries for the next run, never fails the append. */
export async function sealAuditQuietly(ports: SealPorts): Promise<void> {
  try {
    await sealAudit(ports);
  } catch (error) {
    logger.warn('Audit checkpoint not signed now; the next appender run signs it', {
      errorName: (error as Error).name,
      reason: (error as Error).message,
    });
  }
}

export interface VerifyPorts {
  checkpoints: AuditCheckpoints;
  publicKey: AuditPublicKey;
  export?: Pick<AuditExport, 'latest' | 'segment'>;
  audit: Pick<AuditLog, 'verify'>;
}

export type SealedVerdict = ChainVerdict & { lastCheckpoint: Checkpoint | null };

/**
 * Checks the entry at every checkpoint (and the export's newest) still has the signed hash, then
 * the chain after the newest checkpoint: O(checkpoints + new entries). `full` also recomputes the
 * whole chain, which finds an entry changed in place between two checkpoints.
 */
export async function verifySealedAudit(
  ports: VerifyPorts,
  options: { full?: boolean } = {},
): Promise<SealedVerdict> {
  const [key, stored, exported] = await Promise.all([
    ports.publicKey.publicKeyPem(),
    ports.checkpoints.list(),
    ports.export?.latest(),
  ]);
  const fault = checkpointChainFault(stored, key);
  if (fault) logger.warn('Audit checkpoints in the table do not verify', { reason: fault.reason });
  const trusted = fault ? stored.slice(0, fault.index) : stored;
  const anchors = [...trusted];
  if (exported && signatureValid(exported, key) && !trusted.some((c) => c.seq === exported.seq))
    anchors.push(exported);
  anchors.sort((a, b) => a.seq - b.seq);
  const newest = anchors.at(-1);
  const lastCheckpoint = newest ? unsigned(newest) : null;

  // Both reads at once: the new entries are only judged once the anchors hold.
  const [atAnchors, since] = await Promise.all([
    ports.checkpoints.entriesAt(anchors.map((c) => c.seq)),
    options.full ? [] : ports.checkpoints.after(newest?.seq ?? 0),
  ]);
  let checked = atAnchors.size;
  const brokenAt = anchors.findIndex((c) => atAnchors.get(c.seq)?.hash !== c.hash);
  if (brokenAt !== -1) {
    const firstBrokenSeq = await firstChanged(ports, anchors, brokenAt);
    return { ok: false, checked, firstBrokenSeq, lastCheckpoint };
  }
  if (options.full) {
    const whole = await ports.audit.verify();
    return { ...whole, checked: whole.checked, lastCheckpoint };
  }
  const verdict = verifyEntries(
    since,
    newest ? { prevHash: newest.hash, seq: newest.seq } : undefined,
  );
  checked += verdict.checked;
  return {
    ok: verdict.ok,
    checked,
    ...(verdict.firstBrokenSeq !== undefined && { firstBrokenSeq: verdict.firstBrokenSeq }),
    lastCheckpoint,
  };
}

/**
 * The first seq of the segment ending at the broken checkpoint that differs from the exported
 * copy (or is gone); without the export, the segment's first seq.
 */
async function firstChanged(
  ports: VerifyPorts,
  anchors: readonly SignedCheckpoint[],
  brokenAt: number,
): Promise<number> {
  const broken = anchors[brokenAt] as SignedCheckpoint;
  const from = (anchors[brokenAt - 1]?.seq ?? 0) + 1;
  const exported = await ports.export?.segment(broken.seq);
  if (!exported) return from;
  const table = await ports.checkpoints.range(exported[0]?.seq ?? from, broken.seq);
  const bySeq = new Map(table.map((e) => [e.seq, e]));
  const differs = (e: AuditEntry) => bySeq.get(e.seq)?.hash !== e.hash;
  return exported.find(differs)?.seq ?? from;
}

/** What the read API checks the chain with: everything of the seal but the right to sign. */
export type SealReader = Omit<VerifyPorts, 'audit'>;

/** `GET /audit/verify`: against the seal when there is one, else the whole chain as before. */
export async function verifyAuditChain(
  audit: Pick<AuditLog, 'verify'>,
  seal: SealReader | undefined,
  options: { full?: boolean },
): Promise<SealedVerdict> {
  if (seal) return verifySealedAudit({ ...seal, audit }, options);
  return { ...(await audit.verify()), lastCheckpoint: null };
}

/** `GET /audit/public-key`: the PEM and how it signs. */
export async function auditPublicKey(seal: SealReader | undefined) {
  if (!seal) throw new NotFoundError('No audit signing key is configured');
  const publicKeyPem = await seal.publicKey.publicKeyPem();
  const ed25519 = createPublicKey(publicKeyPem).asymmetricKeyType === 'ed25519';
  return { publicKeyPem, algorithm: ed25519 ? ('Ed25519' as const) : ('ECDSA_SHA_256' as const) };
}
