import { useEffect } from 'react';
import { useApp } from '../state/app-store';

export function Toast() {
  const toast = useApp((s) => s.toast);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => useApp.setState({ toast: null }), 8000);
    return () => clearTimeout(t);
  }, [toast]);
  if (!toast) return null;
  return <div className="toast" role="alert" onClick={() => useApp.setState({ toast: null })}>{toast}</div>;
}
