import type {
  GraphAnalysis,
  ProjectDependencies,
  TaskGraphInput,
  WeightedTask,
} from './analysis-types';
import { EXACT_WORK_LIMIT, rankViolationsOnModel, violationCandidates } from './budget-violations';
import { criticalPathOfIndexed } from './critical-path';
import { indexTasks, requireTaskIndex } from './indexed-task-graph';
import { buildLoopTimeModel, loopBudgetFor, loopTimesOfModel } from './loop-times';
import { loopViolationsOnModel, type LoopViolation, type LoopViolationOptions } from './loop-violations';
import { requireParallel, simulateWith } from './simulate-schedule';
import { requireParts, whatIfOnModel } from './what-if';
import { findCycle } from './task-cycle';
import { graphOfWeightedTasks, weighTasks } from './weighted-task-graph';

export interface AnalyzeGraphInput {
  /** The tasks Nx would run for the chosen targets, and their dependencies. */
  taskGraph: TaskGraphInput;
  /** The project graph: project -> the projects it depends on. */
  projectDependencies: ProjectDependencies;
  /** p90 executed duration per task id, from history. */
  p90ByTask: ReadonlyMap<string, number>;
  /** Workers, as `nx --parallel N`: an integer >= 1. */
  parallel: number;
  /** The budget of a task in ms (per-target budgets, else budgetSeconds). */
  budgetMsFor: (task: WeightedTask) => number;
  /** Budget of one loop in ms; default: the largest budget among the tasks the loop runs. */
  loopBudgetMs?: number;
  /**
   * Loops over loopBudgetMs with their remedies ranked (needs loopBudgetMs): the remedy context
   * and the command that plans a project's loop.
   */
  loopRemedies?: Omit<LoopViolationOptions, 'loopBudgetMs' | 'parallel'>;
  /** Splits to predict (`--what-if p3:test=4`). */
  whatIf?: ReadonlyArray<{ task: string; parts: number }>;
  /** Weight of a never-seen task when nothing is known, in ms (default 1000). */
  defaultEstimateMs?: number;
}

/**
 * The whole graph analysis of `sixty report`: critical path, simulated schedule, loop time per
 * project, budget violations ranked by loop cost, and the requested what-ifs. The graph, the
 * project index, the loop times before any change and the scheduler buffers are built once
 * and shared by every part.
 */
export function analyzeGraph(input: AnalyzeGraphInput): GraphAnalysis & { loopViolations?: LoopViolation[] } {
  const parallel = requireParallel(input.parallel);
  const weighed = weighTasks(
    input.taskGraph,
    input.p90ByTask,
    input.defaultEstimateMs === undefined ? {} : { defaultEstimateMs: input.defaultEstimateMs },
  );
  // Flattened directly; the graphology graph is only built to name a cycle.
  const indexed = indexTasks(weighed.tasks, weighed.edgeSources, weighed.edgeTargets, () => findCycle(graphOfWeightedTasks(weighed)));
  const whatIfs = (input.whatIf ?? []).map(({ task, parts }) => ({
    task: requireTaskIndex(indexed, task, 'what-if task'),
    parts: requireParts(parts),
  }));
  const model = buildLoopTimeModel(indexed, input.projectDependencies, parallel);
  const candidates = violationCandidates(model, input.budgetMsFor);

  const criticalPath = criticalPathOfIndexed(indexed);
  const simulation = simulateWith(indexed, model.simulator.scheduler);
  const loopBudget = loopBudgetFor(
    model,
    input.loopBudgetMs === undefined ? { budgetMsFor: input.budgetMsFor } : { budgetMs: input.loopBudgetMs },
  );
  const loopMsByProject = new Float64Array(model.projects.names.length);
  const loopTimes = loopTimesOfModel(model, loopBudget, loopMsByProject);

  const baseline = {
    criticalPathMs: criticalPath.durationMs,
    predictedWallMs: simulation.predictedWallMs,
    loopMsByProject,
  };
  return {
    targets: [...new Set(indexed.tasks.map((task) => task.target))],
    criticalPath,
    simulation,
    loopTimes,
    violations: rankViolationsOnModel(model, input.budgetMsFor, loopMsByProject, EXACT_WORK_LIMIT, candidates),
    whatIf: whatIfs.map(({ task, parts }) => whatIfOnModel(model, task, parts, baseline)),
    estimatedTasks: indexed.tasks.filter((task) => task.estimated).map((task) => task.id),
    ...(input.loopRemedies && input.loopBudgetMs !== undefined
      ? { loopViolations: loopViolationsOnModel(model, loopTimes, { ...input.loopRemedies, loopBudgetMs: input.loopBudgetMs, parallel }) }
      : {}),
  };
}
