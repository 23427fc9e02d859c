// Model problems a person can act on, each with a stable code the UI and CLI can switch on.
export type ModelErrorCode =
  | 'not-found' // no file at the path
  | 'not-onnx' // the file is not an ONNX model
  | 'load-failed' // ONNX, but onnxruntime cannot build a session (unsupported op, bad graph)
  | 'bad-spec' // the model spec itself is malformed
  | 'no-image-input' // the graph has no rank-4 float input at all
  | 'missing-input' // the spec names an input the graph lacks
  | 'bad-input-rank' // the named input is not rank 4
  | 'bad-input-shape' // rank 4, but channels or fixed size disagree with the spec
  | 'extra-inputs' // the graph needs inputs besides the image
  | 'missing-output' // the spec names an output the graph lacks
  | 'bad-output-shape'; // the output cannot be pooled as the spec says, or has the wrong width

export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(readonly code: ModelErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
