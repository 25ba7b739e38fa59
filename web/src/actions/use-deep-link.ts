// A deep link (#/actions/{id}) shows that action even when it is not in the loaded list; one that
// is no longer pending opens selected in History instead.
import { useEffect, useMemo } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { useSession } from '../auth/session-context';
import { useNotifications } from '../common/notifications';
import { hrefOf, navigate } from '../common/route';
import { useFetch } from '../common/use-fetch';
import { selectionKey } from './use-selection';

export function useDeepLink(
  tab: ActionTab,
  actionId: string | undefined,
  focus: (action: Action) => void,
): void {
  const { api } = useSession();
  const { notify } = useNotifications();
  const load = useMemo(
    () => (actionId ? () => api.getAction(actionId) : undefined),
    [api, actionId],
  );
  const { data: linked, error } = useFetch(load);

  useEffect(() => {
    if (!linked) return;
    if (linked.status !== 'Pending' && tab === 'pending') {
      navigate(hrefOf.tab('history'));
      sessionStorage.setItem(selectionKey('history'), JSON.stringify([linked.id]));
      return;
    }
    focus(linked);
  }, [linked, tab, focus]);

  useEffect(() => {
    if (error && actionId) notify({ type: 'error', header: `Action ${actionId} was not found.` });
  }, [error, actionId, notify]);
}
