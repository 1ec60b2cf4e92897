import type { TargetStats } from '../stats/target-stats';

/**
 * What every run of a target pays before its first file (node, the compiler's start-up, reading
 * its config), estimated from the history: the fastest run of the same target in any other
 * project (the fastest, as the run least stretched by a busy machine). It over-counts a little
 * (those runs do some work too), which errs towards parts that fit. Capped at half the split
 * target's p90 and half its budget: a start-up larger than that is more likely a busy machine
 * than the build, and would make every split look impossible. 0 when no other project ran it.
 */
export function estimateRunStartupMs(stats: readonly TargetStats[], split: Pick<TargetStats, 'project' | 'target' | 'p90Ms'>, budgetMs = Number.POSITIVE_INFINITY): number {
  let least = Number.POSITIVE_INFINITY;
  for (const entry of stats) {
    // a loop, not Math.min(...spread): a long history must not overflow the call stack
    if (entry.executions === 0 || entry.target !== split.target || entry.project === split.project) continue;
    for (const ms of entry.durationsMs) least = Math.min(least, ms);
  }
  return Number.isFinite(least) ? Math.min(least, split.p90Ms / 2, budgetMs / 2) : 0;
}
