import { ReviewService } from '../../core/review/review-service';
import { openProject } from '../open-project';
import { CliError, printResult } from '../output';

export const usage = 'winnow review-summary --project FILE --slice NAME[@VERSION] [--json]';

/** What the review of a slice has decided so far (the same counts as the app's session summary). */
export async function runReviewSummary(positionals: string[], opts: { project?: string; slice?: string; json: boolean }): Promise<void> {
  if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
  if (!opts.slice) throw new CliError('--slice NAME is required');
  const project = openProject(opts.project, { access: 'read' });
  try {
    const slice = project.slices.resolve(opts.slice);
    const s = new ReviewService(project).summary({ slice: opts.slice });
    const ref = `${slice.name}@${slice.version}`;
    printResult(opts.json, { slice: ref, ...s }, () =>
      `${ref}: reviewed ${s.reviewed} of ${s.total}, changed ${s.changed} (accepted suggestions ${s.accepted}), kept ${s.kept}, excluded ${s.excluded}`);
  } finally {
    await project.close();
  }
}
