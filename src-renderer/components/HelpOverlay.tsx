import { Modal } from './Modal';
import { helpRows } from './shortcut-table';

export function HelpOverlay() {
  return (
    <Modal title="Keyboard shortcuts">
      <table className="shortcuts" data-testid="shortcuts"><tbody>{helpRows().map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}</tbody></table>
    </Modal>
  );
}
