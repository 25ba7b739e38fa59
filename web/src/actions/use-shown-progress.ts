// The panel follows a decided action that has left the list (approved from Pending): while the
// workflow still moves it on, it is read again, so the panel does not stop at Approved.
import { useEffect, useRef } from 'react';
import { useSession } from '../auth/session-context';
import { TRANSITIONAL_STATUSES } from '../common/labels';
import type { ActionList } from './use-action-list';
import type { Selection } from './use-selection';

const POLL_MS = 3000;

export function useShownProgress(
  list: Pick<ActionList, 'items'>,
  selection: Pick<Selection, 'shown' | 'focus'>,
): void {
  const { api } = useSession();
  const { shown, focus } = selection;
  // An answer that arrives after the user moved on must not take the panel back.
  const shownId = useRef(shown?.id);
  shownId.current = shown?.id;
  // Listed actions are polled with the list; only one shown from outside it is read here.
  const outside = shown && !list.items.some((a) => a.id === shown.id) ? shown : undefined;
  const id = outside && TRANSITIONAL_STATUSES.includes(outside.status) ? outside.id : undefined;
  useEffect(() => {
    if (!id) return;
    const timer = setInterval(() => {
      api.getAction(id).then(
        (action) => {
          if (shownId.current === action.id) focus(action);
        },
        () => {
          // A failed read leaves the panel as it was; the next one may do better.
        },
      );
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [api, id, focus]);
}
