// The embedding model runner: spec, validation, loading, preprocessing, batched embedding.
export { ModelError, type ModelErrorCode } from './errors';
export { modelSpecSchema, parseModelSpec, outputWidth, partsWidth, type ModelSpec, type Pooling, type WhitenSpec } from './spec';
export { validateModel } from './validate';
export { loadModel, gpuCandidates, type Device, type LoadedModel, type LoadOptions, type Provider } from './load';
export type { ModelIo } from './check-session';
export { preprocess } from './preprocess';
export { embedBatch, embedBytes, embedInput, pool, l2Normalise } from './embed';
export type { ByteSource } from './byte-input';
