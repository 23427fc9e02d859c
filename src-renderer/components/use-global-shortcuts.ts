import { useEffect } from 'react';
import { redo, undo } from '../state/actions';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';
import { commandForKey, runCommand } from './commands';

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

/** Keys of the shortcut table, dispatched through the same commands (and enabled-state) as the buttons. */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const s = useApp.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && s.project) {
        e.preventDefault();
        void (e.shiftKey ? redo() : undo());
        return;
      }
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'y' && s.project) {
        e.preventDefault();
        void redo();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (s.dialog !== 'none' || useMap.getState().reviewOpen) return;
      if (e.key === 'Escape' && s.detailOpen) {
        useApp.setState({ detailOpen: false });
        e.preventDefault();
        return;
      }
      const id = commandForKey(e.key);
      if (!id) return;
      e.preventDefault();
      runCommand(id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
