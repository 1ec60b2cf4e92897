import { isExecuted, taskKey, type RunRecord } from '../history/run-record';
import { percentileOfSorted } from './percentile';

/** Timing statistics of one target (project:target[:configuration]) over many runs. */
export interface TargetStats {
  task: string;
  project: string;
  target: string;
  configuration?: string;
  /** Runs that executed (not restored from cache, not skipped). */
  executions: number;
  cacheHits: number;
  failures: number;
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
  durationsMs: number[];
  cacheHits: number;
  failures: number;
  lastRunMs: number;
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
          durationsMs: [],
          cacheHits: 0,
          failures: 0,
          lastRunMs: 0,
        };
        byTask.set(key, acc);
      }
      if (task.cache !== 'none') acc.cacheHits++;
      if (task.status === 'failure') acc.failures++;
      if (isExecuted(task)) acc.durationsMs.push(task.durationMs);
      acc.lastRunMs = Math.max(acc.lastRunMs, task.endMs);
    }
  }
  const stats: TargetStats[] = [];
  for (const acc of byTask.values()) {
    const sorted = [...acc.durationsMs].sort((a, b) => a - b);
    stats.push({
      ...acc,
      executions: sorted.length,
      p50Ms: percentileOfSorted(sorted, 50),
      p90Ms: percentileOfSorted(sorted, 90),
      maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
    });
  }
  return stats.sort((a, b) => a.task.localeCompare(b.task));
}
