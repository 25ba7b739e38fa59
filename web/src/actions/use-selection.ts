// Which actions the split panel shows: the selected rows, kept by id so the selection survives
// refreshes and reloads, or one action focused by a deep link; and whether the panel is open.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { ActionTab } from '../api/client';
import { useStoredState } from '../common/hooks';
import type { ActionList } from './use-action-list';

/** Where a tab's selection is kept for the browser session. */
export const selectionKey = (tab: ActionTab) => `actionCenter.selection.${tab}`;

const isIdList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((id) => typeof id === 'string');

export interface Selection {
  selected: Action[];
  select(actions: Action[]): void;
  /** Selects one action and moves focus into its details (a row or target link followed). */
  open(action: Action): void;
  /** Counts the `open`s: the panel takes focus each time it changes. */
  focusRequest: number;
  /** Shows one action that need not be in the loaded list, with nothing selected. */
  focus(action: Action): void;
  /** The action whose details the panel shows: the only selected one, else the focused one. */
  shown?: Action;
  /** What the split panel holds: the shown action's details, a summary of several, or nothing. */
  panel: 'details' | 'summary' | 'none';
  panelOpen: boolean;
  setPanelOpen(open: boolean): void;
}

export function useSelection(
  tab: ActionTab,
  list: Pick<ActionList, 'items' | 'loading'>,
): Selection {
  const [storedSelection, setStoredSelection] = useStoredState<string[]>(
    selectionKey(tab),
    [],
    isIdList,
    'session',
  );
  const selectedIds = useRef(storedSelection);
  const [selected, setSelected] = useState<Action[]>([]);
  const [focused, setFocused] = useState<Action>();
  const [panelOpen, setPanelOpen] = useState(true);
  const [focusRequest, setFocusRequest] = useState(0);

  const select = (actions: Action[]) => {
    selectedIds.current = actions.map((a) => a.id);
    setStoredSelection(selectedIds.current);
    setSelected(actions);
    if (actions.length > 0) {
      setPanelOpen(true);
      setFocused(undefined);
    }
  };
  const open = (action: Action) => {
    select([action]);
    setFocusRequest((n) => n + 1);
  };
  // Stable, so that an effect may call it once per linked action.
  const focus = useCallback((action: Action) => {
    selectedIds.current = [];
    setSelected([]);
    setFocused(action);
    setPanelOpen(true);
  }, []);

  useEffect(() => {
    if (list.loading) return;
    const byId = new Map(list.items.map((a) => [a.id, a]));
    setSelected(selectedIds.current.flatMap((id) => byId.get(id) ?? []));
  }, [list.items, list.loading]);

  const shown = selected.length === 1 ? selected[0] : selected.length === 0 ? focused : undefined;
  const panel = shown ? 'details' : selected.length > 1 ? 'summary' : 'none';
  return { selected, select, open, focusRequest, focus, shown, panel, panelOpen, setPanelOpen };
}
