import { buildWeightedTaskGraph, computeLoopTimes, SixtyError, type BudgetViolation, type LoopTime, type TaskTiming, type WeightedTask } from '@sixty/core';
import { readGraphFileAsync } from '../nx/graph-file';
import { parseNxGraphFile, taskGraphArgs, type NxGraphs } from '../nx/task-graph';
import { lastLines } from '../process/run-process';
import { runSixty } from './child-process';

/** The part of `sixty report --json` a dispatch reads: the "before" of every dispatch. */
export interface ReportBefore {
  targets: Array<{ task: string; project: string; target: string; p90Ms: number; budgetMs: number; executions: number; overBudget: boolean }>;
  loopTimes: LoopTime[] | null;
  violations: BudgetViolation[] | null;
}

/** `sixty report --json` in the user's workspace (history and graph analysis, read only). */
export async function readReportBefore(workspaceRoot: string, env: NodeJS.ProcessEnv, budgetSeconds: number | undefined): Promise<ReportBefore> {
  const args = ['report', '--json', '--cwd', workspaceRoot, ...(budgetSeconds !== undefined ? ['--budget', String(budgetSeconds)] : [])];
  const result = await runSixty(args, { cwd: workspaceRoot, env });
  if (result.code !== 0) {
    throw new SixtyError('INVALID_REPORT', `sixty report failed before the dispatch: ${lastLines(result.stderr)}`, `run \`sixty report\` in ${workspaceRoot} to see why`);
  }
  try {
    const report = JSON.parse(result.stdout) as ReportBefore;
    return { targets: report.targets ?? [], loopTimes: report.loopTimes ?? null, violations: report.violations ?? null };
  } catch {
    throw new SixtyError('INVALID_REPORT', 'sixty report --json did not print JSON', `run \`sixty report --json\` in ${workspaceRoot} to see why`);
  }
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
