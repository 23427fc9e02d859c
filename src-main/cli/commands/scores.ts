import { readScoreRows, SCORE_ROW_COLUMNS } from '../../core/curate/score-rows';
import { openProject } from '../open-project';
import { CliError } from '../output';

export const usage = 'winnow scores --project FILE [--format csv|json] [--dup-threshold D] [--appearance-threshold A]';

export async function runScores(opts: { project?: string; format?: string; dupThreshold?: string; appearanceThreshold?: string; json: boolean }): Promise<void> {
  const format = opts.format ?? (opts.json ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new CliError('--format must be csv or json');
  const threshold = opts.dupThreshold === undefined ? undefined : Number(opts.dupThreshold);
  if (threshold !== undefined && !(threshold > 0 && threshold < 2)) throw new CliError('--dup-threshold must be a cosine distance between 0 and 2');
  const appearance = opts.appearanceThreshold === undefined ? undefined : Number(opts.appearanceThreshold);
  if (appearance !== undefined && !(appearance >= 0 && appearance <= 2)) throw new CliError('--appearance-threshold must be a signature correlation distance between 0 and 2');
  const project = openProject(opts.project);
  try {
    const mapId = project.maps.requireId();
    await project.rescore({ nearDuplicateThreshold: threshold, appearanceThreshold: appearance });
    const rows = readScoreRows(project.catalog, mapId);
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ mapId, samples: rows })}\n`);
      return;
    }
    const out = [SCORE_ROW_COLUMNS.join(',')];
    for (const r of rows) out.push(SCORE_ROW_COLUMNS.map((c) => csv(r[c])).join(','));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await project.close();
  }
}

function csv(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(6);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
