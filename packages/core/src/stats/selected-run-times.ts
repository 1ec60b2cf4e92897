import type { RunRecord } from '../history/run-record';
import { computeTargetStats } from './target-stats';

/**
 * What a test task takes when `sixty check` runs only the test files a change reaches: the p50
 * of its executed durations in recorded selection runs (readHistory with keepSelections). The
 * loop remedies use it to estimate a test selection; tasks never run on a selection are absent.
 */
export function selectedRunTimes(runs: readonly RunRecord[]): Map<string, number> {
  const selectionRuns = runs.filter((run) => run.selection !== undefined);
  return new Map(computeTargetStats(selectionRuns).filter((stats) => stats.executions > 0).map((stats) => [stats.task, stats.p50Ms]));
}
