import {
  checkpointBytes,
  checkpointChainFault,
  type ExportSegment,
  signatureValid,
  verifyExport,
} from '../../../functions/core/audit-checkpoint.js';
import type { AuditEntry } from '../../../functions/core/model.js';
import {
  chain,
  rewriteAndRecompute,
  signCheckpoint,
  signedExport,
  testKey,
} from '../../support/audit-seal.js';

const key = testKey();

/** The export's entries in one list, to tamper with, then cut back into files of the same sizes. */
function tampered(
  segments: ExportSegment[],
  change: (entries: AuditEntry[]) => AuditEntry[],
): ExportSegment[] {
  const all = change(segments.flatMap((s) => [...(s.entries ?? [])]));
  let offset = 0;
  return segments.map((segment, i) => {
    const size = segment.entries?.length ?? 0;
    const part = i === segments.length - 1 ? all.slice(offset) : all.slice(offset, offset + size);
    offset += size;
    return { ...segment, entries: part };
  });
}

describe('checkpoint signatures', () => {
  it('verify with the public key for Ed25519 and for ECDSA P-256 (the KMS key)', () => {
    // Prepare
    const [entry] = chain(1) as [AuditEntry];
    const ec = testKey('ec');

    // Act
    const edSigned = signCheckpoint(entry, undefined, key.privateKey);
    const ecSigned = signCheckpoint(entry, undefined, ec.privateKey);

    // Assess
    expect(signatureValid(edSigned, key.publicKeyPem)).toBe(true);
    expect(signatureValid(ecSigned, ec.publicKeyPem)).toBe(true);
    expect(signatureValid(ecSigned, key.publicKeyPem)).toBe(false);
    expect(signatureValid({ ...edSigned, hash: 'f'.repeat(64) }, key.publicKeyPem)).toBe(false);
  });

  it('sign canonical bytes with a type tag, whatever the member order', () => {
    const bytes = checkpointBytes({
      previous: null,
      at: '2026-11-01T00:00:00.000Z',
      hash: 'ab',
      seq: 3,
    });
    expect(bytes.toString('utf8')).toBe(
      '{"at":"2026-11-01T00:00:00.000Z","hash":"ab","previous":null,"seq":3,"type":"action-center.audit-checkpoint.v1"}',
    );
  });

  it('find a checkpoint removed from the middle (the next one no longer links)', () => {
    const checkpoints = signedExport(30, 10, key.privateKey).map((s) => s.checkpoint);
    const fault = checkpointChainFault([checkpoints[0], checkpoints[2]] as never, key.publicKeyPem);
    expect(fault).toEqual({ index: 1, reason: expect.stringContaining('does not follow') });
  });
});

describe('verifyExport', () => {
  it('accepts an intact export and reports its newest checkpoint', () => {
    const segments = signedExport(25, 10, key.privateKey);
    const verdict = verifyExport(segments, key.publicKeyPem);
    expect(verdict).toMatchObject({ ok: true, checked: 25, checkpoints: 3 });
    expect(verdict.lastCheckpoint?.seq).toBe(25);
  });

  it('names an entry modified in place', () => {
    const segments = signedExport(30, 10, key.privateKey);
    const changed = tampered(segments, (all) =>
      all.map((e) => (e.seq === 14 ? { ...e, comment: 'edited' } : e)),
    );
    expect(verifyExport(changed, key.publicKeyPem)).toMatchObject({
      ok: false,
      firstBrokenSeq: 14,
      problem: expect.stringContaining('entry 14 was modified'),
    });
  });

  it('names a deleted entry', () => {
    const segments = signedExport(30, 10, key.privateKey);
    const changed = tampered(segments, (all) => all.filter((e) => e.seq !== 17));
    expect(verifyExport(changed, key.publicKeyPem)).toMatchObject({
      ok: false,
      firstBrokenSeq: 17,
      problem: expect.stringContaining('missing'),
    });
  });

  it('names an inserted entry', () => {
    const segments = signedExport(30, 10, key.privateKey);
    const changed = tampered(segments, (all) => {
      const copy = [...all];
      copy.splice(12, 0, { ...(all[5] as AuditEntry) });
      return copy;
    });
    expect(verifyExport(changed, key.publicKeyPem)).toMatchObject({
      ok: false,
      firstBrokenSeq: 13,
      problem: 'an entry was inserted after entry 12 (it repeats seq 6)',
    });
  });

  it('names reordered entries', () => {
    const segments = signedExport(30, 10, key.privateKey);
    const changed = tampered(segments, (all) => {
      const copy = [...all];
      [copy[21], copy[22]] = [copy[22] as AuditEntry, copy[21] as AuditEntry];
      return copy;
    });
    expect(verifyExport(changed, key.publicKeyPem)).toMatchObject({
      ok: false,
      firstBrokenSeq: 22,
      problem: expect.stringContaining('reordered'),
    });
  });

  it('fails a chain recomputed by a writer: its hashes are not the signed ones', () => {
    // Prepare: entry 15 edited, every hash from it on recomputed (the chain alone links fine)
    const segments = signedExport(30, 10, key.privateKey);
    const changed = tampered(segments, (all) => rewriteAndRecompute(all, 15));

    // Act
    const verdict = verifyExport(changed, key.publicKeyPem);

    // Assess: located to the checkpoint segment 11..20 (only checkpoints carry signatures)
    expect(verdict).toMatchObject({
      ok: false,
      firstBrokenSeq: 11,
      problem: expect.stringContaining('entries 11 to 20 do not match the signed checkpoint'),
    });
    expect(verdict.lastCheckpoint?.seq).toBe(10);
  });

  it('fails checkpoints re-signed with another key', () => {
    const other = testKey();
    const segments = signedExport(20, 10, other.privateKey);
    expect(verifyExport(segments, key.publicKeyPem)).toMatchObject({
      ok: false,
      firstBrokenSeq: 1,
      problem: expect.stringContaining('not signed by the key'),
    });
  });

  it('names the entries of a segment cut short at its end', () => {
    const segments = signedExport(20, 10, key.privateKey);
    const cut = segments.map((s, i) => (i === 1 ? { ...s, entries: s.entries?.slice(0, 7) } : s));
    expect(verifyExport(cut, key.publicKeyPem)).toMatchObject({
      ok: false,
      firstBrokenSeq: 18,
      problem: 'entries 18 to 20 are missing (deleted)',
    });
  });
});
