import {
  computeTargetStats,
  narrowTaskGraph,
  preferShardedTargets,
  SHARDED_SUFFIX,
  type HistoryReadResult,
  type ProjectDependencies,
  type TaskGraphInput,
} from '@sixty/core';
import { readNxGraphs } from './nx/task-graph';
import type { Workspace } from './workspace';

/** Nx's own default worker count when nx.json sets none. */
export const NX_DEFAULT_PARALLEL = 3;

/** The task graph an analysis runs on: measured tasks only unless the whole graph is asked for. */
export interface MeasuredTaskGraph {
  targets: string[];
  /** The whole task graph of the targets (sharded aggregates in place of their targets). */
  fullTaskGraph: TaskGraphInput;
  /** The graph analysed: measured tasks, or every task with --whole-graph. */
  taskGraph: TaskGraphInput;
  /** Tasks left out because they never ran (empty with --whole-graph). */
  leftOut: string[];
  projectDependencies: ProjectDependencies;
  p90ByTask: Map<string, number>;
}

/**
 * Reads the task graph of the targets from nx and weighs it with the history: what `sixty
 * report` and `sixty plan --loop` analyse. Targets default to every target recorded.
 */
export function readMeasuredTaskGraph(
  workspace: Workspace,
  history: HistoryReadResult,
  options: { targets?: string[]; wholeGraph?: boolean },
): MeasuredTaskGraph | null {
  const stats = computeTargetStats(history.runs);
  const targets = options.targets ?? [...new Set(stats.map((s) => s.target))].sort();
  if (targets.length === 0) return null;
  // sharded aggregates stand in for their target where they exist: that is what CI runs
  const graphs = readNxGraphs(workspace.root, [...targets, ...targets.map((t) => `${t}${SHARDED_SUFFIX}`)]);
  const taskGraph = preferShardedTargets(graphs.taskGraph);
  const p90ByTask = new Map(stats.filter((s) => s.executions > 0).map((s) => [s.task, s.p90Ms]));
  for (const task of taskGraph.tasks) if (task.target.endsWith(SHARDED_SUFFIX)) p90ByTask.set(task.id, 0); // nx:noop
  // a never-run task has no measure: left out unless the whole graph is asked for (then estimated, marked)
  const narrowed = options.wholeGraph ? { taskGraph, leftOut: [] } : narrowTaskGraph(taskGraph, (id) => p90ByTask.has(id));
  return { targets, fullTaskGraph: taskGraph, taskGraph: narrowed.taskGraph, leftOut: narrowed.leftOut, projectDependencies: graphs.projectDependencies, p90ByTask };
}

/** The flags that make `sixty plan <project> --loop` analyse what a report or check did. */
export function loopPlanCommand(project: string, flags: { targets?: string[]; parallel?: number; budget?: number }): string {
  return [
    `sixty plan ${project} --loop`,
    ...(flags.targets ? [`--targets ${flags.targets.join(',')}`] : []),
    ...(flags.parallel !== undefined ? [`--parallel ${flags.parallel}`] : []),
    ...(flags.budget !== undefined ? [`--budget ${flags.budget}`] : []),
  ].join(' ');
}
