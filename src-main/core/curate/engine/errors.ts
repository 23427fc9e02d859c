// Errors cross the RPC boundary as data, so each carries a stable code the UI can switch on.

export type CurateErrorCode =
  | 'INVALID_INPUT' // arrays of the wrong length, a malformed graph, labels outside the class list
  | 'INVALID_N' // N is 0, negative, fractional, NaN or infinite
  | 'INVALID_WEIGHTS' // a weight is negative or not finite, or every weight is zero
  | 'NO_LABELS' // a mode that cannot work without labels was asked for on an unlabelled dataset
  | 'UNKNOWN_FIELD' // a metadata field that the dataset does not have
  | 'INVALID_REQUEST'; // an unknown mode or an option out of range

export class CurateError extends Error {
  readonly code: CurateErrorCode;
  constructor(code: CurateErrorCode, message: string) {
    super(message);
    this.name = 'CurateError';
    this.code = code;
  }
}

/** Something the caller should see, but that did not stop the run. */
export type CurateWarningCode =
  | 'N_CLAMPED' // N exceeded the samples that could be picked; fewer were returned
  | 'NO_LABELS' // label-based criteria were requested on an unlabelled dataset and were skipped
  | 'FEW_ISSUES' // mislabeled mode: fewer samples are likely mislabelled than were asked for
  | 'QUOTA_RELAXED'; // a balance target could not be met exactly with the samples available

export interface CurateWarning {
  code: CurateWarningCode;
  message: string;
}
