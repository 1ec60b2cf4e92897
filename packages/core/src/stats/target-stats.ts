import { isExecuted, taskKey, type RunRecord } from '../history/run-record';
import { percentileOfSorted } from './percentile';

/** Timing statistics of one target (project:target[:configuration]) over many runs. */
export interface TargetStats {
  task: string;
  project: string;
  target: string;
  configuration?: string;
  /** Runs that executed (not restored from cache, not skipped) and did their work: the duration samples. */
  executions: number;
  cacheHits: number;
  /** Every failed run, early failures included. */
  failures: number;
  /** Failed runs that ended before doing the work (see isEarlyFailure): failures, not duration samples. */
  earlyFailures: number;
  p50Ms: number;
  p90Ms: number;
  maxMs: number;
  /** Executed durations, oldest first: the raw series behind p50/p90 and any trend. */
  durationsMs: number[];
  lastRunMs: number;
}

interface Accumulator {
  task: string;
  project: string;
  target: string;
  configuration?: string;
  /** Executed runs, oldest first: duration and whether it failed. */
  executed: Array<{ ms: number; failed: boolean }>;
  cacheHits: number;
  failures: number;
  lastRunMs: number;
}

/** A failed run under this share of the task's median successful run ended before doing its work. */
export const EARLY_FAILURE_SHARE = 0.5;
/** With no successful run to compare, a failed run under this many ms ended before doing its work. */
export const EARLY_FAILURE_MS = 1000;

/**
 * A failed execution that ended before doing the work (a configuration error, a missing file, a
 * crash at start-up): it says how long failing takes, not how long the target takes. Under half
 * the median of the task's successful runs, or under 1 s when it never succeeded.
 */
export function isEarlyFailure(durationMs: number, successMedianMs: number | undefined): boolean {
  return durationMs < (successMedianMs === undefined ? EARLY_FAILURE_MS : successMedianMs * EARLY_FAILURE_SHARE);
}

/** Groups every task record by target and computes its statistics. Runs must be oldest first. */
export function computeTargetStats(runs: readonly RunRecord[]): TargetStats[] {
  const byTask = new Map<string, Accumulator>();
  for (const run of runs) {
    for (const task of run.tasks) {
      const key = taskKey(task.project, task.target, task.configuration);
      let acc = byTask.get(key);
      if (!acc) {
        acc = {
          task: key,
          project: task.project,
          target: task.target,
          ...(task.configuration ? { configuration: task.configuration } : {}),
          executed: [],
          cacheHits: 0,
          failures: 0,
          lastRunMs: 0,
        };
        byTask.set(key, acc);
      }
      if (task.cache !== 'none') acc.cacheHits++;
      if (task.status === 'failure') acc.failures++;
      if (isExecuted(task)) acc.executed.push({ ms: task.durationMs, failed: task.status === 'failure' });
      acc.lastRunMs = Math.max(acc.lastRunMs, task.endMs);
    }
  }
  const stats: TargetStats[] = [];
  for (const { executed, ...acc } of byTask.values()) {
    // failed runs that did the work are samples like successful ones; early failures are not
    const successes = executed.filter((run) => !run.failed).map((run) => run.ms);
    const successMedian = successes.length > 0 ? percentileOfSorted(successes.sort((a, b) => a - b), 50) : undefined;
    const durationsMs = executed.filter((run) => !run.failed || !isEarlyFailure(run.ms, successMedian)).map((run) => run.ms);
    const sorted = [...durationsMs].sort((a, b) => a - b);
    stats.push({
      ...acc,
      durationsMs,
      earlyFailures: executed.length - durationsMs.length,
      executions: sorted.length,
      p50Ms: percentileOfSorted(sorted, 50),
      p90Ms: percentileOfSorted(sorted, 90),
      maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    });
  }
  return stats.sort((a, b) => a.task.localeCompare(b.task));
}
