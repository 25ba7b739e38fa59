// Page-wide messages (the Flashbar at the top): successes of decisions and failures of exports.
import type { FlashbarProps } from '@cloudscape-design/components/flashbar';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export interface Notice {
  type: FlashbarProps.Type;
  header?: ReactNode;
  content?: ReactNode;
  action?: ReactNode;
}

interface Notifications {
  items: FlashbarProps.MessageDefinition[];
  notify(notice: Notice): void;
}

const NotificationsContext = createContext<Notifications>({ items: [], notify: () => {} });

const MAX_SHOWN = 4;
let nextId = 0;

export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<FlashbarProps.MessageDefinition[]>([]);
  const notify = useCallback((notice: Notice) => {
    nextId += 1;
    const id = `notice-${nextId}`;
    const dismiss = () => setItems((all) => all.filter((i) => i.id !== id));
    setItems((all) => [
      { ...notice, id, dismissible: true, dismissLabel: 'Dismiss message', onDismiss: dismiss },
      ...all.slice(0, MAX_SHOWN - 1),
    ]);
  }, []);
  const value = useMemo(() => ({ items, notify }), [items, notify]);
  return <NotificationsContext.Provider value={value}>{children}</NotificationsContext.Provider>;
}

export const useNotifications = () => useContext(NotificationsContext);
