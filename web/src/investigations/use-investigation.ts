// One investigation with its evidence, actions and timeline, reloaded on demand.
import { useCallback, useEffect, useState } from 'react';
import type { InvestigationDetail } from '../../../functions/api/schemas';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session-context';

export interface InvestigationState {
  detail?: InvestigationDetail;
  loading: boolean;
  error?: ApiError;
  reload(): void;
}

export function useInvestigation(id: string | undefined): InvestigationState {
  const { api } = useSession();
  const [detail, setDetail] = useState<InvestigationDetail>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError>();

  /** Loads the investigation; the returned function drops an answer that arrives too late. */
  const load = useCallback(() => {
    if (!id) return () => {};
    let current = true;
    setLoading(true);
    api
      .getInvestigation(id)
      .then((d) => {
        if (!current) return;
        setDetail(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (current) setError(e instanceof ApiError ? e : new ApiError(0, 'Unknown', String(e)));
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [api, id]);

  useEffect(() => load(), [load]);
  const reload = useCallback(() => void load(), [load]);
  return { detail: detail?.investigation.id === id ? detail : undefined, loading, error, reload };
}
