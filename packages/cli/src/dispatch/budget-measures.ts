import { buildWeightedTaskGraph, computeLoopTimes, type Report, type TaskTiming, type WeightedTask } from '@sixty/core';
import { readGraphFileAsync } from '../nx/graph-file';
import { parseNxGraphFile, taskGraphArgs, type NxGraphs } from '../nx/task-graph';
import { buildReportModel } from '../report/build-report-model';
import type { Workspace } from '../workspace';

/** What a dispatch reads of the report model: the "before" of every dispatch. */
export type ReportBefore = Pick<Report, 'targets' | 'loopTimes' | 'violations'>;

/** The report model of the user's workspace, built in this process (history and graph analysis, read only). */
export function readReportBefore(workspace: Workspace, budgetSeconds: number | undefined): ReportBefore {
  // as when it ran as `sixty report --json` in a child process: its warnings are not the dispatch's output
  return buildReportModel(workspace, budgetSeconds !== undefined ? { budget: budgetSeconds } : {}, { warn: () => undefined, warnSkippedRecords: false });
}

/** The targets over budget, the costliest first (by loop time cost, else by p90 over budget). */
export function overBudgetTasks(report: ReportBefore): string[] {
  const over = report.targets.filter((t) => t.overBudget);
  const rank = new Map((report.violations ?? []).map((v, index) => [v.task, index]));
  return over
    .sort((a, b) => (rank.get(a.task) ?? Infinity) - (rank.get(b.task) ?? Infinity) || b.p90Ms - b.budgetMs - (a.p90Ms - a.budgetMs) || a.task.localeCompare(b.task))
    .map((t) => t.task);
}

/**
 * The task graph of a worktree (`nx run-many -t <targets> --graph=<file>`), without blocking the
 * event loop; null when nx cannot compute it (the loop time after is then unknown).
 */
export async function readTaskGraph(workspaceRoot: string, targets: string[], env: NodeJS.ProcessEnv): Promise<NxGraphs | null> {
  if (targets.length === 0) return null;
  const read = await readGraphFileAsync(workspaceRoot, (file) => taskGraphArgs(targets, file), env);
  if (!read.ok) return null;
  try {
    return parseNxGraphFile(read.data as Parameters<typeof parseNxGraphFile>[0]);
  } catch {
    return null;
  }
}

/** Loop time of a change in `project` over the graph, weighted by the given times. */
export function loopTimeOf(
  graphs: NxGraphs,
  timings: ReadonlyMap<string, TaskTiming>,
  project: string,
  parallel: number,
  budgetMsFor: (task: WeightedTask) => number,
): number | null {
  try {
    // the loop times alone: no critical path, schedule or violation ranking is needed here
    const graph = buildWeightedTaskGraph(graphs.taskGraph, new Map([...timings].map(([task, timing]) => [task, timing.ms])));
    const loopTimes = computeLoopTimes(graph, graphs.projectDependencies, { parallel, budgetMsFor });
    return loopTimes.find((l) => l.project === project)?.ms ?? null;
  } catch {
    return null;
  }
}
