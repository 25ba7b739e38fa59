// kill -9 at one exact point: after a decision's write (which owes its audit record on the action),
// as the appender that write started sends the request that appends the record to the chain, and
// before it leaves the process. After a restart on the same data directory the appender's first
// run appends the record: the approval is in the chain once.
import { jest } from '@jest/globals';
import { oneFileAlert } from '../fixtures/alerts.js';
import {
  apiClient,
  eventually,
  newDataDir,
  putAllEvents,
  putEventsBody,
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
  tokenFor,
} from '../support/runtime-process.js';

jest.setTimeout(120_000);

/** The chain append of an approval: a PutItem into the AUDIT partition naming the event. */
const APPROVAL_APPEND = ['"pk":{"S":"AUDIT"}', '"S":"ActionApproved"'];

describe('kill -9 between a decision and its audit append', () => {
  let runtime: RuntimeProcess | undefined;
  const dataDir = newDataDir();
  afterAll(async () => {
    await runtime?.kill().catch(() => undefined);
    removeDataDir(dataDir);
  });

  it('appends the approval to the chain once after the restart', async () => {
    runtime = await startRuntimeProcess({ dataDir, killOnRequest: APPROVAL_APPEND });
    const token = await tokenFor('ana@example.com', ['GlobalAdmin']);
    const alert = oneFileAlert('audit-kill');
    await putAllEvents(runtime.url, putEventsBody(alert).Entries);
    let api = apiClient(runtime.url, token);
    const actionId: string = await eventually(
      async () => {
        const list = await api.get('/actions?tab=pending&limit=50');
        return list.json?.items?.find((a: { alertId: string }) => a.alertId === 'audit-kill')?.id;
      },
      'the action pending',
      60_000,
    );

    // The process dies as it appends the approval's entry: the approval may have been answered
    // just before (the append follows the write, not the answer) or cut off.
    await api.post(`/actions/${actionId}/approve`, {}).catch(() => undefined);
    expect((await runtime.exited).signal).toBe('SIGKILL');

    runtime = await startRuntimeProcess({ dataDir });
    api = apiClient(runtime.url, token);
    // The decision's write had landed: the approval stands and is carried out.
    const action = await eventually(
      async () => {
        const read = await api.get(`/actions/${actionId}`);
        return read.json?.status === 'Completed' ? read.json : undefined;
      },
      'the action Completed',
      60_000,
    );
    expect(action.decision).toMatchObject({ by: 'ana@example.com', automated: false });
    const eventsOf = async () =>
      ((await api.get('/audit?window=1d&limit=200')).json?.items ?? [])
        .filter((e: { actionId: string }) => e.actionId === actionId)
        .map((e: { event: string }) => e.event)
        .sort();
    // The record the kill left owed is appended by the appender's first run after the restart.
    const events = await eventually(
      async () => {
        const read = await eventsOf();
        return read.includes('ActionApproved') && read.includes('ActionCompleted')
          ? read
          : undefined;
      },
      'the approval and the completion in the chain',
      60_000,
    );
    // Stays once: later appender runs find it in the chain and append nothing more.
    await new Promise((resolve) => setTimeout(resolve, 5_000));

    expect(events).toEqual(['ActionApproved', 'ActionCompleted']);
    expect(await eventsOf()).toEqual(['ActionApproved', 'ActionCompleted']);
    expect((await api.get('/audit/verify')).json.ok).toBe(true);
  });
});
