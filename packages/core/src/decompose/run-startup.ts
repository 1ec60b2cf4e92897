import type { TargetStats } from '../stats/target-stats';

/**
 * What every run of a target pays before its first file (node, the compiler's start-up, reading
 * its config), estimated from the history: the least median among the other projects' runs of
 * the same target. It over-counts a little (those runs do some work too), which errs towards
 * parts that fit. Capped at half the split target's p90, so one slow neighbour cannot make every
 * split look impossible. 0 when no other project ran the target.
 */
export function estimateRunStartupMs(stats: readonly TargetStats[], split: Pick<TargetStats, 'project' | 'target' | 'p90Ms'>): number {
  let least = Number.POSITIVE_INFINITY;
  for (const entry of stats) {
    if (entry.executions > 0 && entry.target === split.target && entry.project !== split.project) least = Math.min(least, entry.p50Ms);
  }
  return Number.isFinite(least) ? Math.min(least, split.p90Ms / 2) : 0;
}
