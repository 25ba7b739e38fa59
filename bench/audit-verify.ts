// Audit verify: GET /audit/verify (the read handler, no HTTP) over 1,000 and 100,000 chained
// entries with a signed checkpoint every BENCH_AUDIT_CHECKPOINT_EVERY entries (1,000) and the
// last BENCH_AUDIT_NEW entries (500) not yet checkpointed, as a busy appender leaves them. The
// incremental check reads the entry at each checkpoint and the new entries: its time should not
// grow with the chain. A full re-check (admin, ?full=true) is timed once per size for reference.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { FileAuditExport } from '../functions/adapters/audit/file-export.js';
import { LocalAuditSigner } from '../functions/adapters/audit/local-signer.js';
import { defaultApprovalPolicies } from '../functions/adapters/cedar/index.js';
import { DynamoAuditCheckpoints } from '../functions/adapters/dynamodb/audit-checkpoints.js';
import { createStores } from '../functions/adapters/dynamodb/index.js';
import { keys } from '../functions/adapters/dynamodb/keys.js';
import { createReadHandler } from '../functions/api/read-routes.js';
import { chainEntry, GENESIS_HASH } from '../functions/core/audit-chain.js';
import type { SignedCheckpoint } from '../functions/core/audit-checkpoint.js';
import type { AuditEntry } from '../functions/core/model.js';
import { apiEvent, claimsFor, lambdaContext } from '../test/support/api-events.js';
import { auditRecord, signCheckpoint, testKey } from '../test/support/audit-seal.js';
import { startLocalTable } from '../test/support/dynalite.js';
import { envNumber, machine, percentile, pool, report, round } from './lib.js';

const sizes = (process.env.BENCH_AUDIT_SIZES ?? '1000,100000').split(',').map(Number);
const samples = envNumber('BENCH_AUDIT_SAMPLES', 20);
const every = envNumber('BENCH_AUDIT_CHECKPOINT_EVERY', 1000);
const fresh = envNumber('BENCH_AUDIT_NEW', 500);

const table = await startLocalTable();
const { config, doc } = table;
const stores = createStores(config, doc);
const checkpoints = new DynamoAuditCheckpoints(doc, { tableName: config.tableName });
const key = testKey();
const signer = new LocalAuditSigner(
  key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
);
const exportDir = mkdtempSync(join(tmpdir(), 'action-center-bench-audit-'));
const auditExport = new FileAuditExport(exportDir);
const read = createReadHandler(
  { ...stores, clock: () => new Date(), policies: defaultApprovalPolicies() },
  { checkpoints, publicKey: signer, export: auditExport },
);
const READER = claimsFor('bench@example.com', ['SecurityReader']);
const ADMIN = claimsFor('admin@example.com', ['GlobalAdmin']);

let tail = { seq: 0, hash: GENESIS_HASH };
let lastCheckpoint: SignedCheckpoint | undefined;
let segment: AuditEntry[] = [];

async function write(items: Record<string, unknown>[]) {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await pool(batches, 4, async (batch) => {
    let request = batch.map((Item) => ({ PutRequest: { Item } }));
    while (request.length > 0) {
      const out = await doc.send(
        new BatchWriteCommand({ RequestItems: { [config.tableName]: request } }),
      );
      request = (out.UnprocessedItems?.[config.tableName] ?? []) as typeof request;
    }
  });
}

/** Chains entries up to `size`, signing a checkpoint every `every` and at `size - fresh`. */
async function load(size: number): Promise<number> {
  const t = performance.now();
  const items: Record<string, unknown>[] = [];
  const signed: SignedCheckpoint[] = [];
  for (let seq = tail.seq + 1; seq <= size; seq += 1) {
    const entry = chainEntry(auditRecord(seq), seq, tail.hash);
    items.push({ ...keys.audit(seq), ...entry });
    segment.push(entry);
    tail = entry;
    if ((seq % every === 0 && seq < size - fresh) || seq === size - fresh) {
      lastCheckpoint = signCheckpoint(entry, lastCheckpoint, key.privateKey);
      signed.push(lastCheckpoint);
      await auditExport.write(segment, lastCheckpoint);
      segment = [];
    }
  }
  await write(items);
  await write(signed.map((c) => ({ ...keys.auditCheckpoint(c.seq), ...c })));
  return (performance.now() - t) / 1000;
}

async function timeVerify(query: Record<string, string>, count: number, claims = READER) {
  const times: number[] = [];
  let body: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1) {
    const t = performance.now();
    const res = await read(apiEvent('GET', '/audit/verify', { query, claims }), lambdaContext());
    times.push(performance.now() - t);
    body = JSON.parse(res.body);
    if (res.statusCode !== 200 || body.ok !== true)
      throw new Error(`verify: ${res.statusCode} ${res.body}`);
  }
  return {
    checked: body.checked as number,
    p50Ms: round(percentile(times, 50), 1),
    p99Ms: round(percentile(times, 99), 1),
  };
}

const results = [];
for (const size of sizes) {
  const loadSeconds = await load(size);
  const incremental = await timeVerify({}, samples);
  const full = await timeVerify({ full: 'true' }, 1, ADMIN);
  results.push({
    entries: size,
    checkpoints: (await checkpoints.list()).length,
    loadSeconds: round(loadSeconds, 1),
    incremental,
    full,
  });
  process.stderr.write(`audit-verify: ${JSON.stringify(results.at(-1))}\n`);
}
await table.stop();
rmSync(exportDir, { recursive: true, force: true });
const [small, large] = [results[0], results.at(-1)];
report({
  name: 'auditVerify',
  machine: machine(),
  samples,
  checkpointEvery: every,
  newEntries: fresh,
  results,
  ratio: small && large ? round(large.incremental.p50Ms / small.incremental.p50Ms, 2) : undefined,
});
process.exit(0);
