import { PredictionsError } from '../../core/curate/predictions-store';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = 'winnow import-predictions FILE --project FILE [--partial] [--json]   (CSV/JSON: path + per-class probabilities, or path,label,confidence)';

export async function runImportPredictions(positionals: string[], opts: { project?: string; partial?: boolean; json: boolean }): Promise<void> {
  if (positionals.length !== 1) throw new CliError(`give one predictions file; usage: ${usage}`);
  const project = openProject(opts.project);
  try {
    let summary;
    try {
      summary = await project.importPredictions(positionals[0]!, { partial: opts.partial });
    } catch (err) {
      if (err instanceof PredictionsError) throw new CliError(err.message);
      throw err;
    }
    const mapped = summary.rescored;
    printResult(opts.json, summary, () =>
      `imported ${summary.rows} prediction(s) over ${summary.classes.length} class(es) (${summary.kind})${summary.missing ? `; ${summary.missing} labelled sample(s) have none` : ''}${mapped ? '; scores updated' : '; run `winnow map` to score them'}`);
  } finally {
    await project.close();
  }
}
