// Each background job kind, declared once: its params schema (the same object the contract's
// start method validates with) and its result type. JobManager.start, the runners and a resumed
// job's stored params are all typed, or parsed, by this map, so no runner re-declares its params.
// A new kind adds one entry here and its name to JobKind; `satisfies` refuses a kind left out.
import type { z } from 'zod';
import type { JobKind } from '../model/job';
import type { ImportSummary } from '../model/import';
import type { EmbedJobResult } from '../model/embedding';
import type { MapJobResult } from '../model/map';
import type { CurateJobResult } from '../model/slice';
import type { ExportSummary } from '../model/export';
import { importSource } from './dataset';
import { embedParams } from './embed';
import { mapParams } from './map';
import { curateParams } from './curate';
import { exportParams } from './export';
import { sliceReportParams, validationSetParams } from './reference';
import type { SliceReport, ValidationSetResult } from '../model/reference';

export interface JobDef<P extends z.ZodType, R> {
  readonly params: P;
  /** Never set at runtime; carries the result type. */
  readonly _result?: R;
}

function job<P extends z.ZodType>(params: P) {
  return { returns: <R>(): JobDef<P, R> => ({ params }) };
}

export const jobMap = {
  import: job(importSource).returns<ImportSummary>(),
  embed: job(embedParams).returns<EmbedJobResult>(),
  map: job(mapParams).returns<MapJobResult>(),
  curate: job(curateParams).returns<CurateJobResult>(),
  export: job(exportParams).returns<ExportSummary>(),
  'validation-set': job(validationSetParams).returns<ValidationSetResult>(),
  'slice-report': job(sliceReportParams).returns<SliceReport>(),
} satisfies { [K in JobKind]: JobDef<z.ZodType, unknown> };
export type JobMap = typeof jobMap;

/** A job's params as its runner receives them (after the schema's defaults). */
export type JobParams<K extends JobKind> = z.output<JobMap[K]['params']>;
export type JobResult<K extends JobKind> = JobMap[K] extends JobDef<z.ZodType, infer R> ? R : never;
