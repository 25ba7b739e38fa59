// The investigation of the action the details panel shows, reloaded when that action changes on
// the server (decided, finished): its timeline changed too.
import { useEffect, useRef } from 'react';
import type { Action } from '../../../functions/api/schemas';
import { type InvestigationState, useInvestigation } from '../investigations/use-investigation';

export function useShownInvestigation(shown: Action | undefined): InvestigationState {
  const investigation = useInvestigation(shown?.investigationId);
  const shownVersion = shown ? `${shown.id}@${shown.updatedAt}` : undefined;
  const lastShown = useRef(shownVersion);
  const { reload } = investigation;
  useEffect(() => {
    const [id] = shownVersion?.split('@') ?? [];
    const [lastId] = lastShown.current?.split('@') ?? [];
    if (shownVersion && id === lastId && shownVersion !== lastShown.current) reload();
    lastShown.current = shownVersion;
  }, [shownVersion, reload]);
  return investigation;
}
