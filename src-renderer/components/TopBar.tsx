import { useApp } from '../state/app-store';
import { useCommandButton } from './commands';
import type { CommandId } from './shortcut-table';
import { COMMAND_KEYS } from './shortcut-table';

function CommandButton({ id, children, ...rest }: { id: CommandId; children?: React.ReactNode; 'aria-label'?: string }) {
  const props = useCommandButton(id);
  return <button {...props} {...rest}>{children ?? COMMAND_KEYS[id].label}</button>;
}

export function TopBar() {
  const project = useApp((s) => s.project);
  const info = useApp((s) => s.info);
  return (
    <header className="topbar">
      <span className="brand">Winnow</span>
      <span className="project-path" title={project?.path}>{project ? project.path : 'no project'}</span>
      <span className="spacer" />
      <CommandButton id="project" />
      <CommandButton id="import" />
      <CommandButton id="embed" />
      <CommandButton id="export" />
      <CommandButton id="help" aria-label="Keyboard shortcuts">?</CommandButton>
      {info && <span className="muted small">{info.transport} · v{info.version}</span>}
    </header>
  );
}
