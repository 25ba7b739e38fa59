// Hash routes, so the page works from any static host (S3 + CloudFront, the local runtime).
import { useEffect, useState } from 'react';
import type { ActionTab } from '../api/client';

export type Route =
  | { page: 'actions'; tab: ActionTab; actionId?: string }
  | { page: 'investigations' }
  | { page: 'investigation'; id: string }
  | { page: 'rejectedAlerts' }
  /** A decision link as a notification carries it: `#/decide/<token>`. */
  | { page: 'decide'; token: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second] = parts;
  if (first === 'history') return { page: 'actions', tab: 'history' };
  if (first === 'actions' && second) return { page: 'actions', tab: 'pending', actionId: second };
  if (first === 'investigations' && second) return { page: 'investigation', id: second };
  if (first === 'investigations') return { page: 'investigations' };
  if (first === 'alerts' && second === 'rejected') return { page: 'rejectedAlerts' };
  if (first === 'decide' && second) return { page: 'decide', token: second };
  return { page: 'actions', tab: 'pending' };
}

export const hrefOf = {
  tab: (tab: ActionTab) => `#/${tab}`,
  action: (id: string) => `#/actions/${encodeURIComponent(id)}`,
  investigations: () => '#/investigations',
  investigation: (id: string) => `#/investigations/${encodeURIComponent(id)}`,
  rejectedAlerts: () => '#/alerts/rejected',
};

export function navigate(href: string): void {
  location.hash = href.replace(/^#/, '');
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
