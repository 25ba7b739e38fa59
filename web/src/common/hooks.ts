// Small React hooks the pages share.
import { useEffect, useState } from 'react';

/** The current time, ticking every `intervalMs` (countdowns). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * State kept in web storage under `key`: localStorage for choices that outlive the visit (column
 * preferences), sessionStorage for what a reload should keep (filters, selection). Stored values
 * that `accept` refuses are ignored.
 */
export function useStoredState<T>(
  key: string,
  initial: T,
  accept: (stored: unknown) => stored is T,
  storage: 'local' | 'session' = 'local',
): [T, (value: T) => void] {
  const store = storage === 'local' ? localStorage : sessionStorage;
  const [value, setValue] = useState<T>(() => {
    try {
      const stored: unknown = JSON.parse(store.getItem(key) ?? 'null');
      return accept(stored) ? stored : initial;
    } catch {
      return initial;
    }
  });
  const keep = (next: T) => {
    setValue(next);
    try {
      store.setItem(key, JSON.stringify(next));
    } catch {
      // A full or disabled storage only loses the preference.
    }
  };
  return [value, keep];
}

/** Whether the window matches a CSS media query, following it as the window is resized. */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const follow = () => setMatches(list.matches);
    follow();
    list.addEventListener('change', follow);
    return () => list.removeEventListener('change', follow);
  }, [query]);
  return matches;
}
