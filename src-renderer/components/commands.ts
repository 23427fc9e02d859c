// What each command does and when it can run. Buttons and keys both go through here, so a
// button that is off never has a key that works, and a key pressed too early says what to
// do first instead of doing nothing (or opening a dialog that cannot be used).
import { useSyncExternalStore } from 'react';
import { useApp, type AppState } from '../state/app-store';
import { isBusy, useJobs, type JobsState } from '../state/jobs-store';
import { useMap, type MapState } from '../state/map-store';
import { COMMAND_KEYS, commandTitle, type CommandId } from './shortcut-table';

interface Snapshot { app: AppState; map: MapState; jobs: JobsState }

/** Steps that need another step's output, besides the keyed commands. */
export type StepId = CommandId | 'computeMap' | 'updateMap' | 'curate';

/** null when the step can run now, else what to do (or wait for) first. */
export function blockedReason(id: StepId, { app, map, jobs }: Snapshot): string | null {
  const project = app.project;
  const needProject = project ? null : 'Create or open a project first (P)';
  const samples = project?.overview.total ?? 0;
  switch (id) {
    case 'help':
    case 'project':
      return null;
    case 'import':
    case 'toggleView':
    case 'query':
      return needProject;
    case 'toolPan':
    case 'toolLasso':
    case 'toolBox':
      return needProject ?? (map.view !== 'map' ? 'Switch to the map first (M)' : null);
    case 'embed':
      if (needProject) return needProject;
      if (isBusy(jobs, 'import')) return 'Waiting for the import to finish (see the jobs bar)';
      return samples ? null : 'Import images first (I)';
    case 'export':
      return needProject ?? (samples ? null : 'Import images first (I)');
    case 'review':
      return needProject ?? (map.selection.length ? null : 'Select samples on the map first (lasso L or box B)');
    case 'computeMap':
    case 'updateMap':
      if (needProject) return needProject;
      if (isBusy(jobs, 'map')) return 'The map job is running (see the jobs bar)';
      if (isBusy(jobs, 'embed')) return 'Waiting for the embedding to finish; this enables itself when it lands';
      return app.embedded === 0 ? 'Compute embeddings first (E)' : null;
    case 'curate':
      if (needProject) return needProject;
      if (isBusy(jobs, 'curate')) return 'Auto-Curate is running';
      if (isBusy(jobs, 'map')) return 'Waiting for the map job (layout and scores); this enables itself when it lands';
      return map.map ? null : 'Compute the map first';
  }
}

function snapshot(): Snapshot {
  return { app: useApp.getState(), map: useMap.getState(), jobs: useJobs.getState() };
}

function subscribeAll(onChange: () => void): () => void {
  const offs = [useApp.subscribe(onChange), useMap.subscribe(onChange), useJobs.subscribe(onChange)];
  return () => offs.forEach((off) => off());
}

/** Re-renders only when the step's blocked reason changes (a string compares by value). */
export function useBlocked(id: StepId): string | null {
  return useSyncExternalStore(subscribeAll, () => blockedReason(id, snapshot()));
}

const RUN: Record<CommandId, () => void> = {
  help: () => useApp.setState({ dialog: 'help' }),
  project: () => useApp.setState({ dialog: 'project' }),
  import: () => useApp.setState({ dialog: 'import' }),
  embed: () => useApp.setState({ dialog: 'embed' }),
  export: () => useApp.setState({ dialog: 'export' }),
  toggleView: () => useMap.setState({ view: useMap.getState().view === 'map' ? 'grid' : 'map' }),
  query: () => (document.querySelector('input[aria-label="Query"]') as HTMLInputElement | null)?.focus(),
  toolPan: () => useMap.setState({ tool: 'pan' }),
  toolLasso: () => useMap.setState({ tool: 'lasso' }),
  toolBox: () => useMap.setState({ tool: 'box' }),
  review: () => useMap.setState({ reviewOpen: true }),
};

/** Runs a command if it can run; otherwise says why (a toast) and returns false. */
export function runCommand(id: CommandId): boolean {
  const why = blockedReason(id, snapshot());
  if (why) {
    useApp.setState({ toast: `${COMMAND_KEYS[id].help}: ${why}` });
    return false;
  }
  RUN[id]();
  return true;
}

export function commandForKey(key: string): CommandId | null {
  for (const [id, c] of Object.entries(COMMAND_KEYS)) if (c.key === key) return id as CommandId;
  return null;
}

/** Props for a command's button: the same enabled-state and key as the shortcut. */
export function useCommandButton(id: CommandId): { disabled: boolean; title: string; onClick: () => void; 'data-command': string } {
  const why = useBlocked(id);
  return { disabled: why !== null, title: commandTitle(id, why), onClick: () => void runCommand(id), 'data-command': id };
}
