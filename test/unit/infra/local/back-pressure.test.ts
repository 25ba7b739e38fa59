import type { EventBridgeEvent } from 'aws-lambda';
import { alertRules, defaultSourceSettings } from '../../../../functions/ingest/rule.js';
import { investigationLoad } from '../../../../infra/local/back-pressure.js';
import type { EventQueue } from '../../../../infra/local/event-queue.js';
import { createEventBus } from '../../../../infra/local/http/event-bus.js';

type Event = EventBridgeEvent<string, unknown>;
const memoryQueue = (): EventQueue => ({
  accept: () => undefined,
  done: () => undefined,
  load: () => [],
});
const alertEntry = (alertId: string, extra: Record<string, unknown> = {}) => ({
  Source: 'actioncenter.alerts',
  DetailType: 'Security Alert',
  Detail: JSON.stringify({ alertId }),
  ...extra,
});

function loadedBus(limit: number) {
  const load = investigationLoad(limit);
  const queue = load.counting(memoryQueue());
  const delivered: Event[] = [];
  const bus = createEventBus({
    rules: alertRules(defaultSourceSettings()),
    busName: 'default',
    region: 'us-east-1',
    deliver: (events) => {
      queue.accept(events);
      delivered.push(...events);
    },
    admits: load.admits,
  });
  return { bus, queue, delivered, load };
}

describe('back-pressure on PutEvents', () => {
  it('throttles the entries past the bound, each on its own, and takes them again once work is done', () => {
    const { bus, queue, delivered } = loadedBus(3);
    const entries = ['a', 'b', 'c', 'd', 'e'].map((id) => alertEntry(id));

    const first = bus.putEvents(JSON.stringify({ Entries: entries }));
    for (const event of delivered) queue.done(event.id);
    const retried = bus.putEvents(JSON.stringify({ Entries: entries.slice(3) }));

    expect(first.body).toMatchObject({ FailedEntryCount: 2 });
    expect(
      (first.body as { Entries: { ErrorCode?: string }[] }).Entries.map((e) => e.ErrorCode),
    ).toEqual([undefined, undefined, undefined, 'ThrottlingException', 'ThrottlingException']);
    expect(retried.body).toMatchObject({ FailedEntryCount: 0 });
    expect(delivered.map((e) => (e.detail as { alertId: string }).alertId)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('never throttles an event that goes to no rule (it is no work)', () => {
    const { bus } = loadedBus(1);

    const answer = bus.putEvents(
      JSON.stringify({ Entries: [alertEntry('a'), alertEntry('b', { EventBusName: 'other' })] }),
    );

    expect(answer.body).toMatchObject({ FailedEntryCount: 0 });
  });

  it('counts a running workflow task until it ends', async () => {
    const { load } = loadedBus(1);
    let finish: () => void = () => {};
    const task = load.counted(() => new Promise<void>((done) => (finish = done)));

    const running = task();
    const during = load.admits(0);
    finish();
    await running;

    expect(during).toBe(false);
    expect(load.admits(0)).toBe(true);
  });
});
