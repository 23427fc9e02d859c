// Download failures a person can act on, each with a stable code the UI and CLI can switch on.
export type DownloadErrorCode =
  | 'bad-url' // not https (plain http only to this machine), or a redirect to such a URL
  | 'http' // the server answered with an error status, or offered a file of the wrong size
  | 'network' // no connection, or it broke or stalled mid-way (the .part file is kept for resume)
  | 'aborted' // the caller cancelled (the .part file is kept for resume)
  | 'hash-mismatch' // the whole file arrived but is not the expected one (the .part file is deleted)
  | 'disk'; // the folder or file could not be created or written

export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(readonly code: DownloadErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export const isDownloadError = (err: unknown, code?: DownloadErrorCode): err is DownloadError =>
  err instanceof DownloadError && (code === undefined || err.code === code);
