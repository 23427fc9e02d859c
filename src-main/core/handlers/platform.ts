// What differs between the desktop shell, browser mode and tests: one interface, one object
// per platform, passed in by the entry point.
export interface Platform {
  transport: 'electron' | 'http' | 'memory';
  /** Native folder picker; absent in browser mode (the UI shows a path field instead). */
  pickFolder?: (title?: string) => Promise<string | null>;
  /** Opens a folder in the system file manager; absent in browser mode. */
  showFolder?: (path: string) => Promise<void>;
}
