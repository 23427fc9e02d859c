// Maps onnxruntime's load failures onto ModelError codes.
import { ModelError } from './errors';

export function loadFailure(file: string, err: unknown): ModelError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/File doesn't exist|No such file/i.test(msg)) return new ModelError('not-found', `${file}: no such file`, { cause: err });
  if (/protobuf parsing failed|ModelProto does not have a graph|No graph was found/i.test(msg)) {
    return new ModelError('not-onnx', `${file} is not an ONNX model (${msg.trim()})`, { cause: err });
  }
  return new ModelError('load-failed', `${file}: onnxruntime could not load the model: ${msg.trim()}`, { cause: err });
}
