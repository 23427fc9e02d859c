import { useEffect, useRef, useState } from 'react';
import { connect } from '../api/client';
import { init } from '../state/actions';
import { loadJobs } from '../state/job-actions';
import { resetJobs } from '../state/jobs-store';
import { startProjectUiSync } from '../state/project-ui';
import { JobsTray } from './JobsTray';
import { useApp } from '../state/app-store';
import { useMap } from '../state/map-store';
import { CuratePanel } from './CuratePanel';
import { LeaksPanel } from './LeaksPanel';
import { DetailPanel } from './DetailPanel';
import { MapView } from './MapView';
import { QueryBar } from './QueryBar';
import { ReviewQueue } from './ReviewQueue';
import { EmbedDialog } from './EmbedDialog';
import { ExportDialog } from './ExportDialog';
import { HelpOverlay } from './HelpOverlay';
import { ImportDialog } from './ImportDialog';
import { OverviewPanel } from './OverviewPanel';
import { ProjectDialog } from './ProjectDialog';
import { ThumbnailGrid } from './ThumbnailGrid';
import { Toast } from './Toast';
import { TopBar } from './TopBar';
import { useGlobalShortcuts } from './use-global-shortcuts';
import '../styles.css';
import './jobs.css';

export function App() {
  const connection = useApp((s) => s.connection);
  // Whether a project is open, not the summary: a label edit refreshes the summary and must not re-render the whole app.
  const project = useApp((s) => s.project !== null);
  const dialog = useApp((s) => s.dialog);
  const detailOpen = useApp((s) => s.detailOpen);
  const view = useMap((s) => s.view);
  const reviewOpen = useMap((s) => s.reviewOpen);
  const [startProblem, setStartProblem] = useState<string | null>(null);
  const hasMap = useMap((s) => s.map !== null);
  useGlobalShortcuts();
  const projectPath = useApp((s) => s.project?.path ?? null);
  // Another project: the jobs bar follows that project's jobs (the old ones were cancelled with it).
  const seenPath = useRef<string | null>(null);
  useEffect(() => {
    if (projectPath === null || projectPath === seenPath.current) return;
    if (seenPath.current !== null) resetJobs();
    seenPath.current = projectPath;
    void loadJobs();
  }, [projectPath]);

  useEffect(() => {
    const stopUiSync = startProjectUiSync();
    // The jobs of the project open at connect are loaded by the effect above, once init has set
    // it; with none open there are no jobs to ask for (asking was an error toast at every start).
    connect(() => useApp.setState({ connection: 'lost' }))
      .then(init)
      .catch((err: unknown) => {
        // The banner says it; a toast repeating it would be a second alert.
        setStartProblem(err instanceof Error ? err.message : String(err));
        useApp.setState({ connection: 'lost' });
      });
    return stopUiSync;
  }, []);

  return (
    <div className="app">
      <TopBar />
      {connection === 'lost' && <div className="banner error" role="alert">{startProblem ?? 'Connection to Winnow lost. Restart Winnow and reload this page.'}</div>}
      {connection === 'ready' && !project && <EmptyState />}
      {project && (
        <main className="workspace">
          <div className="sidebar">
            <OverviewPanel />
            <CuratePanel />
            <LeaksPanel />
          </div>
          <div className="center">
            <div className="center-head row">
              <div className="seg" role="tablist" aria-label="View">
                <button role="tab" aria-selected={view === 'grid'} className={view === 'grid' ? 'active' : ''} onClick={() => useMap.setState({ view: 'grid' })}>Grid</button>
                <button role="tab" aria-selected={view === 'map'} className={view === 'map' ? 'active' : ''} onClick={() => useMap.setState({ view: 'map' })}>Map</button>
              </div>
              <QueryBar />
            </div>
            {view === 'grid' ? <ThumbnailGrid /> : <MapView />}
          </div>
          {/* On a map, the side panels float over it (MapView) so opening them moves nothing. */}
          {detailOpen && !(view === 'map' && hasMap) && <DetailPanel />}
        </main>
      )}
      {dialog === 'project' && <ProjectDialog />}
      {dialog === 'import' && <ImportDialog />}
      {dialog === 'embed' && <EmbedDialog />}
      {dialog === 'export' && <ExportDialog />}
      {dialog === 'help' && <HelpOverlay />}
      {reviewOpen && <ReviewQueue />}
      {connection === 'ready' && <JobsTray />}
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
