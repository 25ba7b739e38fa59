// One investigation with its evidence, actions and timeline, reloaded on demand.
import { useMemo } from 'react';
import type { InvestigationDetail } from '../../../functions/api/schemas';
import type { ApiError } from '../api/client';
import { useSession } from '../auth/session-context';
import { useFetch } from '../common/use-fetch';

export interface InvestigationState {
  detail?: InvestigationDetail;
  loading: boolean;
  error?: ApiError;
  reload(): void;
}

export function useInvestigation(id: string | undefined): InvestigationState {
  const { api } = useSession();
  const load = useMemo(() => (id ? () => api.getInvestigation(id) : undefined), [api, id]);
  const { data, loading, error, reload } = useFetch(load);
  // Until the effect clears it, the data is still the previous id's for one render.
  return { detail: data?.investigation.id === id ? data : undefined, loading, error, reload };
}
