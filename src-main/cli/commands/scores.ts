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
    project.maps.require();
    await project.rescore({ nearDuplicateThreshold: threshold, appearanceThreshold: appearance });
    const rows = project.catalog.db.prepare(`SELECT s.id, s.rel_path AS path, s.label, sc.sparseness, sc.noise, sc.suggested_label AS suggested, sc.suggested_confidence AS confidence, sc.dup_group AS duplicateGroup, sc.exact_dup_group AS exactDuplicateGroup, sc.model_disagree AS modelDisagrees, sc.model_label AS modelLabel
      FROM scores sc JOIN samples s ON s.id = sc.sample_id WHERE sc.map_id = ? ORDER BY s.id`).all(project.maps.latestId()) as Array<Record<string, string | number | null>>;
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ mapId: project.maps.latestId(), samples: rows })}\n`);
      return;
    }
    const cols = ['id', 'path', 'label', 'sparseness', 'noise', 'suggested', 'confidence', 'duplicateGroup', 'exactDuplicateGroup', 'modelDisagrees', 'modelLabel'];
    const out = [cols.join(',')];
    for (const r of rows) out.push(cols.map((c) => csv(r[c] ?? null)).join(','));
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
