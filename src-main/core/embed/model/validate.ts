// Loads a model on the CPU just long enough to check it against its spec.
import { existsSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { checkSession, type ModelIo } from './check-session';
import { ModelError } from './errors';
import { loadFailure } from './session-errors';
import type { ModelSpec } from './spec';

export async function validateModel(onnxPath: string, spec: ModelSpec): Promise<ModelIo> {
  if (!existsSync(onnxPath)) throw new ModelError('not-found', `${onnxPath}: no such file`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(onnxPath, { executionProviders: ['cpu'], logSeverityLevel: 3 });
  } catch (err) {
    throw loadFailure(onnxPath, err);
  }
  try {
    return checkSession(session, spec, onnxPath);
  } finally {
    await session.release();
  }
}
