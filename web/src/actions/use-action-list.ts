// One tab's list of actions: the first page for the current filters, "load more" with the
// cursor, refresh that keeps what was loaded, and a quiet poll while an action is in flight.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Action } from '../../../functions/api/schemas';
import { type ActionQuery, ApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import { TRANSITIONAL_STATUSES } from '../common/labels';

const POLL_MS = 3000;
const MAX_LIMIT = 200;

export interface ActionList {
  items: Action[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error?: ApiError;
  loadMore(): void;
  refresh(): void;
  /** Puts the server's copy of an action in place of the listed one. */
  replace(action: Action): void;
  remove(ids: readonly string[]): void;
}

export function useActionList(query: ActionQuery, pageSize: number): ActionList {
  const { api } = useSession();
  const [items, setItems] = useState<Action[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError>();
  const loaded = useRef(0);
  /** Answers to a superseded request (the filters changed meanwhile) are dropped. */
  const generation = useRef(0);
  const key = JSON.stringify(query);

  const fetchFirst = useCallback(
    async (limit: number, quiet: boolean) => {
      const mine = ++generation.current;
      if (!quiet) setLoading(true);
      try {
        const page = await api.listActions(JSON.parse(key) as ActionQuery, { limit });
        if (mine !== generation.current) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        loaded.current = page.items.length;
        setError(undefined);
      } catch (e) {
        if (mine !== generation.current) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'Unknown', String(e)));
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    [api, key],
  );

  useEffect(() => {
    setItems([]);
    setNextCursor(null);
    loaded.current = 0;
    void fetchFirst(pageSize, false);
  }, [fetchFirst, pageSize]);

  const refresh = useCallback(() => {
    void fetchFirst(Math.min(MAX_LIMIT, Math.max(pageSize, loaded.current)), false);
  }, [fetchFirst, pageSize]);

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const page = await api.listActions(JSON.parse(key) as ActionQuery, {
        limit: pageSize,
        cursor: nextCursor,
      });
      if (mine !== generation.current) return;
      setItems((all) => {
        const seen = new Set(all.map((a) => a.id));
        const merged = [...all, ...page.items.filter((a) => !seen.has(a.id))];
        loaded.current = merged.length;
        return merged;
      });
      setNextCursor(page.nextCursor);
    } catch (e) {
      if (mine === generation.current) {
        setError(e instanceof ApiError ? e : new ApiError(0, 'Unknown', String(e)));
      }
    } finally {
      setLoadingMore(false);
    }
  }, [api, key, nextCursor, pageSize]);

  const inFlight = items.some((a) => TRANSITIONAL_STATUSES.includes(a.status));
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(
      () => void fetchFirst(Math.min(MAX_LIMIT, Math.max(pageSize, loaded.current)), true),
      POLL_MS,
    );
    return () => clearInterval(timer);
  }, [inFlight, fetchFirst, pageSize]);

  const replace = useCallback((action: Action) => {
    setItems((all) => all.map((a) => (a.id === action.id ? action : a)));
  }, []);
  const remove = useCallback((ids: readonly string[]) => {
    setItems((all) => all.filter((a) => !ids.includes(a.id)));
  }, []);

  return {
    items,
    nextCursor,
    loading,
    loadingMore,
    error,
    loadMore: () => void loadMore(),
    refresh,
    replace,
    remove,
  };
}
