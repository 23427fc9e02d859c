import { useEffect } from 'react';
import { redo, undo } from '../state/actions';
import { useApp } from '../state/app-store';

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
}

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
      if (s.dialog !== 'none') return;
      if (e.key === '?') useApp.setState({ dialog: 'help' });
      else if (e.key === 'i' && s.project) useApp.setState({ dialog: 'import' });
      else if (e.key === 'p') useApp.setState({ dialog: 'project' });
      else if (e.key === 'e' && s.project) useApp.setState({ dialog: 'embed' });
      else if (e.key === 'Escape' && s.detailOpen) useApp.setState({ detailOpen: false });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
