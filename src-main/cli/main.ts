// The `winnow` command: drives the same core as the app, headless.
import { parseArgs } from 'node:util';
import { RpcError } from '../../src-shared/rpc/errors';
import { runExport, usage as exportUsage } from './commands/export';
import { runExportLabels, usage as exportLabelsUsage } from './commands/export-labels';
import { runImport, usage as importUsage } from './commands/import';
import { runInfo, usage as infoUsage } from './commands/info';
import { runEmbedCommand, usage as embedUsage } from './commands/embed';
import { runSimilar, usage as similarUsage } from './commands/similar';
import { runVectors, runVectorsImport, usage as vectorsUsage } from './commands/vectors';
import { runEmbedShardCommand, usage as embedShardUsage } from './commands/embed-shard';
import { runModels, usage as modelsUsage } from './commands/models';
import { runMapCommand, usage as mapUsage } from './commands/map';
import { runCurateCommand, usage as curateUsage } from './commands/curate';
import { runScores, usage as scoresUsage } from './commands/scores';
import { runImportPredictions, usage as importPredictionsUsage } from './commands/import-predictions';
import { runReviewSummary, usage as reviewSummaryUsage } from './commands/review-summary';
import { runLeaks, usage as leaksUsage } from './commands/leaks';
import { runSplit, usage as splitUsage } from './commands/split';
import { runValidationSetCommand, usage as validationSetUsage } from './commands/validation-set';
import { runReportCommand, usage as reportUsage } from './commands/report';
import { CliError, printable } from './output';
import { toProjectError } from '../core/catalog/sqlite-errors';

const HELP = `Winnow — curate image datasets offline

usage:
  ${importUsage}
  ${infoUsage}
  ${exportUsage}
  ${exportLabelsUsage}
  ${embedUsage}
  ${similarUsage}
  ${vectorsUsage}
  ${embedShardUsage}
  ${modelsUsage}
  ${mapUsage}
  ${scoresUsage}
  ${importPredictionsUsage}
  ${curateUsage}
  ${reviewSummaryUsage}
  ${leaksUsage}
  ${splitUsage}
  ${validationSetUsage}
  ${reportUsage}

--json prints one JSON document on stdout; progress goes to stderr.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        project: { type: 'string' },
        labels: { type: 'string' },
        model: { type: 'string' },
        spec: { type: 'string' },
        device: { type: 'string' },
        batch: { type: 'string' },
        id: { type: 'string' },
        image: { type: 'string' },
        k: { type: 'string' },
        out: { type: 'string' },
        slice: { type: 'string' },
        query: { type: 'string' },
        all: { type: 'boolean', default: false },
        layout: { type: 'string' },
        split: { type: 'string' },
        merge: { type: 'boolean', default: false },
        replace: { type: 'boolean', default: false },
        partial: { type: 'boolean', default: false },
        hardlink: { type: 'boolean', default: false },
        seed: { type: 'string' },
        full: { type: 'boolean', default: false },
        'layout-sample': { type: 'string' },
        mode: { type: 'string' },
        n: { type: 'string' },
        name: { type: 'string' },
        by: { type: 'string' },
        weights: { type: 'string' },
        format: { type: 'string' },
        'dup-threshold': { type: 'string' },
        'appearance-threshold': { type: 'string' },
        'appearance-weight': { type: 'string' },
        edges: { type: 'string' },
        files: { type: 'string' },
        shard: { type: 'string' },
        ids: { type: 'string' },
        'model-name': { type: 'string' },
        'allow-missing': { type: 'boolean', default: false },
        'max-megapixels': { type: 'string' },
        'decode-timeout': { type: 'string' },
        'failures-out': { type: 'string' },
        ratios: { type: 'string' },
        'group-by': { type: 'string' },
        limit: { type: 'string' },
        offset: { type: 'string' },
        reference: { type: 'string' },
        match: { type: 'string' },
        method: { type: 'string' },
        'class-balance': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    if (!command || command === 'help' || command === '--help' || values.help) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    switch (command) {
      case 'import': await runImport(positionals, {
        project: values.project, labels: values.labels, maxMegapixels: values['max-megapixels'], decodeTimeout: values['decode-timeout'], failuresOut: values['failures-out'], json: values.json,
      }); return 0;
      case 'info': await runInfo({ project: values.project, json: values.json }); return 0;
      case 'export': await runExport(positionals, {
        project: values.project, slice: values.slice, query: values.query, all: values.all, out: values.out, layout: values.layout,
        split: values.split, seed: values.seed, merge: values.merge, replace: values.replace, hardlink: values.hardlink, json: values.json,
      }); return 0;
      case 'export-labels': await runExportLabels(positionals, { project: values.project, out: values.out, replace: values.replace, json: values.json }); return 0;
      case 'embed': await runEmbedCommand({ project: values.project, model: values.model, spec: values.spec, device: values.device, batch: values.batch, json: values.json }); return 0;
      case 'similar': await runSimilar({ project: values.project, id: values.id, image: values.image, k: values.k, json: values.json }); return 0;
      case 'map': await runMapCommand({ project: values.project, k: values.k, seed: values.seed, full: values.full, layoutSample: values['layout-sample'], json: values.json }); return 0;
      case 'import-predictions': await runImportPredictions(positionals, { project: values.project, partial: values.partial, json: values.json }); return 0;
      case 'scores': await runScores({ project: values.project, format: values.format, dupThreshold: values['dup-threshold'], appearanceThreshold: values['appearance-threshold'], json: values.json }); return 0;
      case 'curate': await runCurateCommand({ project: values.project, mode: values.mode, n: values.n, name: values.name, by: values.by, weights: values.weights, seed: values.seed, appearanceWeight: values['appearance-weight'], edges: values.edges, json: values.json }); return 0;
      case 'review-summary': await runReviewSummary(positionals, { project: values.project, slice: values.slice, json: values.json }); return 0;
      case 'leaks': await runLeaks({ project: values.project, limit: values.limit, offset: values.offset, json: values.json }); return 0;
      case 'split': await runSplit({ project: values.project, ratios: values.ratios, seed: values.seed, groupBy: values['group-by'], json: values.json }); return 0;
      case 'validation-set': await runValidationSetCommand({ project: values.project, reference: values.reference, match: values.match, n: values.n, name: values.name, method: values.method, classBalance: values['class-balance'], seed: values.seed, model: values.model, json: values.json }); return 0;
      case 'report': await runReportCommand({ project: values.project, slice: values.slice, reference: values.reference, seed: values.seed, model: values.model, json: values.json }); return 0;
      case 'models': await runModels(positionals, { json: values.json }); return 0;
      case 'vectors':
        if (positionals[0] === 'import') await runVectorsImport(positionals[1], { project: values.project, ids: values.ids, modelName: values['model-name'], allowMissing: values['allow-missing'], json: values.json });
        else await runVectors({ project: values.project, out: values.out, json: values.json });
        return 0;
      case 'embed-shard': await runEmbedShardCommand({ files: values.files, shard: values.shard, out: values.out, model: values.model, spec: values.spec, device: values.device, batch: values.batch, json: values.json }); return 0;
      default: throw new CliError(`unknown command "${command}"; run "winnow help"`);
    }
  } catch (caught) {
    const err = toProjectError(caught);
    const code = err instanceof CliError ? err.exitCode : 1;
    const message = err instanceof CliError || err instanceof RpcError ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`winnow: ${printable(message.split('\n')[0]!)}\n`);
    return code;
  }
}
