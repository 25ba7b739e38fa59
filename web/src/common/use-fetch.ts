// One way to load from the API: the newest request wins, answers to a superseded one (the page,
// filter or id changed, a refresh started) are dropped, and every failure becomes an ApiError.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';

export function apiErrorOf(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(0, 'Unknown', String(error));
}

/** Loads the data; on a reload `previous` is what was loaded before (e.g. to keep its length). */
export type Load<T> = (previous?: T) => Promise<T>;

export interface Fetched<T> {
  /** What the current `load` answered; cleared when `load` changes. */
  data?: T;
  loading: boolean;
  /** A follow-up request (`extend`) is running. */
  extending: boolean;
  /** The last failure; the data loaded before it stays. */
  error?: ApiError;
  /** Loads again and keeps the data meanwhile. */
  reload(): void;
  /** Loads again without showing it: `loading` stays as it is. */
  poll(): void;
  /** Changes the loaded data in place (an action decided or removed). */
  update(change: (data: T) => T): void;
  /** Runs a follow-up request (the next page) that changes the data unless a newer load started. */
  extend(request: (data: T) => Promise<(data: T) => T>): void;
}

/**
 * Loads with `load` whenever it changes (memoize it with useCallback); `undefined` loads nothing.
 */
export function useFetch<T>(load: Load<T> | undefined): Fetched<T> {
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(load !== undefined);
  const [extending, setExtending] = useState(false);
  const [error, setError] = useState<ApiError>();
  /** Each load takes the next number; only the newest one's answer is kept. */
  const generation = useRef(0);
  /** The data as last set, for reload and extend to start from without a stale closure. */
  const latest = useRef<T>(undefined);

  const keep = useCallback((next: T | undefined) => {
    latest.current = next;
    setData(next);
  }, []);

  const run = useCallback(
    (previous: T | undefined, quiet: boolean) => {
      if (!load) return;
      const mine = ++generation.current;
      if (!quiet) setLoading(true);
      load(previous)
        .then(
          (next) => {
            if (mine !== generation.current) return;
            keep(next);
            setError(undefined);
          },
          (e: unknown) => {
            if (mine === generation.current) setError(apiErrorOf(e));
          },
        )
        .finally(() => {
          if (mine === generation.current) setLoading(false);
        });
    },
    [load, keep],
  );

  useEffect(() => {
    keep(undefined);
    setError(undefined);
    if (load) run(undefined, false);
    else setLoading(false);
    return () => {
      generation.current++;
    };
  }, [load, run, keep]);

  const reload = useCallback(() => run(latest.current, false), [run]);
  const poll = useCallback(() => run(latest.current, true), [run]);

  const update = useCallback(
    (change: (data: T) => T) => {
      if (latest.current !== undefined) keep(change(latest.current));
    },
    [keep],
  );

  const extend = useCallback(
    (request: (data: T) => Promise<(data: T) => T>) => {
      if (latest.current === undefined) return;
      const mine = generation.current;
      setExtending(true);
      request(latest.current)
        .then(
          (change) => {
            if (mine === generation.current && latest.current !== undefined) {
              keep(change(latest.current));
            }
          },
          (e: unknown) => {
            if (mine === generation.current) setError(apiErrorOf(e));
          },
        )
        .finally(() => setExtending(false));
    },
    [keep],
  );

  return { data, loading, extending, error, reload, poll, update, extend };
}
