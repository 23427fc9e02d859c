// The one table of keyboard shortcuts: the help overlay lists it, buttons take their tooltips
// from it, and the global key handler dispatches from it (commands.ts), so the three cannot
// disagree. Pure data, so tests (unit and e2e) can import it.

/** Commands that have a key and, usually, a button. */
export const COMMAND_KEYS = {
  help: { key: '?', keyLabel: '?', label: 'Keyboard shortcuts', help: 'Show this help' },
  project: { key: 'p', keyLabel: 'P', label: 'Project…', help: 'Create or open a project' },
  import: { key: 'i', keyLabel: 'I', label: 'Import…', help: 'Import images' },
  embed: { key: 'e', keyLabel: 'E', label: 'Embed…', help: 'Compute embeddings' },
  export: { key: 'x', keyLabel: 'X', label: 'Export…', help: 'Export a slice, the selection or a query result' },
  toggleView: { key: 'm', keyLabel: 'M', label: 'Map', help: 'Switch between grid and map' },
  query: { key: '/', keyLabel: '/', label: 'Query', help: 'Focus the query bar' },
  toolPan: { key: 'v', keyLabel: 'V', label: 'pan', help: 'Map tool: pan' },
  toolLasso: { key: 'l', keyLabel: 'L', label: 'lasso', help: 'Map tool: lasso select' },
  toolBox: { key: 'b', keyLabel: 'B', label: 'box', help: 'Map tool: box select' },
  review: { key: 'r', keyLabel: 'R', label: 'Review…', help: 'Review the selection one by one' },
} as const;

export type CommandId = keyof typeof COMMAND_KEYS;

/**
 * The review card's one-key decisions (ReviewQueue dispatches from this table: `keys` are
 * KeyboardEvent.key values without modifiers). Lower-case letters act; to type a label that
 * starts with one of them, hold Shift for its first letter.
 */
export const REVIEW_KEYS = {
  accept: { keys: ['Enter', 'a'], keyLabel: 'Enter / A', help: 'Accept the suggested label' },
  keep: { keys: ['k'], keyLabel: 'K', help: 'Keep the label as it is (marks it reviewed)' },
  exclude: { keys: ['x'], keyLabel: 'X', help: 'Exclude the sample' },
  next: { keys: ['ArrowRight'], keyLabel: '→', help: 'Next card (no decision)' },
  prev: { keys: ['ArrowLeft'], keyLabel: '←', help: 'Previous card' },
  close: { keys: ['Escape'], keyLabel: 'Esc', help: 'Clear the typed label, else close the review' },
} as const;
export type ReviewKeyId = keyof typeof REVIEW_KEYS;

/** The review action a key press stands for, or null. */
export function reviewKeyFor(key: string): ReviewKeyId | null {
  for (const [id, k] of Object.entries(REVIEW_KEYS)) if ((k.keys as readonly string[]).includes(key)) return id as ReviewKeyId;
  return null;
}

/** Keys handled where they apply (grid, map, review, editing), listed for the help only. */
export const CONTEXT_KEYS: Array<[string, string]> = [
  ['Arrow keys, Page Up/Down', 'Move through the grid'],
  ['Enter', 'Open the selected sample'],
  ['Esc', 'Close a dialog or the detail panel'],
  ['Shift-drag, Alt-drag', 'Add to / subtract from the selection'],
  ['Wheel, + / -, arrows, 0', 'Zoom, pan, fit the map'],
  ['In review: a digit', 'Assign the label of that digit (and go to the next)'],
  ['In review: type a label + Enter', 'Assign the likeliest label that starts so: the suggestion, then the neighbours\' votes (Shift for a first letter A, K or X)'],
  ['In the detail panel: A', 'Accept the suggested label'],
  ['Ctrl+Z', 'Undo the last label edit'],
  ['Ctrl+Shift+Z / Ctrl+Y', 'Redo'],
];

/** The tooltip of a command's button: what it does and its key, then why it is off, if it is. */
export function commandTitle(id: CommandId, blocked: string | null = null): string {
  const c = COMMAND_KEYS[id];
  return `${c.help} (${c.keyLabel})${blocked ? ` — ${blocked}` : ''}`;
}

/** Rows of the help overlay, in table order. */
export function helpRows(): Array<[string, string]> {
  return [
    ...Object.values(COMMAND_KEYS).map((c): [string, string] => [c.keyLabel, c.help]),
    ...Object.values(REVIEW_KEYS).map((c): [string, string] => [`In review: ${c.keyLabel}`, c.help]),
    ...CONTEXT_KEYS,
  ];
}
