import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { deadLetterStore } from '../../../../infra/local/dead-letter-store.js';
import { eventDelivery } from '../../../../infra/local/event-delivery.js';
import { EVENT_QUEUE_FILE, eventQueue } from '../../../../infra/local/event-queue.js';

const event = (id: string): EventBridgeEvent<string, unknown> => ({
  version: '0',
  id,
  'detail-type': 'Security Alert',
  source: 'actioncenter.alerts',
  account: '000000000000',
  time: '2026-12-01T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { alertId: id },
});
const ids = (events: EventBridgeEvent<string, unknown>[]) => events.map((e) => e.id);
const settled = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('the queue of accepted events not yet delivered', () => {
  let dataDir: string;
  let file: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'action-center-queue-'));
    file = join(dataDir, EVENT_QUEUE_FILE);
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps a request in one owner-only line per event, written before accept returns', () => {
    const queue = eventQueue(dataDir);

    queue.accept([event('a'), event('b')]);

    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('gives back, in order, every accepted event not marked done', () => {
    const queue = eventQueue(dataDir);
    queue.accept([event('a'), event('b')]);
    queue.accept([event('c')]);
    queue.done('b');

    const pending = eventQueue(dataDir).load();

    expect(ids(pending)).toEqual(['a', 'c']);
    expect(pending[0]).toEqual(event('a'));
  });

  it('compacts the file on load to the pending events only, still owner-only', () => {
    const queue = eventQueue(dataDir);
    queue.accept([event('a'), event('b'), event('c')]);
    queue.done('a');
    queue.done('c');

    eventQueue(dataDir).load();

    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ accepted: event('b') }]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ids(eventQueue(dataDir).load())).toEqual(['b']);
  });

  it('ignores a last line cut short by a kill, and appends cleanly after loading', () => {
    const queue = eventQueue(dataDir);
    queue.accept([event('a')]);
    appendFileSync(file, JSON.stringify({ accepted: event('b') }).slice(0, 40));

    const restarted = eventQueue(dataDir);
    const pending = restarted.load();
    restarted.accept([event('c')]);

    expect(ids(pending)).toEqual(['a']);
    expect(ids(eventQueue(dataDir).load())).toEqual(['a', 'c']);
  });

  it('keeps nothing on disk without a data directory', () => {
    const queue = eventQueue();

    queue.accept([event('a')]);

    expect(queue.load()).toEqual([]);
  });

  it('marks an event done once delivered or dead-lettered, and a restart delivers only the rest', async () => {
    const deadLetters = deadLetterStore(dataDir);
    const first = eventDelivery({
      target: async (e) => {
        if (e.id === 'bad') throw new Error('down');
        if (e.id === 'slow') await new Promise(() => undefined);
      },
      deadLetters,
      queue: eventQueue(dataDir),
      retry: { attempts: 2, firstDelayMs: 1 },
    });
    first.send([event('ok'), event('bad'), event('slow'), event('later')]);
    await settled(() => deadLetters.list().length > 0);
    await new Promise((r) => setTimeout(r, 20));
    const delivered: string[] = [];

    const second = eventDelivery({
      target: async (e) => {
        delivered.push(e.id);
      },
      deadLetters,
      queue: eventQueue(dataDir),
    });
    const requeued = second.resume();
    await settled(() => delivered.length === 2);

    expect(requeued).toBe(2);
    expect(delivered).toEqual(['slow', 'later']);
    expect(ids(eventQueue(dataDir).load())).toEqual([]);
  });
});
