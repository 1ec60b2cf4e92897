import type { BudgetViolation, ProjectDependencies, WeightedTask } from './analysis-types';
import { indexTaskGraph } from './indexed-task-graph';
import { buildLoopTimeModel, requireBudget, type LoopTimeModel } from './loop-times';
import { requireParallel } from './simulate-schedule';
import type { WeightedTaskGraph } from './weighted-task-graph';

export interface RankBudgetViolationsOptions {
  /** Workers, as `nx --parallel N`: an integer >= 1. */
  parallel: number;
  /** The budget of a task in ms (per-target budgets, else budgetSeconds). */
  budgetMsFor: (task: WeightedTask) => number;
}

/**
 * The tasks over budget, ranked by the loop time they cost: for each task longer than its
 * budget, the loop times are simulated again with the task split in ceil(duration / budget)
 * equal parts, and the savings summed over every project whose change runs the task. A task
 * on the path of many changes thus outranks an isolated slower one. Ties: more affected
 * projects, then slower, then task id.
 */
export function rankBudgetViolations(
  graph: WeightedTaskGraph,
  projectDependencies: ProjectDependencies,
  options: RankBudgetViolationsOptions,
): BudgetViolation[] {
  const parallel = requireParallel(options.parallel);
  const model = buildLoopTimeModel(indexTaskGraph(graph), projectDependencies, parallel);
  return rankViolationsOnModel(model, options.budgetMsFor, null);
}

/** The ranking over a built model; `loopMsByProject` (per project index) when already known. */
export function rankViolationsOnModel(
  model: LoopTimeModel,
  budgetMsFor: (task: WeightedTask) => number,
  loopMsByProject: Float64Array | null,
): BudgetViolation[] {
  const before = loopMsByProject ?? new Float64Array(model.projects.names.length).fill(-1);
  const loopBefore = (project: number): number => {
    if (before[project]! < 0) before[project] = model.loopOf(project).ms;
    return before[project]!;
  };
  const violations: BudgetViolation[] = [];
  const { graph } = model;
  for (let task = 0; task < graph.size; task++) {
    const weighted = graph.tasks[task]!;
    const budgetMs = requireBudget(budgetMsFor(weighted), `budgetMsFor(${weighted.id})`);
    if (!(weighted.durationMs > budgetMs)) continue;
    const parts = Math.ceil(weighted.durationMs / budgetMs);
    const split = { task, parts };
    const running = model.projectsRunning(task);
    let loopCostMs = 0;
    for (const project of running) loopCostMs += loopBefore(project) - model.loopOf(project, undefined, split).ms;
    violations.push({
      task: weighted.id,
      p90Ms: weighted.durationMs,
      budgetMs,
      affectedBy: running.length,
      loopCostMs,
      parts,
      estimated: weighted.estimated,
    });
  }
  return violations.sort(
    (a, b) =>
      b.loopCostMs - a.loopCostMs ||
      b.affectedBy - a.affectedBy ||
      b.p90Ms - a.p90Ms ||
      (a.task < b.task ? -1 : a.task > b.task ? 1 : 0),
  );
}
