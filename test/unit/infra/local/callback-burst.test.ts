// Callbacks resume their workflows together (infra/local/callback-burst.ts).
import { callbackBurst } from '../../../../infra/local/callback-burst.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When each promise settled, in ms from `start`. */
function settledAt(promises: Promise<void>[], start: number): Promise<number[]> {
  return Promise.all(promises.map((p) => p.then(() => Date.now() - start)));
}

describe('callbackBurst', () => {
  it('resumes a lone callback once the quiet period passed', async () => {
    const over = callbackBurst({ quietMs: 30, maxMs: 1000 });
    const start = Date.now();

    const [at] = await settledAt([over()], start);

    expect(at).toBeGreaterThanOrEqual(25);
    expect(at).toBeLessThan(500);
  });

  it('holds every callback of a burst until the last one is followed by quiet, then resumes them together', async () => {
    // Prepare
    const over = callbackBurst({ quietMs: 50, maxMs: 5000 });
    const start = Date.now();
    const settled: Promise<void>[] = [];

    // Act: a callback every 20 ms for 200 ms (a bulk decision's wakes).
    for (let i = 0; i < 10; i += 1) {
      settled.push(over());
      await sleep(20);
    }
    const times = await settledAt(settled, start);

    // Assess: none before the burst ended; all within a few ms of each other.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(20);
  });

  it('resumes a callback after the longest wait even while callbacks keep coming', async () => {
    // Prepare
    const over = callbackBurst({ quietMs: 50, maxMs: 150 });
    const start = Date.now();
    const first = settledAt([over()], start);

    // Act: a callback every 20 ms for 400 ms.
    for (let i = 0; i < 20; i += 1) {
      await sleep(20);
      void over();
    }
    const [at] = await first;

    // Assess
    expect(at).toBeGreaterThanOrEqual(145);
    expect(at).toBeLessThan(380);
  });
});
