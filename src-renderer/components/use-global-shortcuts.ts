import { useEffect } from 'react';
import { redo, undo } from '../state/actions';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';

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
      if (s.dialog !== 'none' || useMap.getState().reviewOpen) return;
      if (e.key === '?') useApp.setState({ dialog: 'help' });
      else if (e.key === 'i' && s.project) useApp.setState({ dialog: 'import' });
      else if (e.key === 'p') useApp.setState({ dialog: 'project' });
      else if (e.key === 'e' && s.project) useApp.setState({ dialog: 'embed' });
      else if (e.key === 'x' && s.project) useApp.setState({ dialog: 'export' });
      else if (e.key === 'Escape' && s.detailOpen) useApp.setState({ detailOpen: false });
      else if (e.key === 'm') useMap.setState({ view: useMap.getState().view === 'map' ? 'grid' : 'map' });
      else if (e.key === 'l') useMap.setState({ tool: 'lasso' });
      else if (e.key === 'b') useMap.setState({ tool: 'box' });
      else if (e.key === 'v') useMap.setState({ tool: 'pan' });
      else if (e.key === 'r' && useMap.getState().selection.length) useMap.setState({ reviewOpen: true });
      else if (e.key === '/') (document.querySelector('input[aria-label="Query"]') as HTMLInputElement | null)?.focus();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
