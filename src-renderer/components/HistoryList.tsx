// A sample's edit history, newest last: who, when, what changed, and the label the scores
// suggested when a review decided (so a decision against the suggestion stays visible).
import type { HistoryEntry } from '../../src-shared/model/edit';

export function HistoryList({ history }: { history: HistoryEntry[] }) {
  if (history.length === 0) return null;
  return (
    <section>
      <h3>History</h3>
      <ul className="history" data-testid="label-history">
        {history.map((h, i) => (
          <li key={i}>
            <span className="muted small">{new Date(h.at).toLocaleString()} · {h.actor}</span> {h.action} {h.field}: {h.oldValue ?? '∅'} → {h.newValue ?? '∅'}
            {h.suggestedLabel !== undefined && <span className="muted small" data-testid="history-suggested"> (suggested {h.suggestedLabel ?? 'none'})</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
