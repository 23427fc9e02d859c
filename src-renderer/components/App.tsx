import { useEffect } from 'react';
import { connect } from '../api/client';
import { init, notify } from '../state/actions';
import { useApp } from '../state/app-store';
import { DetailPanel } from './DetailPanel';
import { EmbedDialog } from './EmbedDialog';
import { HelpOverlay } from './HelpOverlay';
import { ImportDialog } from './ImportDialog';
import { OverviewPanel } from './OverviewPanel';
import { ProjectDialog } from './ProjectDialog';
import { ThumbnailGrid } from './ThumbnailGrid';
import { Toast } from './Toast';
import { TopBar } from './TopBar';
import { useGlobalShortcuts } from './use-global-shortcuts';
import '../styles.css';

export function App() {
  const connection = useApp((s) => s.connection);
  const project = useApp((s) => s.project);
  const dialog = useApp((s) => s.dialog);
  const detailOpen = useApp((s) => s.detailOpen);
  useGlobalShortcuts();

  useEffect(() => {
    connect(() => useApp.setState({ connection: 'lost' }))
      .then(init)
      .catch((err: unknown) => { useApp.setState({ connection: 'lost' }); notify(err); });
  }, []);

  return (
    <div className="app">
      <TopBar />
      {connection === 'lost' && <div className="banner error" role="alert">Connection to Winnow lost. Restart Winnow and reload this page.</div>}
      {connection === 'ready' && !project && <EmptyState />}
      {project && (
        <main className="workspace">
          <OverviewPanel />
          <ThumbnailGrid />
          {detailOpen && <DetailPanel />}
        </main>
      )}
      {dialog === 'project' && <ProjectDialog />}
      {dialog === 'import' && <ImportDialog />}
      {dialog === 'embed' && <EmbedDialog />}
      {dialog === 'help' && <HelpOverlay />}
      <Toast />
    </div>
  );
}

function EmptyState() {
  return (
    <div className="empty-state">
      <h1>Winnow</h1>
      <p>Curate image datasets on this machine: import, embed, map, curate, correct, export.</p>
      <button className="primary" onClick={() => useApp.setState({ dialog: 'project' })}>Create or open a project</button>
    </div>
  );
}
