// TF.js graph model -> ONNX, cut at chosen layers with a pooling head.
import type { ConvertOptions } from './ir';
import { emitOnnx, type EmitResult } from './onnx-emit';
import { lowerGraph } from './tf-lower';
import type { TfGraph } from './tfjs-graph';

export function convertTfjsToOnnx(graph: TfGraph, opts: ConvertOptions): EmitResult {
  return emitOnnx(lowerGraph(graph, opts), opts);
}
