// An updated alert's evidence and the workflow's conclusion exclude each other on the
// investigation's item: whichever lands first, the other sees it.
import { createStores, type Stores } from '../../../../functions/adapters/dynamodb/index.js';
import { ConflictError } from '../../../../functions/core/errors.js';
import { makeInvestigation, T0 } from '../../../fixtures/actions.js';
import { file } from '../../../fixtures/alerts.js';
import { type LocalTable, startLocalTable } from '../../../support/dynalite.js';

let table: LocalTable;
let stores: Stores;

beforeAll(async () => {
  table = await startLocalTable();
  stores = createStores(table.config, table.doc);
});
afterAll(() => table.stop());

async function recorded(id: string) {
  const investigation = makeInvestigation({ id });
  await stores.investigations.createOnce({ investigation, evidence: [file('f1', 'malicious')] });
  await stores.investigations.update(id, { threatsFound: true });
  return investigation;
}

describe('merging an updated alert', () => {
  it('wakes an open investigation and asks for a new analysis', async () => {
    const id = 'inv-00000000000000000001';
    await recorded(id);
    await stores.investigations.registerWait(id, 'token-1');

    const merged = await stores.investigations.mergeEvidence(id, [file('f2', 'suspicious')], T0);

    expect(merged).toEqual({ outcome: 'merged', executionName: id, waitToken: 'token-1' });
    const after = await stores.investigations.get(id);
    expect(after.evidence.map((e) => e.id)).toEqual(['f1', 'f2']);
    expect(after.threatsFound).toBeUndefined();
    expect(await stores.investigations.wakesOf(id)).toBe(1);
  });

  it('reopens a concluded investigation under a new execution name, once per update', async () => {
    const id = 'inv-00000000000000000002';
    await recorded(id);
    await stores.investigations.update(id, { status: 'Remediated', endedAt: T0.toISOString() });

    const first = await stores.investigations.mergeEvidence(id, [file('f2', 'malicious')], T0);
    const again = await stores.investigations.mergeEvidence(id, [file('f2', 'malicious')], T0);

    expect(first).toEqual({ outcome: 'reopened', executionName: `${id}-u1` });
    expect(again).toEqual({ outcome: 'unchanged', executionName: `${id}-u1` });
    const { investigation } = await stores.investigations.get(id);
    expect(investigation.endedAt).toBeUndefined();
    expect(investigation.status).toBe('Running');
  });

  it('keeps the workflow from concluding after a merge it has not seen', async () => {
    // Prepare: the last pass read 0 wakes; an update merges meanwhile.
    const id = 'inv-00000000000000000003';
    await recorded(id);
    await stores.investigations.mergeEvidence(id, [file('f3', 'malicious')], T0);

    // Act
    const concluding = stores.investigations.update(
      id,
      { status: 'Remediated', endedAt: T0.toISOString() },
      { ifWakes: 0 },
    );

    // Assess
    await expect(concluding).rejects.toBeInstanceOf(ConflictError);
    expect((await stores.investigations.get(id)).investigation.endedAt).toBeUndefined();
    await expect(
      stores.investigations.update(id, { status: 'Remediated' }, { ifWakes: 1 }),
    ).resolves.toMatchObject({ status: 'Remediated' });
  });

  it('merges two updates that race, losing neither', async () => {
    const id = 'inv-00000000000000000004';
    await recorded(id);

    await Promise.all([
      stores.investigations.mergeEvidence(id, [file('race-a', 'malicious')], T0),
      stores.investigations.mergeEvidence(id, [file('race-b', 'malicious')], T0),
    ]);

    const { evidence } = await stores.investigations.get(id);
    expect(evidence.map((e) => e.id).sort()).toEqual(['f1', 'race-a', 'race-b']);
  });
});

describe('an undo request', () => {
  it('wakes an open investigation, keeping its evidence and analysis', async () => {
    const id = 'inv-00000000000000000u01';
    await recorded(id);
    await stores.investigations.registerWait(id, 'token-u');

    const woken = await stores.investigations.wakeOrReopen(id, T0);

    expect(woken).toEqual({ outcome: 'woken', executionName: id, waitToken: 'token-u' });
    const after = await stores.investigations.get(id);
    expect(after.threatsFound).toBe(true);
    expect(after.evidence.map((e) => e.id)).toEqual(['f1']);
    expect(await stores.investigations.wakesOf(id)).toBe(1);
  });

  it('reopens a concluded investigation under the next execution name, shared with alert updates', async () => {
    const id = 'inv-00000000000000000u02';
    await recorded(id);
    await stores.investigations.update(id, { status: 'Remediated', endedAt: T0.toISOString() });

    const reopened = await stores.investigations.wakeOrReopen(id, T0);
    await stores.investigations.update(id, { status: 'Remediated', endedAt: T0.toISOString() });
    const updated = await stores.investigations.mergeEvidence(id, [file('f9', 'malicious')], T0);

    expect(reopened).toEqual({ outcome: 'reopened', executionName: `${id}-u1` });
    expect(updated).toEqual({ outcome: 'reopened', executionName: `${id}-u2` });
  });
});
