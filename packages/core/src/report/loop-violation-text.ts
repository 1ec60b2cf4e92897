import type { LoopViolation } from '../analysis/loop-violations';
import { ESTIMATE_MARK } from './analysis-notes';
import { formatDuration } from '../text/format-duration';
import { plural } from '../text/plural';
import type { Report } from './report-model';

/** A report lists this many loops over budget, each with this many remedies; the rest are counted. */
export const SHOWN_LOOP_VIOLATIONS = 5;
export const SHOWN_REMEDIES = 3;

/** `3 of 8 loops over the loop budget (45.0s)`; undefined without loop times. */
export function loopVerdict(report: Report): string | undefined {
  if (!report.loopTimes || report.loopTimes.length === 0 || !report.loopViolations) return undefined;
  const loops = report.loopTimes.filter((loop) => loop.taskCount > 0).length;
  const over = report.loopViolations.length;
  const budget = formatDuration(report.loopBudgetMs);
  return over === 0 ? `every loop within the loop budget (${budget})` : `${over} of ${plural(loops, 'loop')} over the loop budget (${budget})`;
}

/** A loop's time, marked when it rests on never-run tasks' estimates. */
export function loopTimeText(violation: LoopViolation): string {
  const time = formatDuration(violation.loopMs);
  return violation.estimatedTaskCount ? `${time} ${ESTIMATE_MARK}` : time;
}

/** `shard lib-c:test in 2 -4.1s`: a remedy and its predicted saving. */
export function remedyText(remedy: LoopViolation['remedies'][number]): string {
  return `${remedy.summary} -${formatDuration(remedy.savingMs)}`;
}

/** One line per loop over budget (the slowest SHOWN_LOOP_VIOLATIONS), after a line saying what a loop is and that savings are estimates. */
export function loopViolationLines(report: Report): string[] {
  const violations = report.loopViolations ?? [];
  if (violations.length === 0) return [];
  const parallel = violations[0]!.parallel;
  const lines = [
    `loops over the loop budget (${formatDuration(report.loopBudgetMs)}: the wall time of a change, its affected tasks at --parallel ${parallel}), slowest first; savings are estimates of the simulation, each remedy alone:`,
  ];
  for (const violation of violations.slice(0, SHOWN_LOOP_VIOLATIONS)) {
    const largest = violation.largestTask;
    const head = `  ${violation.project} ${loopTimeText(violation)} (${plural(violation.taskCount, 'task')}, largest ${largest.id} ${formatDuration(largest.durationMs)}${largest.estimated ? ` ${ESTIMATE_MARK}` : ''})`;
    const remedies = violation.remedies.slice(0, SHOWN_REMEDIES).map(remedyText);
    const more = violation.remedies.length > SHOWN_REMEDIES ? ` (+${violation.remedies.length - SHOWN_REMEDIES} more)` : '';
    lines.push(`${head}: ${remedies.length > 0 ? `${remedies.join(', ')}${more}` : 'no remedy simulated'}; plan: ${violation.planCommand}`);
  }
  if (violations.length > SHOWN_LOOP_VIOLATIONS) lines.push(`  (+${violations.length - SHOWN_LOOP_VIOLATIONS} more loops over budget)`);
  return lines;
}
