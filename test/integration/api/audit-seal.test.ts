// The audit chain's seal against a compromised table writer: signed checkpoints in the table, the
// export (a folder here, S3 Object Lock in AWS), GET /audit/verify and the offline verifier.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { FileAuditExport } from '../../../functions/adapters/audit/file-export.js';
import { LocalAuditSigner } from '../../../functions/adapters/audit/local-signer.js';
import { defaultApprovalPolicies } from '../../../functions/adapters/cedar/index.js';
import { DynamoAuditCheckpoints } from '../../../functions/adapters/dynamodb/audit-checkpoints.js';
import { createStores, type Stores } from '../../../functions/adapters/dynamodb/index.js';
import { keys } from '../../../functions/adapters/dynamodb/keys.js';
import { createReadHandler } from '../../../functions/api/read-routes.js';
import { entriesNdjson, exportKeys } from '../../../functions/core/audit-seal-ports.js';
import type { AuditEntry } from '../../../functions/core/model.js';
import { appendOwedAudit } from '../../../functions/services/audit-appender.js';
import { sealAudit, sealAuditQuietly } from '../../../functions/services/audit-seal.js';
import { verifyExportFolder } from '../../../infra/audit/verify-export.js';
import { apiEvent, claimsFor, lambdaContext } from '../../support/api-events.js';
import { auditRecord, rewriteAndRecompute, testKey } from '../../support/audit-seal.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';

const ADMIN = claimsFor('admin@example.com', ['GlobalAdmin']);
const SEC_ADMIN = claimsFor('secadmin@example.com', ['SecurityAdmin']);
const READER = claimsFor('reader@example.com', ['SecurityReader']);

/** Each test appends tens of entries one by one: seconds on a busy machine. */
const SLOW = 30_000;

const key = testKey();
const privatePem = key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

let table: LocalTable;
let stores: Stores;
let checkpoints: DynamoAuditCheckpoints;
let exportDir: string;
let now: Date;
const clock = () => now;
const signer = new LocalAuditSigner(privatePem);

beforeEach(async () => {
  table = await startLocalTable();
  stores = createStores(table.config, table.doc);
  checkpoints = new DynamoAuditCheckpoints(table.doc, { tableName: table.config.tableName });
  exportDir = mkdtempSync(join(tmpdir(), 'audit-export-'));
  now = new Date('2026-11-01T00:00:00.000Z');
}, SLOW);
afterEach(async () => {
  await table.stop();
  rmSync(exportDir, { recursive: true, force: true });
}, SLOW);

const sealPorts = () => ({
  checkpoints,
  signer,
  export: new FileAuditExport(exportDir),
  audit: stores.audit,
  clock,
  settings: { checkpointSeconds: 300 },
});

async function append(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const tail = await stores.audit.tail();
    await stores.audit.append(auditRecord((tail?.seq ?? 0) + 1));
  }
}

/** `count` entries, then a checkpoint five minutes after the previous one. */
async function appendAndSeal(count: number) {
  await append(count);
  now = new Date(now.getTime() + 301_000);
  return sealAudit(sealPorts());
}

