import { useApp } from '../state/app-store';

export function TopBar() {
  const project = useApp((s) => s.project);
  const info = useApp((s) => s.info);
  return (
    <header className="topbar">
      <span className="brand">Winnow</span>
      <span className="project-path" title={project?.path}>{project ? project.path : 'no project'}</span>
      <span className="spacer" />
      <button onClick={() => useApp.setState({ dialog: 'project' })}>Project…</button>
      <button disabled={!project} onClick={() => useApp.setState({ dialog: 'import' })} title="Import (I)">Import…</button>
      <button disabled={!project || !project.overview.total} onClick={() => useApp.setState({ dialog: 'embed' })} title="Compute embeddings (E)">Embed…</button>
      <button disabled={!project || !project.overview.total} onClick={() => useApp.setState({ dialog: 'export' })} title="Export (X)">Export…</button>
      <button onClick={() => useApp.setState({ dialog: 'help' })} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">?</button>
      {info && <span className="muted small">{info.transport} · v{info.version}</span>}
    </header>
  );
}
