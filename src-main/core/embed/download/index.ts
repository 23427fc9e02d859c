// Optional download of well-known ONNX image encoders (for people with internet), resumable and hash-checked.
export { DownloadError, isDownloadError, type DownloadErrorCode } from './errors';
export { downloadFile, checkDownloadUrl, type DownloadOptions, type DownloadResult } from './download-file';
export { KNOWN_MODELS, findKnownModel, type KnownModel } from './known-models';
export {
  installModel, listModels, defaultModelsDir, modelPaths,
  type CustomModel, type InstallOptions, type InstallResult, type ModelListing, type KnownModelState,
} from './install';