async function verify(query: Record<string, string> = {}, claims = READER) {
  const read = createReadHandler(
    { ...stores, clock, policies: defaultApprovalPolicies() },
    { checkpoints, publicKey: signer, export: new FileAuditExport(exportDir) },
  );
  const res = await read(apiEvent('GET', '/audit/verify', { query, claims }), lambdaContext());
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

/** Every entry as the table holds it. */
const tableEntries = () => checkpoints.after(0);

/** The writer's rewrite: entry `seq` edited and every hash after it recomputed, with plain Puts. */
async function rewriteTable(seq: number): Promise<void> {
  for (const entry of rewriteAndRecompute(await tableEntries(), seq).filter((e) => e.seq >= seq)) {
    await table.doc.send(
      new PutCommand({
        TableName: table.config.tableName,
        Item: { ...keys.audit(entry.seq), ...entry },
      }),
    );
  }
}

describe('signed checkpoints', () => {
  it(
    'are signed every AUDIT_CHECKPOINT_SECONDS while entries arrive, linked, and exported',
    async () => {
      // Act
      const first = await appendAndSeal(10);
      await append(2);
      const tooSoon = await sealAudit(sealPorts());
      const second = await appendAndSeal(3);
      const idle = await appendAndSeal(0);

      // Assess
      expect(first).toMatchObject({ seq: 10, previous: null });
      expect(tooSoon).toBeUndefined();
      expect(second).toMatchObject({ seq: 15, previous: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(idle).toBeUndefined();
      expect((await checkpoints.list()).map((c) => c.seq)).toEqual([10, 15]);
      expect(
        readFileSync(join(exportDir, exportKeys.entries(15)), 'utf8').split('\n'),
      ).toHaveLength(6);
      expect(verifyExportFolder(exportDir, key.publicKeyPem)).toMatchObject({
        ok: true,
        checked: 15,
        checkpoints: 2,
      });
    },
    SLOW,
  );

  it(
    'are made by the appender after its batches when the seal is wired as its hook',
    async () => {
      // Prepare
      await append(4);
      now = new Date(now.getTime() + 301_000);

      // Act
      await appendOwedAudit({
        actions: stores.actions,
        audit: stores.audit,
        clock,
        afterAppend: () => sealAuditQuietly(sealPorts()),
      });

      // Assess
      expect((await checkpoints.latest())?.seq).toBe(4);
    },
    SLOW,
  );
});

describe('GET /audit/verify', () => {
  it(
    'checks the checkpoints, then only the entries after the newest one',
    async () => {
      // Prepare
      await appendAndSeal(10);
      await appendAndSeal(10);
      await append(3);

      // Act
      const res = await verify();

      // Assess: the entries at 2 checkpoints, then 3 new ones
      expect(res).toEqual({
        status: 200,
        body: {
          ok: true,
          checked: 5,
          lastCheckpoint: {
            seq: 20,
            hash: expect.any(String),
            at: expect.any(String),
            previous: expect.any(String),
          },
        },
      });
    },
    SLOW,
  );

  it(
    'fails a chain a table writer rewrote and recomputed, naming the first entry changed',
    async () => {
      // Prepare
      await appendAndSeal(10);
      await appendAndSeal(10);
      await appendAndSeal(10);
      const before = await verify();

      // Act
      await rewriteTable(14);
      const incremental = await verify();
      const full = await verify({ full: 'true' }, ADMIN);
      await append(1);
      now = new Date(now.getTime() + 301_000);
      const resigned = await sealAudit(sealPorts());

      // Assess
      expect(before.body).toMatchObject({ ok: true });
      expect(incremental.body).toMatchObject({ ok: false, firstBrokenSeq: 14 });
      expect(full.body).toMatchObject({ ok: false, firstBrokenSeq: 14 });
      expect(resigned).toBeUndefined();
    },
    SLOW,
  );

  it(
    'catches a chain cut short (last entries and checkpoints deleted) against the export',
    async () => {
      // Prepare
      await appendAndSeal(10);
      await appendAndSeal(10);

      // Act: the writer deletes entries 18..20 and every checkpoint in the table
      for (const seq of [18, 19, 20])
        await table.doc.send(
          new DeleteCommand({ TableName: table.config.tableName, Key: keys.audit(seq) }),
        );
      for (const seq of [10, 20])
        await table.doc.send(
          new DeleteCommand({ TableName: table.config.tableName, Key: keys.auditCheckpoint(seq) }),
        );
      const res = await verify();

      // Assess
      expect(res.body).toMatchObject({
        ok: false,
        firstBrokenSeq: 18,
        lastCheckpoint: { seq: 20 },
      });
    },
    SLOW,
  );

  it(
    'recomputes the whole chain for GlobalAdmin and SecurityAdmin only (full=true)',
    async () => {
      // Prepare: entry 5 edited in place, inside a signed segment, hash left as it was
      await appendAndSeal(10);
      await append(2);
      const [entry5] = (await tableEntries()).filter((e) => e.seq === 5) as [AuditEntry];
      await table.doc.send(
        new PutCommand({
          TableName: table.config.tableName,
          Item: { ...keys.audit(5), ...entry5, comment: 'edited in place' },
        }),
      );

      // Act
      const incremental = await verify();
      const reader = await verify({ full: 'true' }, READER);
      const secAdmin = await verify({ full: 'true' }, SEC_ADMIN);

      // Assess: the incremental check reads only the checkpoints' entries and the new ones
      expect(incremental.body).toMatchObject({ ok: true, checked: 3 });
      expect(reader.status).toBe(403);
      expect(secAdmin).toMatchObject({
        status: 200,
        body: { ok: false, firstBrokenSeq: 5, lastCheckpoint: { seq: 10 } },
      });
    },
    SLOW,
  );
});

describe('GET /audit/public-key', () => {
  it(
    'serves the PEM that verifies the checkpoints',
    async () => {
      // Prepare
      const read = createReadHandler(
        { ...stores, clock, policies: defaultApprovalPolicies() },
        { checkpoints, publicKey: signer },
      );

      // Act
      const res = await read(
        apiEvent('GET', '/audit/public-key', { claims: READER }),
        lambdaContext(),
      );

      // Assess
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(res.body)).toEqual({
        publicKeyPem: key.publicKeyPem,
        algorithm: 'Ed25519',
      });
    },
    SLOW,
  );

  it(
    'is a 404 when no signing key is configured',
    async () => {
      const read = createReadHandler({ ...stores, clock, policies: defaultApprovalPolicies() });
      const res = await read(
        apiEvent('GET', '/audit/public-key', { claims: READER }),
        lambdaContext(),
      );
      expect(res.statusCode).toBe(404);
    },
    SLOW,
  );
});

describe('npm run audit:verify (the offline verifier)', () => {
  const run = promisify(execFile);

  it('fails an export whose entries a writer rewrote and recomputed: the signatures no longer match', async () => {
    // Prepare: a copy of the export, rewritten from entry 14 on, chain recomputed
    await appendAndSeal(10);
    await appendAndSeal(10);
    const copy = mkdtempSync(join(tmpdir(), 'audit-export-copy-'));
    cpSync(exportDir, copy, { recursive: true });
    const rewritten = rewriteAndRecompute(await tableEntries(), 14);
    writeFileSync(
      join(copy, exportKeys.entries(20)),
      entriesNdjson(rewritten.filter((e) => e.seq > 10)),
    );
    const keyFile = join(copy, 'key.pem');
    writeFileSync(keyFile, key.publicKeyPem);

    // Act
    const intact = await run('npx', [
      'tsx',
      'infra/audit/verify-export.ts',
      exportDir,
      '--public-key',
      keyFile,
    ]);
    const broken = await run('npx', [
      'tsx',
      'infra/audit/verify-export.ts',
      copy,
      '--public-key',
      keyFile,
    ]).catch((error: { code: number; stdout: string }) => error);

    // Assess: located to the signed segment 11..20
    expect(intact.stdout).toContain('Intact: 20 entries and 2 signed checkpoints');
    expect(broken).toMatchObject({
      code: 1,
      stdout: expect.stringContaining(
        'BROKEN at seq 11: entries 11 to 20 do not match the signed checkpoint at seq 20',
      ),
    });
    rmSync(copy, { recursive: true, force: true });
  }, 60_000);

  it(
    'names an entry deleted from the export',
    async () => {
      await appendAndSeal(10);
      const entries = (await tableEntries()).filter((e) => e.seq !== 7);
      writeFileSync(join(exportDir, exportKeys.entries(10)), entriesNdjson(entries));
      expect(verifyExportFolder(exportDir, key.publicKeyPem)).toMatchObject({
        ok: false,
        firstBrokenSeq: 7,
        problem: 'entry 7 is missing (deleted)',
      });
    },
    SLOW,
  );
});
