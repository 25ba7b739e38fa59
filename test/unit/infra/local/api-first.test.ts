// The API before the workflows it wakes (infra/local/api-first.ts).
import { apiFirst } from '../../../../infra/local/api-first.js';

const settledWithin = async (promise: Promise<void>, ms: number) =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);

describe('apiFirst', () => {
  it('lets a woken workflow go at once when no API request is being answered', async () => {
    expect(await settledWithin(apiFirst(1000).quiet(), 20)).toBe(true);
  });

  it('holds a woken workflow until every API request under way is answered', async () => {
    // Prepare: two requests under way.
    const gate = apiFirst(5000);
    const finish: (() => void)[] = [];
    const request = () =>
      gate.answering(() => new Promise<void>((resolve) => finish.push(resolve)));
    const first = request();
    const second = request();

    // Act
    const quiet = gate.quiet();
    const afterNone = await settledWithin(quiet, 20);
    finish[0]?.();
    await first;
    const afterOne = await settledWithin(quiet, 20);
    finish[1]?.();
    await second;

    // Assess
    expect([afterNone, afterOne]).toEqual([false, false]);
    expect(await settledWithin(quiet, 20)).toBe(true);
  });

  it('lets a woken workflow go after the longest wait even while the API stays busy', async () => {
    const gate = apiFirst(50);
    let finish!: () => void;
    const busy = gate.answering(() => new Promise<void>((resolve) => (finish = resolve)));

    expect(await settledWithin(gate.quiet(), 500)).toBe(true);
    finish();
    await busy;
  });

  it('counts a request that failed as answered', async () => {
    const gate = apiFirst(5000);
    await expect(gate.answering(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await settledWithin(gate.quiet(), 20)).toBe(true);
  });
});
