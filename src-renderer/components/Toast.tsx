// Two toasts: errors (role alert, red) and notices (what undo/redo or a bulk step just did, role
// status), each dismissed by a click or after a while; a new one replaces the old of its kind.
import { useEffect } from 'react';
import { useApp } from '../state/app-store';

const ERROR_MS = 8000;
const NOTICE_MS = 5000;

export function Toast() {
  const toast = useApp((s) => s.toast);
  const notice = useApp((s) => s.notice);
  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => useApp.setState({ toast: null }), ERROR_MS);
    return () => clearTimeout(t);
  }, [toast]);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => useApp.setState({ notice: null }), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice]);
  return (
    <div className="toasts">
      {notice && <div className="toast notice" role="status" data-testid="notice" onClick={() => useApp.setState({ notice: null })}>{notice}</div>}
      {toast && <div className="toast" role="alert" onClick={() => useApp.setState({ toast: null })}>{toast}</div>}
    </div>
  );
}
