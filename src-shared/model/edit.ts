import type { SampleColumns } from './sample';

export interface EditResult {
  editId: number | null;
  /**
   * The samples whose label or exclusion changed, with their new state, as columns (ids
   * ascending; label codes index this result's own labelNames), so a 10,000-sample edit
   * crosses the wire as three small binary arrays rather than 10,000 objects.
   */
  changed: SampleColumns;
  canUndo: boolean;
  canRedo: boolean;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  action: 'edit' | 'undo' | 'redo';
  field: 'label' | 'excluded';
  oldValue: string | null;
  newValue: string | null;
}
