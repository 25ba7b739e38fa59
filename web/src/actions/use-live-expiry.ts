// Expiry as it happens: a pending action whose expiry passes while the page shows it leaves the
// Pending list, and the panel shows it Expired, before any click could be answered 410.
import { useEffect } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { useNow } from '../common/hooks';
import type { ActionList } from './use-action-list';
import type { Selection } from './use-selection';

const lapsed = (action: Action, now: number) =>
  action.status === 'Pending' && Date.parse(action.expiresAt) <= now;

export function useLiveExpiry(
  tab: ActionTab,
  list: Pick<ActionList, 'items' | 'remove'>,
  selection: Pick<Selection, 'shown' | 'focus'>,
): void {
  const now = useNow(1000);
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
}
