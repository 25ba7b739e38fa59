// One tab's list of actions: the first page for the current filters, "load more" with the
// cursor, refresh that keeps what was loaded, and a quiet poll while an action is in flight.
import { useCallback, useEffect, useMemo } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionQuery, ApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import { TRANSITIONAL_STATUSES } from '../common/labels';
import { useFetch } from '../common/use-fetch';

const POLL_MS = 3000;
const MAX_LIMIT = 200;

export interface ActionList {
  items: Action[];
  nextCursor: string | null;
  /** How many actions the whole list holds (as of the first page), and whether more may. */
  total: number;
  totalIsLowerBound: boolean;
  loading: boolean;
  loadingMore: boolean;
  error?: ApiError;
  loadMore(): void;
  refresh(): void;
  /** Puts the server's copy of an action in place of the listed one. */
  replace(action: Action): void;
  remove(ids: readonly string[]): void;
}

interface Listed {
  items: Action[];
  nextCursor: string | null;
  total: number;
  totalIsLowerBound: boolean;
  /** How many were loaded, removed ones included: a refresh reloads as many. */
  loaded: number;
}

export function useActionList(query: ActionQuery, pageSize: number): ActionList {
  const { api } = useSession();
  const key = JSON.stringify(query);
  const load = useCallback(
    async (previous?: Listed): Promise<Listed> => {
      const limit = Math.min(MAX_LIMIT, Math.max(pageSize, previous?.loaded ?? 0));
      const page = await api.listActions(JSON.parse(key) as ActionQuery, { limit });
      return { ...page, loaded: page.items.length };
    },
    [api, key, pageSize],
  );
  const list = useFetch(load);
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const nextCursor = list.data?.nextCursor ?? null;
  const { reload, poll, update, extend } = list;

  const loadMore = useCallback(() => {
    extend(async ({ nextCursor: cursor }) => {
      if (!cursor) return (listed) => listed;
      const page = await api.listActions(JSON.parse(key) as ActionQuery, {
        limit: pageSize,
        cursor,
      });
      return (listed) => {
        const seen = new Set(listed.items.map((a) => a.id));
        const merged = [...listed.items, ...page.items.filter((a) => !seen.has(a.id))];
        return {
          items: merged,
          nextCursor: page.nextCursor,
          total: page.total,
          totalIsLowerBound: page.totalIsLowerBound,
          loaded: merged.length,
        };
      };
    });
  }, [api, key, pageSize, extend]);

  const inFlight = items.some((a) => TRANSITIONAL_STATUSES.includes(a.status));
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(poll, POLL_MS);
    return () => clearInterval(timer);
  }, [inFlight, poll]);

  const replace = useCallback(
    (action: Action) =>
      update((listed) => ({
        ...listed,
        items: listed.items.map((a) => (a.id === action.id ? action : a)),
      })),
    [update],
  );
  const remove = useCallback(
    (ids: readonly string[]) =>
      update((listed) => {
        const items = listed.items.filter((a) => !ids.includes(a.id));
        // A decided or lapsed row left the list: it counts one fewer.
        const total = Math.max(0, listed.total - (listed.items.length - items.length));
        return { ...listed, items, total };
      }),
    [update],
  );

  return {
    items,
    nextCursor,
    total: list.data?.total ?? 0,
    totalIsLowerBound: list.data?.totalIsLowerBound ?? false,
    loading: list.loading,
    loadingMore: list.extending,
    error: list.error,
    loadMore,
    refresh: reload,
    replace,
    remove,
  };
}
