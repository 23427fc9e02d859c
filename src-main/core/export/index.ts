export { exportSamples } from './export';
export { exportLabels, type LabelsExportSummary } from './labels-csv';
export { selectSamples } from './select';
export { parseSliceRef } from '../slices/slice-store';
export { safeFileName, safeFolderName } from './safe-name';
export { stratifiedSplit } from './split';
export type { ExportIo } from './io';
export type * from '../../../src-shared/model/export';
