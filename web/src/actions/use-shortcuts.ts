// Keyboard shortcuts of the action tables: j/k move to the next/previous row, a approves and r
// rejects the shown action, ? lists them. Quiet while the user types or a dialog is open.
import { useEffect, useRef } from 'react';
import type { Action } from '../../../functions/api/schemas';
import type { Decision } from '../api/client';

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'j', what: 'Next action' },
  { keys: 'k', what: 'Previous action' },
  { keys: 'a', what: 'Approve the shown action' },
  { keys: 'r', what: 'Reject the shown action' },
  { keys: '?', what: 'Show these shortcuts' },
];

/** Whether a key press belongs to what the user is typing into, not to the page. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) ||
    target.getAttribute('role') === 'combobox'
  );
}

export interface ShortcutTargets {
  /** The rows in the order shown. */
  items: Action[];
  shown?: Action;
  /** Shows one row's details, as a click on it would. */
  show(action: Action): void;
  /** The shown action's decision, when the user may take it now; else nothing happens. */
  decide(decision: Exclude<Decision, 'undo'>): void;
  /** A dialog is open: its own keys rule. */
  dialogOpen: boolean;
  showHelp(): void;
}

export function useShortcuts(targets: ShortcutTargets): void {
  // Latest targets without re-adding the listener on every render.
  const latest = useRef(targets);
  latest.current = targets;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const t = latest.current;
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (t.dialogOpen || isTyping(event.target)) return;
      const index = t.shown ? t.items.findIndex((a) => a.id === t.shown?.id) : -1;
      const move = (step: number) => {
        const next = t.items[index === -1 ? 0 : index + step];
        if (next) t.show(next);
      };
      switch (event.key) {
        case 'j':
          move(1);
          break;
        case 'k':
          move(-1);
          break;
        case 'a':
          t.decide('approve');
          break;
        case 'r':
          t.decide('reject');
          break;
        case '?':
          t.showHelp();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
