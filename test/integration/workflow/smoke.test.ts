import { investigationIdFor } from '../../../functions/core/ids.js';
import { anAlert, file, url } from '../../fixtures/alerts.js';
import { type LocalTable, startLocalTable } from '../../support/dynalite.js';
import { startInvestigationHarness } from '../../support/investigation-harness.js';

let table: LocalTable;
beforeAll(async () => {
  table = await startLocalTable();
});
afterAll(() => table.stop());

it('smoke', async () => {
  const h = await startInvestigationHarness(table);
  try {
    const r = await h.ingest(anAlert('smoke-1', [file('f1', 'malicious'), url('u1', 'suspicious')]));
    console.log(r);
    await new Promise((r) => setTimeout(r, 1500));
    const arn = (await h.engine.listExecutions()).executions[0]?.executionArn as string;
    console.log(JSON.stringify(h.engine.executionHistory(arn).slice(0, 40), null, 1));
    const ex = await h.finished('smoke-1');
    console.log(ex);
    const inv = await h.stores.investigations.get(investigationIdFor('smoke-1'));
    console.log(JSON.stringify(inv, null, 1));
  } finally {
    await h.close();
  }
});
