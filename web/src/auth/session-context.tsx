// Who is signed in and the API client that acts as them, for every page below the sign-in.
import { createContext, useContext } from 'react';
import type { Category, Me } from '../../../functions/api/schemas';
import type { ApiClient } from '../api/client';

export interface Session {
  api: ApiClient;
  me: Me;
  signOut(): void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** Mirrors functions/core/permissions.ts through `GET /me`'s `can`; the API has the last word. */
export function mayDecide(me: Me, category: Category): boolean {
  return category === 'endpoint' ? me.can.decideEndpoint : me.can.decideEmail;
}

export function mayDecideAny(me: Me): boolean {
  return me.can.decideEndpoint || me.can.decideEmail;
}
