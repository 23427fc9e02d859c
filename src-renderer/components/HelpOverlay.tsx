import { Modal } from './Modal';

export const SHORTCUTS: Array<[string, string]> = [
  ['?', 'Show this help'],
  ['I', 'Import images'],
  ['P', 'Create or open a project'],
  ['E', 'Compute embeddings'],
  ['X', 'Export a slice, the selection or a query result'],
  ['Arrow keys, Page Up/Down', 'Move through the grid'],
  ['Enter', 'Open the selected sample'],
  ['Esc', 'Close a dialog or the detail panel'],
  ['M', 'Switch between grid and map'],
  ['/', 'Focus the query bar'],
  ['V / L / B', 'Map tool: pan / lasso / box'],
  ['Shift-drag, Alt-drag', 'Add to / subtract from the selection'],
  ['Wheel, + / -, arrows, 0', 'Zoom, pan, fit the map'],
  ['R', 'Review the selection one by one'],
  ['In review: digits, typing + Enter', 'Assign a label (and go to the next)'],
  ['In review: X, ← →', 'Exclude; previous / next'],
  ['Ctrl+Z', 'Undo the last label edit'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'Redo'],
];

export function HelpOverlay() {
  return (
    <Modal title="Keyboard shortcuts">
      <table className="shortcuts"><tbody>{SHORTCUTS.map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}</tbody></table>
    </Modal>
  );
}
