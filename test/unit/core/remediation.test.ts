// The rules of a remediation that runs on its target: polling with backoff, never past the
// connector's deadline, transient failures retried a bounded number of times.
import {
  afterTransientFailure,
  type ConnectorRetry,
  isDue,
  isPastDeadline,
  POLLING,
  type RemediationTracking,
  startTracking,
  stillRunning,
  timedOutDetail,
} from '../../../functions/core/remediation.js';
import { at, atDate, T0 } from './builders.js';

const RETRY: ConnectorRetry = { intervalSeconds: 2, maxAttempts: 3, backoffRate: 2 };

/** The check delays, in seconds, of `count` "still running" answers in a row, each when due. */
function pollingDelays(count: number, timeoutSeconds = 86_400): number[] {
  let tracking = startTracking(T0, timeoutSeconds);
  let now = T0;
  const delays: number[] = [];
  for (let i = 0; i < count; i += 1) {
    tracking = stillRunning(tracking, now, undefined);
    const next = new Date(tracking.checkAt);
    delays.push((next.getTime() - now.getTime()) / 1000);
    now = next;
  }
  return delays;
}

describe('startTracking', () => {
  it('is due at once, not yet submitted, with the deadline one timeout away', () => {
    expect(startTracking(T0, 600)).toEqual({
      submitted: false,
      checks: 0,
      failures: 0,
      checkAt: at(0),
      deadline: at(600),
    });
  });
});

describe('stillRunning', () => {
  it('asks again after 2, 4, 8 ... seconds, never more than 300 apart', () => {
    expect(pollingDelays(10)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    expect(POLLING.maxSeconds).toBe(300);
  });

  it('never schedules a check past the deadline', () => {
    const delays = pollingDelays(5, 20);

    expect(delays.slice(0, 4)).toEqual([2, 4, 8, 6]);
    const last = stillRunning(startTracking(T0, 20), atDate(19), undefined);
    expect(last.checkAt).toBe(at(20));
  });

  it('marks the action submitted, keeps the first ref, and clears the failures', () => {
    const failing: RemediationTracking = { ...startTracking(T0, 600), failures: 2 };

    const first = stillRunning(failing, T0, 'job-1');
    const second = stillRunning(first, atDate(2), undefined);

    expect(first).toMatchObject({ submitted: true, ref: 'job-1', checks: 1, failures: 0 });
    expect(second).toMatchObject({ ref: 'job-1', checks: 2 });
  });

  it('has no ref when the target gave none', () => {
    expect(stillRunning(startTracking(T0, 600), T0, undefined)).not.toHaveProperty('ref');
  });

  it('keeps what the target last said of the running action', () => {
    const waiting = stillRunning(startTracking(T0, 600), T0, undefined, 'waiting for its turn');
    const started = stillRunning(waiting, atDate(2), 'ma-1', 'machine action ma-1 is Pending');

    expect(waiting.detail).toBe('waiting for its turn');
    expect(started).toMatchObject({ ref: 'ma-1', detail: 'machine action ma-1 is Pending' });
  });
});

describe('afterTransientFailure', () => {
  it('tries again after the retry backoff, then gives up after maxAttempts', () => {
    const start = startTracking(T0, 600);

    const first = afterTransientFailure(start, T0, RETRY);
    const second = first && afterTransientFailure(first, T0, RETRY);
    const third = second && afterTransientFailure(second, T0, RETRY);
    const fourth = third && afterTransientFailure(third, T0, RETRY);

    expect([first, second, third].map((t) => [t?.failures, t?.checkAt])).toEqual([
      [1, at(2)],
      [2, at(4)],
      [3, at(8)],
    ]);
    expect(fourth).toBeUndefined();
  });

  it('gives up at the first failure when no retries are allowed', () => {
    expect(
      afterTransientFailure(startTracking(T0, 600), T0, { ...RETRY, maxAttempts: 0 }),
    ).toBeUndefined();
  });

  it('keeps what the target answered before', () => {
    const running = stillRunning(startTracking(T0, 600), T0, 'job-1');

    expect(afterTransientFailure(running, atDate(2), RETRY)).toMatchObject({
      submitted: true,
      ref: 'job-1',
      checks: 1,
    });
  });
});

describe('isDue and isPastDeadline', () => {
  const tracking: RemediationTracking = {
    submitted: true,
    checks: 1,
    failures: 0,
    checkAt: at(10),
    deadline: at(60),
  };

  it('is due from the check time on', () => {
    expect([9.999, 10, 11].map((s) => isDue(tracking, atDate(s)))).toEqual([false, true, true]);
  });

  it('is past the deadline from the deadline on', () => {
    expect([59, 60, 61].map((s) => isPastDeadline(tracking, atDate(s)))).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe('timedOutDetail', () => {
  it('names the connector and its timeout', () => {
    expect(timedOutDetail('webhook', 3600)).toBe(
      "The webhook connector's target did not finish the action within 3600 s",
    );
  });
});
