import { createHash } from 'node:crypto';
import {
  canonicalJson,
  chainEntry,
  GENESIS_HASH,
  hashOf,
  verifyEntries,
} from '../../../functions/core/audit-chain.js';
import { AuditEntry, type AuditRecord } from '../../../functions/core/model.js';
import { at } from './builders.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('canonicalJson', () => {
  it('does not depend on key order, at any depth', () => {
    // Prepare
    const a = { b: 1, a: { d: [{ y: 1, x: 2 }], c: 'two' } };
    const b = { a: { c: 'two', d: [{ x: 2, y: 1 }] }, b: 1 };

    // Act / Assess
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(canonicalJson(a)).toBe('{"a":{"c":"two","d":[{"x":2,"y":1}]},"b":1}');
  });

  it('drops undefined members at every depth', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: 2 } })).toBe(
      canonicalJson({ a: 1, c: { e: 2 } }),
    );
    expect(canonicalJson({ a: undefined })).toBe('{}');
  });

  it('keeps null members (null is a value, undefined is absence)', () => {
    expect(canonicalJson({ before: null, after: 'Approved' })).toBe(
      '{"after":"Approved","before":null}',
    );
  });

  it('keeps array order', () => {
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
    expect(canonicalJson([2, 1])).toBe('[2,1]');
  });

  it('sorts keys by code unit, so upper case comes before lower case', () => {
    expect(canonicalJson({ b: 1, a: 2, B: 3, _: 4 })).toBe('{"B":3,"_":4,"a":2,"b":1}');
  });

  it.each([
    ['a string', 'he said "hi"\n', '"he said \\"hi\\"\\n"'],
    ['unicode', 'ü→✓', '"ü→✓"'],
    ['a number', 12.5, '12.5'],
    ['zero', 0, '0'],
    ['true', true, 'true'],
    ['null', null, 'null'],
    ['an empty object', {}, '{}'],
    ['an empty array', [], '[]'],
  ])('writes %s as JSON does', (_, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('escapes keys', () => {
    expect(canonicalJson({ 'a"b': 1 })).toBe('{"a\\"b":1}');
  });

  it('parses back to the same value', () => {
    // Prepare
    const value = { z: [1, { b: 'x', a: null }], y: { nested: { deep: true } }, n: -3.25, s: '' };

    // Act
    const parsed = JSON.parse(canonicalJson(value));

    // Assess
    expect(parsed).toEqual(value);
  });
});

const record = (n: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  at: at(n * 60),
  actor: n % 2 === 0 ? 'Automation' : 'analyst@example.com',
  event: 'ActionApproved',
  actionId: `act-${'a'.repeat(20)}-${n.toString(16).padStart(12, '0')}`,
  investigationId: `inv-${'a'.repeat(20)}`,
  before: 'Pending',
  after: 'Approved',
  comment: `decision ${n}`,
  ...overrides,
});

function chainOf(count: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const entry = chainEntry(record(seq), seq, prevHash);
    entries.push(entry);
    prevHash = entry.hash;
  }
  return entries;
}

