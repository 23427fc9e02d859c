import { useEffect, type ReactNode } from 'react';
import { useApp } from '../state/app-store';

export function Modal({ title, children, onClose }: { title: string; children: ReactNode; onClose?: () => void }) {
  const close = onClose ?? (() => useApp.setState({ dialog: 'none' }));
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') close(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget) close(); }}>
      <div className="modal" role="dialog" aria-label={title}>
        <div className="modal-head"><h2>{title}</h2><button className="ghost" onClick={close} aria-label="Close">✕</button></div>
        {children}
      </div>
    </div>
  );
}
