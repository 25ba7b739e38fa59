import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { DEAD_LETTER_FILE, deadLetterStore } from '../../../../infra/local/dead-letter-store.js';
import { eventDelivery } from '../../../../infra/local/event-delivery.js';
import { eventQueue } from '../../../../infra/local/event-queue.js';

const RETRY = { attempts: 3, firstDelayMs: 5 };
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
const settled = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('delivering events to the rule target', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'action-center-dlq-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('retries a failing delivery and dead-letters it, owner-only, once the attempts run out', async () => {
    const deadLetters = deadLetterStore(dataDir);
    let calls = 0;
    const delivery = eventDelivery({
      target: async () => {
        calls += 1;
        throw new Error('table unavailable');
      },
      deadLetters,
      queue: eventQueue(dataDir),
      retry: RETRY,
    });

    delivery.send([event('e-1')]);
    await settled(() => deadLetters.list().length > 0);

    expect(calls).toBe(3);
    expect(deadLetters.list()).toMatchObject([
      { event: { id: 'e-1' }, error: 'table unavailable', attempts: 3 },
    ]);
    expect(statSync(join(dataDir, DEAD_LETTER_FILE)).mode & 0o777).toBe(0o600);
    expect(deadLetterStore(dataDir).list()).toHaveLength(1);
  });

  it('delivers an event that fails once without dead-lettering it', async () => {
    const deadLetters = deadLetterStore(dataDir);
    const delivered: string[] = [];
    let failures = 1;
    const delivery = eventDelivery({
      target: async (e) => {
        if (failures-- > 0) throw new Error('throttled');
        delivered.push(e.id);
      },
      deadLetters,
      queue: eventQueue(dataDir),
      retry: RETRY,
    });

    delivery.send([event('e-2')]);
    await settled(() => delivered.length > 0);

    expect(delivered).toEqual(['e-2']);
    expect(deadLetters.list()).toEqual([]);
  });

  it('redrives the dead letters to the target and empties the store', async () => {
    const deadLetters = deadLetterStore(dataDir);
    let healthy = false;
    const delivered: string[] = [];
    const delivery = eventDelivery({
      target: async (e) => {
        if (!healthy) throw new Error('down');
        delivered.push(e.id);
      },
      deadLetters,
      queue: eventQueue(dataDir),
      retry: RETRY,
    });
    delivery.send([event('e-3')]);
    await settled(() => deadLetters.list().length > 0);
    healthy = true;

    const redriven = delivery.redrive();
    await settled(() => delivered.length > 0);

    expect(redriven).toBe(1);
    expect(delivered).toEqual(['e-3']);
    expect(deadLetters.list()).toEqual([]);
  });

  it('dead-letters, rather than loses, what still waits for a retry when it closes', async () => {
    const deadLetters = deadLetterStore(dataDir);
    const delivery = eventDelivery({
      target: async () => {
        throw new Error('down');
      },
      deadLetters,
      queue: eventQueue(dataDir),
      retry: { attempts: 5, firstDelayMs: 60_000 },
    });
    delivery.send([event('e-4'), event('e-5')]);
    await new Promise((r) => setTimeout(r, 10));

    await delivery.close();

    expect(deadLetters.list().map((l) => l.event.id)).toEqual(['e-4', 'e-5']);
  });
});
