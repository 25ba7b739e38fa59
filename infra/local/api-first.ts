// The API before the workflows it wakes. In AWS a decision's answer and the workflow it resumes run
// in different functions; here they share one thread, so 100 workflows woken by one bulk decision
// would run between that call's remaining wakes. A wait a decision resumed continues once the API
// requests under way are answered, or after `maxWaitMs`, so a busy API cannot hold workflows back.

export interface ApiFirst {
  /** Runs an API request, counted while it is answered. */
  answering<T>(request: () => Promise<T>): Promise<T>;
  /** Settles once no API request is being answered, or after the longest wait. */
  quiet(): Promise<void>;
}

export function apiFirst(maxWaitMs: number): ApiFirst {
  let answering = 0;
  let waiting = new Set<() => void>();
  const release = () => {
    const ready = waiting;
    waiting = new Set();
    for (const go of ready) go();
  };
  return {
    async answering(request) {
      answering += 1;
      try {
        return await request();
      } finally {
        answering -= 1;
        if (answering === 0) release();
      }
    },
    quiet() {
      if (answering === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const go = () => {
          clearTimeout(timer);
          waiting.delete(go);
          resolve();
        };
        const timer = setTimeout(go, maxWaitMs);
        waiting.add(go);
      });
    },
  };
}
