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
  /** What the edit did, in words, for the undo/redo toast ("label → 9 (1)"); null when nothing changed. */
  description?: string | null;
}

export interface HistoryEntry {
  at: string;
  actor: string;
  action: 'edit' | 'undo' | 'redo';
  field: EditField;
  oldValue: string | null;
  newValue: string | null;
  /** The label the scores suggested when a review decision was made (review.decide), else absent. */
  suggestedLabel?: string | null;
}

/** The per-sample fields an edit can change, each undoable and kept in label_history. */
export type EditField = 'label' | 'excluded' | 'reviewed' | 'split';
