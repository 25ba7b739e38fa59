// The notifier's record of batches sent: absent until recorded, recorded once.
import { createStores } from '../../../../functions/adapters/dynamodb/index.js';
import { startLocalTable } from '../../../support/dynalite.js';

it('says a batch was not sent until it is recorded, and records it once', async () => {
  const table = await startLocalTable();
  const { notificationClaims } = createStores(table.config, table.doc);
  const keepUntil = new Date(Date.now() + 86_400_000).toISOString();

  const before = await notificationClaims.wasSent('batch-1');
  const first = await notificationClaims.claim('batch-1', keepUntil);
  const again = await notificationClaims.claim('batch-1', keepUntil);
  const after = await notificationClaims.wasSent('batch-1');
  const other = await notificationClaims.wasSent('batch-2');

  expect([before, first, again, after, other]).toEqual([false, true, false, true, false]);
  await table.stop();
});
