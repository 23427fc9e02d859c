export interface SampleState { id: number; label: string | null; originalLabel: string | null; excluded: boolean }

export interface EditResult {
  editId: number | null;
  /** Samples whose label or exclusion changed, with their new state. */
  changed: SampleState[];
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
