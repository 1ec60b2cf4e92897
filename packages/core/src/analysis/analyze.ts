import type {
  GraphAnalysis,
  ProjectDependencies,
  TaskGraphInput,
  WeightedTask,
} from './analysis-types';
import { EXACT_WORK_LIMIT, rankViolationsOnModel, violationCandidates, type ViolationCandidate } from './budget-violations';
import { criticalPathOfIndexed } from './critical-path';
import { indexTasks, requireTaskIndex } from './indexed-task-graph';
import { LoopHelper } from './loop-helper';
import { buildLoopTimeModel, loopBudgetFor, loopTimesOfModel, type LoopRun, type LoopTimeModel } from './loop-times';
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
  /** Splits to predict (`--what-if p3:test=4`). */
  whatIf?: ReadonlyArray<{ task: string; parts: number }>;
  /** Weight of a never-seen task when nothing is known, in ms (default 1000). */
  defaultEstimateMs?: number;
  /**
   * Whether a big graph's simulations may share the work with the helper thread that
   * prepareGraphAnalysis started (default true). The result is the same either way.
   */
  helperThread?: boolean;
}

/**
 * The whole graph analysis of `sixty report`: critical path, simulated schedule, loop time per
 * project, budget violations ranked by loop cost, and the requested what-ifs. The graph, the
 * project index, the loop times before any change and the scheduler buffers are built once
 * and shared by every part.
 */
export function analyzeGraph(input: AnalyzeGraphInput): GraphAnalysis {
  const parallel = requireParallel(input.parallel);
  // The helper thread, when prepareGraphAnalysis started one and it is warm.
  const taskCount = Array.isArray(input.taskGraph?.tasks) ? input.taskGraph.tasks.length : 0;
  const helper = taskCount >= HELPER_MIN_TASKS && input.helperThread !== false ? LoopHelper.warmOne() : null;
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
  if (helper) {
    // Every run the analysis will ask for is known now: simulate them on both threads.
    const runs = plannedRuns(model, candidates, whatIfs);
    const placements = runs.map((run) => (run.project === -1 ? indexed.size : model.loopTaskCount(run.project)));
    if (placements.reduce((sum, n) => sum + n, 0) >= HELPER_MIN_PLACEMENTS) {
      const { ms, taskCounts } = helper.simulate(model.simulator, runs, placements);
      model.learn(runs, ms, taskCounts);
    }
  }

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
  };
}

/** Graphs from this many tasks use the helper thread (started once per process); smaller ones are quick alone. */
export const HELPER_MIN_TASKS = 2_000;
/** And only when their runs place this many tasks (~15 ms of simulation). */
const HELPER_MIN_PLACEMENTS = 250_000;

/**
 * Starts the analysis's helper thread ahead, when the graph to analyze will likely be big
 * (`expectedTasks`, e.g. the tasks in the history), so it is warm by the time analyzeGraph
 * runs: call it before reading nx's graphs. Costs the main thread about a millisecond; the
 * thread's warm-up runs on the other core. `helperScript`: where the thread's script is
 * (default: loop-worker.js next to the running bundle). Resolves true once the thread is
 * warm, false when there is none (small graph, one core, no script); callers need not wait.
 */
export function prepareGraphAnalysis(expectedTasks: number, helperScript?: string): Promise<boolean> {
  const helper = expectedTasks >= HELPER_MIN_TASKS ? LoopHelper.obtain(helperScript) : null;
  return helper ? helper.warm() : Promise.resolve(false);
}

/** The runs loop times, the exactly ranked violations and the what-ifs ask the model for. */
function plannedRuns(
  model: LoopTimeModel,
  candidates: readonly ViolationCandidate[],
  whatIfs: ReadonlyArray<{ task: number; parts: number }>,
): LoopRun[] {
  const runs: LoopRun[] = [];
  for (let project = 0; project < model.projects.names.length; project++) runs.push({ project, split: null });
  for (const candidate of candidates) {
    if (!candidate.exact) continue;
    for (const project of candidate.running) runs.push({ project, split: candidate.split });
  }
  for (const split of whatIfs) {
    for (const project of model.projectsRunning(split.task)) runs.push({ project, split });
    runs.push({ project: -1, split });
  }
  return runs;
}
