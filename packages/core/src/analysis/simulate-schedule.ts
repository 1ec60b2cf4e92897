import { SixtyError } from '../errors/sixty-error';
import type { ScheduledTask, ScheduleSimulation } from './analysis-types';
import { indexTaskGraph, type IndexedTaskGraph } from './indexed-task-graph';
import { ListScheduler } from './list-scheduler';
import type { WeightedTaskGraph } from './weighted-task-graph';

export interface SimulateScheduleOptions {
  /** Workers, as `nx run-many --parallel N`: an integer >= 1. */
  parallel: number;
  /**
   * Project -> how many projects depend on it, transitively (countProjectDependents). Nx
   * orders ready tasks by it after their direct dependent count; missing projects count 0.
   */
  projectDependents?: ReadonlyMap<string, number>;
}

/**
 * Predicts how `nx run-many --parallel N` runs the graph: list scheduling in Nx's own order
 * (see ListScheduler), every task taking its weight. Returns the predicted wall time, each
 * task's worker, start and end (in start order), idle time per worker, and the tasks that ran
 * while every other worker was idle (only with parallel > 1; tasks of 0 ms never count).
 */
export function simulateSchedule(graph: WeightedTaskGraph, options: SimulateScheduleOptions): ScheduleSimulation {
  const parallel = requireParallel(options.parallel);
  const indexed = indexTaskGraph(graph);
  return simulateWith(indexed, new ListScheduler(indexed, parallel, projectDependentsByTask(indexed, options.projectDependents)));
}

/** The whole graph's schedule, run on a scheduler built for it. */
export function simulateWith(graph: IndexedTaskGraph, scheduler: ListScheduler): ScheduleSimulation {
  const { parallel } = scheduler;
  const wallMs = scheduler.run(null, graph.size, null, true, true);
  const { startMs, endMs, workerOf, startOrder, workerBusyMs } = scheduler;
  const tasks: ScheduledTask[] = [];
  for (let k = 0; k < graph.size; k++) {
    const task = startOrder[k]!;
    tasks.push({ id: graph.tasks[task]!.id, worker: workerOf[task]!, startMs: startMs[task]!, endMs: endMs[task]! });
  }
  return {
    parallel,
    predictedWallMs: wallMs,
    workerIdleMs: Array.from(workerBusyMs, (busy) => wallMs - busy),
    ranAlone: parallel > 1 ? tasksThatRanAlone(tasks) : [],
    tasks,
  };
}

/** Tasks (in start order) whose whole run overlapped no other task of positive duration. */
function tasksThatRanAlone(tasksInStartOrder: readonly ScheduledTask[]): string[] {
  const busy = tasksInStartOrder.filter((task) => task.endMs > task.startMs);
  const alone: string[] = [];
  let latestEndBefore = -Infinity;
  for (let k = 0; k < busy.length; k++) {
    const task = busy[k]!;
    const next = busy[k + 1];
    if (latestEndBefore <= task.startMs && (next === undefined || next.startMs >= task.endMs)) alone.push(task.id);
    latestEndBefore = Math.max(latestEndBefore, task.endMs);
  }
  return alone;
}

/** Nx's second sort key per task index, from a project -> dependent count map. */
export function projectDependentsByTask(
  graph: IndexedTaskGraph,
  projectDependents: ReadonlyMap<string, number> | undefined,
): Float64Array {
  const byTask = new Float64Array(graph.size);
  if (projectDependents) {
    for (let i = 0; i < graph.size; i++) byTask[i] = projectDependents.get(graph.tasks[i]!.project) ?? 0;
  }
  return byTask;
}

/** `parallel`, checked once at the edge of each public function. */
export function requireParallel(parallel: number): number {
  if (Number.isInteger(parallel) && parallel >= 1) return parallel;
  throw new SixtyError(
    'INVALID_ARGUMENT',
    `parallel must be a whole number of workers >= 1, got ${String(parallel)}.`,
    'Pass --parallel N with N >= 1 (nx.json "parallel" is used when the flag is left out).',
  );
}
