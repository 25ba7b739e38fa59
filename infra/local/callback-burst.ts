// Callbacks resume their workflows together. In AWS a decision's answer and the workflows it
// resumes run in different functions; here they share one thread, so the 100 workflows one bulk
// decision wakes would run between that call's remaining wakes, and a single approve's remediation
// would run before its answer is sent. A wait that SendTaskSuccess or SendTaskFailure settled
// continues once no callback has arrived for `quietMs`, or `maxMs` after its own at the latest, so
// a steady stream of callbacks cannot hold workflows back. No request is waited for: an undo that
// wakes its workflow and then waits for it is not held up by itself.

/** A callback arrived: settles when its burst of callbacks is over (or after the longest wait). */
export type BurstOver = () => Promise<void>;

export function callbackBurst(options: { quietMs: number; maxMs: number }): BurstOver {
  let quiet: NodeJS.Timeout | undefined;
  let waiting = new Set<() => void>();
  const release = () => {
    quiet = undefined;
    const ready = waiting;
    waiting = new Set();
    for (const go of ready) go();
  };
  return () =>
    new Promise<void>((resolve) => {
      // This callback continues the burst: the quiet period starts again.
      clearTimeout(quiet);
      quiet = setTimeout(release, options.quietMs);
      const go = () => {
        clearTimeout(latest);
        waiting.delete(go);
        resolve();
      };
      const latest = setTimeout(go, options.maxMs);
      waiting.add(go);
    });
}