describe('chainEntry', () => {
  it('starts from a genesis hash of 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('hashes prevHash followed by the canonical JSON of the entry without its hash', () => {
    // Prepare
    const rec = record(1);

    // Act
    const entry = chainEntry(rec, 1, GENESIS_HASH);

    // Assess
    const { hash, ...unhashed } = entry;
    expect(unhashed).toEqual({ ...rec, seq: 1, prevHash: GENESIS_HASH });
    expect(hash).toBe(sha256(GENESIS_HASH + canonicalJson(unhashed)));
    expect(hash).toBe(hashOf(unhashed));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('builds entries that satisfy the AuditEntry schema', () => {
    for (const entry of chainOf(5)) {
      expect(AuditEntry.safeParse(entry).success).toBe(true);
    }
  });

  it('links each entry to the hash of the one before', () => {
    const entries = chainOf(5);

    entries.forEach((entry, i) => {
      expect(entry.seq).toBe(i + 1);
      expect(entry.prevHash).toBe(i === 0 ? GENESIS_HASH : entries[i - 1]?.hash);
    });
  });

  it('hashes an absent comment like an undefined one', () => {
    // Prepare
    const { comment: _, ...withoutComment } = record(1);
    const withUndefined = { ...record(1), comment: undefined };

    // Act / Assess
    expect(chainEntry(withUndefined, 1, GENESIS_HASH).hash).toBe(
      chainEntry(withoutComment, 1, GENESIS_HASH).hash,
    );
  });

  it('does not depend on the key order of the record', () => {
    // Prepare
    const rec = record(3);
    const shuffled = Object.fromEntries(Object.entries(rec).reverse()) as AuditRecord;

    // Act / Assess
    expect(chainEntry(shuffled, 3, GENESIS_HASH).hash).toBe(chainEntry(rec, 3, GENESIS_HASH).hash);
  });

  it('gives the same record a different hash at another position or after another entry', () => {
    const rec = record(1);
    const base = chainEntry(rec, 1, GENESIS_HASH).hash;

    expect(chainEntry(rec, 2, GENESIS_HASH).hash).not.toBe(base);
    expect(chainEntry(rec, 1, 'f'.repeat(64)).hash).not.toBe(base);
  });
});

describe('verifyEntries', () => {
  it('accepts an intact chain of 5', () => {
    // Prepare
    const entries = chainOf(5);

    // Act
    const verdict = verifyEntries(entries);

    // Assess
    expect(verdict).toEqual({ ok: true, checked: 5, last: { prevHash: entries[4]?.hash, seq: 5 } });
    expect(verdict.firstBrokenSeq).toBeUndefined();
  });

  it('accepts an empty chain', () => {
    expect(verifyEntries([])).toEqual({
      ok: true,
      checked: 0,
      last: { prevHash: GENESIS_HASH, seq: 0 },
    });
  });

  it('continues a chain from a given start, page by page', () => {
    // Prepare
    const entries = chainOf(5);

    // Act
    const first = verifyEntries(entries.slice(0, 2));
    const second = verifyEntries(entries.slice(2), first.last);

    // Assess
    expect(first).toMatchObject({ ok: true, checked: 2 });
    expect(second).toEqual({ ok: true, checked: 3, last: { prevHash: entries[4]?.hash, seq: 5 } });
  });

  it('breaks at the first entry of a page given the wrong start', () => {
    const entries = chainOf(5);

    expect(verifyEntries(entries.slice(2), { prevHash: GENESIS_HASH, seq: 2 })).toMatchObject({
      ok: false,
      checked: 1,
      firstBrokenSeq: 3,
    });
    expect(
      verifyEntries(entries.slice(2), { prevHash: entries[1]?.hash ?? '', seq: 1 }),
    ).toMatchObject({
      ok: false,
      firstBrokenSeq: 2,
    });
  });

  const TAMPERINGS: [string, (e: AuditEntry) => AuditEntry][] = [
    ['at', (e) => ({ ...e, at: at(99_999) })],
    ['actor', (e) => ({ ...e, actor: 'mallory@example.com' })],
    [
      'event',
      (e) => ({ ...e, event: e.event === 'ActionRejected' ? 'ActionApproved' : 'ActionRejected' }),
    ],
    ['actionId', (e) => ({ ...e, actionId: `${e.actionId.slice(0, -1)}f` })],
    ['investigationId', (e) => ({ ...e, investigationId: `inv-${'b'.repeat(20)}` })],
    ['before', (e) => ({ ...e, before: null })],
    ['after', (e) => ({ ...e, after: 'Rejected' })],
    ['comment (changed)', (e) => ({ ...e, comment: `${e.comment} (edited)` })],
    ['comment (removed)', ({ comment: _, ...e }) => e],
    ['an added field', (e) => ({ ...e, extra: 'x' }) as AuditEntry],
    ['seq', (e) => ({ ...e, seq: e.seq + 100 })],
    ['prevHash', (e) => ({ ...e, prevHash: 'f'.repeat(64) })],
    ['hash', (e) => ({ ...e, hash: `${e.hash.slice(0, -1)}${e.hash.endsWith('0') ? '1' : '0'}` })],
  ];

  it.each(
    [1, 2, 3, 4, 5].flatMap((k) => TAMPERINGS.map(([field, tamper]) => ({ k, field, tamper }))),
  )('reports seq $k when its $field is altered', ({ k, tamper }) => {
    // Prepare
    const entries = chainOf(5);
    const original = entries[k - 1] as AuditEntry;
    entries[k - 1] = tamper(original);

    // Act
    const verdict = verifyEntries(entries);

    // Assess
    expect(verdict).toMatchObject({ ok: false, checked: k, firstBrokenSeq: k });
  });

  it.each([1, 2, 3, 4])(
    'reports the successor of seq %i when that entry is altered and re-hashed',
    (k) => {
      // Prepare: a forger re-hashes the altered entry but cannot re-hash the rest of the chain
      const entries = chainOf(5);
      const { hash: _, ...unhashed } = entries[k - 1] as AuditEntry;
      const forged = { ...unhashed, actor: 'mallory@example.com' };
      entries[k - 1] = { ...forged, hash: hashOf(forged) };

      // Act
      const verdict = verifyEntries(entries);

      // Assess: the forged entry is self-consistent, so the break shows at its successor
      expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: k + 1 });
    },
  );

  it.each([1, 2, 3, 4])('reports seq %i when entries %i and the next are swapped', (k) => {
    // Prepare
    const entries = chainOf(5);
    const [a, b] = [entries[k - 1] as AuditEntry, entries[k] as AuditEntry];
    entries[k - 1] = b;
    entries[k] = a;

    // Act / Assess
    expect(verifyEntries(entries)).toMatchObject({ ok: false, checked: k, firstBrokenSeq: k });
  });

  it('reports seq 1 when the chain is reversed', () => {
    expect(verifyEntries(chainOf(5).reverse())).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it.each([1, 2, 3, 4])('reports seq %i when that entry is removed', (k) => {
    // Prepare
    const entries = chainOf(5);
    entries.splice(k - 1, 1);

    // Act / Assess
    expect(verifyEntries(entries)).toMatchObject({ ok: false, checked: k, firstBrokenSeq: k });
  });

  it('cannot see the last entry removed without an anchor (a truncated chain is a valid prefix)', () => {
    const entries = chainOf(5).slice(0, 4);

    expect(verifyEntries(entries)).toMatchObject({ ok: true, checked: 4, last: { seq: 4 } });
  });

  it('reports seq 3 when an entry is duplicated', () => {
    const entries = chainOf(5);
    entries.splice(2, 0, entries[1] as AuditEntry);

    expect(verifyEntries(entries)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('reports seq 4 when a self-consistent entry is inserted after seq 2', () => {
    // Prepare
    const entries = chainOf(5);
    const inserted = chainEntry(record(42), 3, entries[1]?.hash ?? '');
    entries.splice(2, 0, inserted);

    // Act / Assess: the insertion itself verifies, the displaced original 3 does not
    expect(verifyEntries(entries)).toMatchObject({ ok: false, checked: 4, firstBrokenSeq: 4 });
  });

  it('verifies a chain that includes entries with before: null and no comment', () => {
    // Prepare
    const first = chainEntry(record(1, { before: null, comment: undefined }), 1, GENESIS_HASH);
    const second = chainEntry(
      record(2, { event: 'ActionExpired', after: 'Expired' }),
      2,
      first.hash,
    );

    // Act / Assess
    expect(verifyEntries([first, second])).toMatchObject({ ok: true, checked: 2 });
  });

  it('survives a JSON round trip (as stored and read back)', () => {
    const entries = JSON.parse(JSON.stringify(chainOf(5))) as AuditEntry[];

    expect(verifyEntries(entries).ok).toBe(true);
  });
});
