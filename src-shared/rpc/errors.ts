// Errors cross every transport as plain data, so a handler failure never becomes a crash
// on either side and the client can branch on `code`.
export type ErrorCode =
  | 'bad_request'
  | 'unknown_method'
  | 'not_found'
  | 'no_project'
  | 'not_a_project'
  | 'conflict'
  | 'cancelled'
  | 'timeout'
  | 'unauthorized'
  | 'disconnected'
  | 'precondition'
  | 'io'
  /** Another Winnow process owns the project (see core/catalog/project-lease). */
  | 'in_use'
  /** The project file is locked by another writer for longer than the busy timeout; retrying later can work. */
  | 'busy'
  /** The project can only be read here (open read-only, or the file or its folder is not writable). */
  | 'read_only'
  | 'internal';

export interface RpcErrorData {
  code: ErrorCode;
  message: string;
}

export class RpcError extends Error implements RpcErrorData {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }
  toData(): RpcErrorData {
    return { code: this.code, message: this.message };
  }
  static from(err: unknown): RpcError {
    if (err instanceof RpcError) return err;
    if (isErrorData(err)) return new RpcError(err.code, err.message);
    const message = err instanceof Error ? err.message : String(err);
    return new RpcError('internal', message);
  }
}

function isErrorData(v: unknown): v is RpcErrorData {
  return typeof v === 'object' && v !== null && typeof (v as RpcErrorData).code === 'string' && typeof (v as RpcErrorData).message === 'string';
}
