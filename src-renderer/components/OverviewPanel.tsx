import { useApp } from '../state/app-store';

export function OverviewPanel() {
  const overview = useApp((s) => s.project?.overview);
  const labelFilter = useApp((s) => s.labelFilter);
  if (!overview) return null;
  const max = Math.max(1, ...overview.byLabel.map((e) => e.count));
  return (
    <aside className="overview" aria-label="Dataset overview">
      <h2><span data-testid="total-count">{overview.total.toLocaleString()}</span> samples</h2>
      {overview.failedCount > 0 && <p className="warn-text small">{overview.failedCount} file(s) failed to import</p>}
      <section>
        <h3>Labels</h3>
        <ul className="counts" data-testid="label-counts">
          {overview.byLabel.map((e) => (
            <li key={e.value ?? '∅'}>
              <button className={`count-row ${labelFilter === e.value ? 'active' : ''}`} onClick={() => useApp.setState({ labelFilter: labelFilter === e.value ? null : e.value, selectedIndex: null })}
                data-label={e.value ?? ''}>
                <span className="count-name">{e.value ?? '(unlabelled)'}</span>
                <span className="count-num">{e.count.toLocaleString()}</span>
                <span className="count-bar" style={{ width: `${(100 * e.count) / max}%` }} />
              </button>
            </li>
          ))}
        </ul>
      </section>
      {overview.bySplit.some((e) => e.value !== null) && (
        <section>
          <h3>Splits</h3>
          <ul className="counts plain" data-testid="split-counts">
            {overview.bySplit.map((e) => <li key={e.value ?? '∅'}><span>{e.value ?? '(none)'}</span><span>{e.count.toLocaleString()}</span></li>)}
          </ul>
        </section>
      )}
      <section>
        <h3>Metadata fields</h3>
        {overview.metadataFields.length ? <ul className="chips">{overview.metadataFields.map((f) => <li key={f}>{f}</li>)}</ul> : <p className="muted small">none</p>}
      </section>
      <section>
        <h3>Datasets</h3>
        <ul className="counts plain">
          {overview.datasets.map((d) => <li key={d.id} title={d.root ?? 'stored in the project'}><span>{d.name}</span><span>{d.sampleCount.toLocaleString()}</span></li>)}
        </ul>
      </section>
    </aside>
  );
}
