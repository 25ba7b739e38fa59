// Expiry as it happens: a pending action whose expiry passes while the page shows it leaves the
// Pending list, and the panel shows it Expired, before any click could be answered 410.
import { useEffect, useState } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import type { ActionList } from './use-action-list';
import type { Selection } from './use-selection';

const lapsed = (action: Action, now: number) =>
  action.status === 'Pending' && Date.parse(action.expiresAt) <= now;

/** Browsers fire longer timeouts at once (32-bit milliseconds): wake up at least this often. */
const MAX_WAIT_MS = 3_600_000;

export function useLiveExpiry(
  tab: ActionTab,
  list: Pick<ActionList, 'items' | 'remove'>,
  selection: Pick<Selection, 'shown' | 'focus'>,
): void {
  const [now, setNow] = useState(() => Date.now());
  const { items, remove } = list;
  const { shown, focus } = selection;

  useEffect(() => {
    if (tab === 'pending') {
      const gone = items.filter((a) => lapsed(a, now)).map((a) => a.id);
      if (gone.length > 0) remove(gone);
    }
    // The API reads a lapsed Pending action as Expired too (presentAction): the page says so now.
    if (shown && lapsed(shown, now)) focus({ ...shown, status: 'Expired' });
  }, [tab, items, remove, shown, focus, now]);

  // Woken at the next expiry itself, so the list changes the moment a countdown runs out.
  useEffect(() => {
    const watched = shown ? [...items, shown] : items;
    const next = Math.min(
      ...watched
        .filter((a) => a.status === 'Pending')
        .map((a) => Date.parse(a.expiresAt))
        .filter((at) => at > now),
    );
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(MAX_WAIT_MS, next - Date.now()));
    return () => clearTimeout(timer);
  }, [items, shown, now]);
}
