import { formatDuration } from '../text/format-duration';
import type { Report } from './report-model';

const LIST_LIMIT = 6;

export function listWithMore(items: string[]): string {
  const shown = items.slice(0, LIST_LIMIT).join(', ');
  return items.length > LIST_LIMIT ? `${shown} (+${items.length - LIST_LIMIT} more)` : shown;
}

/** The mark of a figure that rests on an estimate (a task that never ran), in every format. */
export const ESTIMATE_MARK = 'est.';

/** What the analysis covers, when some task of the graph never ran. */
export function scopeLine(report: Report): string | undefined {
  const unmeasured = report.unmeasuredTasks;
  if (unmeasured.length === 0) return undefined;
  const count = `${unmeasured.length} task${unmeasured.length === 1 ? '' : 's'}`;
  return report.analysisScope === 'whole-graph'
    ? `${count} never ran: their times are estimates (the median p90 of measured tasks of the same target), marked ${ESTIMATE_MARK}: ${listWithMore(unmeasured)}`
    : `left out ${count} that never ran (no measure): ${listWithMore(unmeasured)}; --whole-graph includes them at an estimate`;
}

/** The prediction on the last run's own graph beside its measure: the check of the model. */
export function lastRunLine(report: Report): string | undefined {
  const last = report.lastRunPrediction;
  if (!last) return undefined;
  const run = `last run (${last.command}, ${last.taskCount} task${last.taskCount === 1 ? '' : 's'}): measured ${formatDuration(last.measuredWallMs)}`;
  return last.predictedWallMs === null
    ? `${run}; ${last.note ?? 'no prediction'}`
    : `${run}, predicted ${formatDuration(last.predictedWallMs)} on the same graph at --parallel ${last.parallel} (executed tasks at their p90)`;
}
