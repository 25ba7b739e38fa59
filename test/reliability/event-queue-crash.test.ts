// kill -9 of the runtime right after PutEvents answered, before the stand-in delivered the events,
// then a restart on the same data directory: every accepted alert still becomes an investigation.
import { jest } from '@jest/globals';
import { oneFileAlert } from '../fixtures/alerts.js';
import {
  apiClient,
  eventHeaders,
  eventually,
  newDataDir,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../support/runtime-process.js';

jest.setTimeout(120_000);

const COUNT = 30;

describe('kill -9 right after PutEvents answered', () => {
  let runtime: RuntimeProcess | undefined;
  const dataDir = newDataDir();
  afterAll(async () => {
    await runtime?.kill().catch(() => undefined);
    removeDataDir(dataDir);
  });

  it('loses no accepted event: after a restart every alert becomes exactly one investigation', async () => {
    // Deliveries held back well past the kill, so it lands before any of them.
    runtime = await startRuntimeProcess({ dataDir, env: { EVENT_DELIVERY_DELAY_MS: '5000' } });
    const alerts = Array.from({ length: COUNT }, (_, i) => oneFileAlert(`queued-${i}`));
    const headers = await eventHeaders();
    const failed: number[] = [];
    for (let i = 0; i < COUNT; i += 10) {
      const entries = alerts.slice(i, i + 10).flatMap((a) => putEventsBody(a).Entries);
      const response = await fetch(`${runtime.url}/api/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ Entries: entries }),
      });
      failed.push(((await response.json()) as { FailedEntryCount: number }).FailedEntryCount);
    }
    await runtime.kill();

    runtime = await startRuntimeProcess({ dataDir });
    const api = apiClient(runtime.url, await tokenFor('ana@example.com', ['GlobalAdmin']));
    const alertIds = await eventually<string[]>(
      async () => {
        const list = await api.get('/investigations?window=1d&limit=200');
        const mine = (list.json?.items ?? [])
          .flatMap((inv: { alertIds: string[] }) => inv.alertIds)
          .filter((id: string) => id.startsWith('queued-'));
        return mine.length >= COUNT ? mine : undefined;
      },
      `all ${COUNT} investigations`,
      60_000,
    );

    expect(failed).toEqual([0, 0, 0]);
    expect([...alertIds].sort()).toEqual(alerts.map((a) => a.alertId).sort());
  });
});
