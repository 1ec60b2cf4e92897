import { DEFAULT_OPTIONS, defaultBudgetMs } from '../config/sixty-options';
import { SixtyError } from '../errors/sixty-error';
import type { LoopTime, ProjectDependencies, WeightedTask } from './analysis-types';
import { indexTaskGraph, type IndexedTaskGraph } from './indexed-task-graph';
import { indexProjectGraph, type ProjectGraphIndex } from './project-dependents';
import type { SplitOverlay } from './list-scheduler';
import { LoopSimulator } from './loop-simulator';
import { requireParallel } from './simulate-schedule';
import type { WeightedTaskGraph } from './weighted-task-graph';

export interface LoopTimeOptions {
  /** Workers, as `nx affected --parallel N`: an integer >= 1. */
  parallel: number;
  /** Budget of one loop (the wall time of a change), in ms. Wins over budgetMsFor. */
  budgetMs?: number;
  /**
   * Budget of a task, in ms. Without budgetMs, a loop is over budget when it takes longer
   * than the largest budget among the tasks it runs. Without either, the budget is 60 s.
   */
  budgetMsFor?: (task: WeightedTask) => number;
}

const DEFAULT_BUDGET_MS = defaultBudgetMs(DEFAULT_OPTIONS);

/**
 * Loop time per project: for a change in project P, `nx affected` runs the graph's tasks of P
 * and of every project that depends on P, directly or not; their dependencies in other
 * projects come from cache (0 ms). The loop time is the simulated wall time of those tasks
 * (simulateSchedule's model). One entry per project of the project graph or the task graph,
 * slowest first, then by project name.
 */
export function computeLoopTimes(
  graph: WeightedTaskGraph,
  projectDependencies: ProjectDependencies,
  options: LoopTimeOptions,
): LoopTime[] {
  const parallel = requireParallel(options.parallel);
  const model = buildLoopTimeModel(indexTaskGraph(graph), projectDependencies, parallel);
  return loopTimesOfModel(model, loopBudgetFor(model, options));
}

/** Flattens the project graph and builds the model every loop-time question shares. */
export function buildLoopTimeModel(
  graph: IndexedTaskGraph,
  projectDependencies: ProjectDependencies,
  parallel: number,
): LoopTimeModel {
  // Projects only the task graph names (no project graph entry) still get a loop.
  const projects = indexProjectGraph(
    projectDependencies,
    graph.tasks.map((task) => task.project),
  );
  return new LoopTimeModel(graph, projects, parallel);
}

/** Every project's loop time over a built model, slowest first; fills `loopMsByProject` when given. */
export function loopTimesOfModel(model: LoopTimeModel, budget: LoopBudget, loopMsByProject?: Float64Array): LoopTime[] {
  const loopTimes: LoopTime[] = [];
  const names = model.projects.names;
  const estimatedOfProject = model.estimatedTasksOfProjects();
  for (let project = 0; project < names.length; project++) {
    const { ms, taskCount, budgetMs } = model.loopOf(project, budget);
    if (loopMsByProject) loopMsByProject[project] = ms;
    const loop: LoopTime = { project: names[project]!, ms, overBudget: taskCount > 0 && ms > budgetMs, taskCount };
    if (estimatedOfProject && taskCount > 0) {
      // the tasks of the projects the change affects: the loop's tasks
      const affected = model.simulator.affectedProjects(project);
      let estimated = 0;
      for (let k = 0; k < affected.length; k++) estimated += estimatedOfProject[affected[k]!]!;
      if (estimated > 0) loop.estimatedTaskCount = estimated;
    }
    loopTimes.push(loop);
  }
  return sortLoopTimes(loopTimes);
}

export function sortLoopTimes(loopTimes: LoopTime[]): LoopTime[] {
  return loopTimes.sort((a, b) => b.ms - a.ms || (a.project < b.project ? -1 : a.project > b.project ? 1 : 0));
}

/**
 * One budget for every loop; or, per project index, the largest budget among its tasks (a loop
 * then gets the largest over the projects it runs).
 */
export type LoopBudget = number | Float64Array;

export function loopBudgetFor(
  model: LoopTimeModel,
  options: { budgetMs?: number; budgetMsFor?: (task: WeightedTask) => number },
): LoopBudget {
  if (options.budgetMs !== undefined) return requireBudget(options.budgetMs, 'budgetMs');
  if (!options.budgetMsFor) return DEFAULT_BUDGET_MS;
  const { graph } = model;
  const budgets = new Float64Array(model.projects.names.length);
  for (let i = 0; i < graph.size; i++) {
    const task = graph.tasks[i]!;
    const project = model.projectOf(i);
    budgets[project] = Math.max(budgets[project]!, requireBudget(options.budgetMsFor(task), `budgetMsFor(${task.id})`));
  }
  return budgets;
}

export function requireBudget(budgetMs: number, argumentName: string): number {
  if (typeof budgetMs === 'number' && budgetMs > 0 && Number.isFinite(budgetMs)) return budgetMs;
  throw new SixtyError(
    'INVALID_ARGUMENT',
    `${argumentName} must be a budget in ms greater than 0, got ${String(budgetMs)}.`,
    'Set budgetSeconds (or a per-target budget) to a positive number of seconds.',
  );
}

/**
 * Everything loop times share across projects, built once: the project index, the per-task
 * budgets' inputs and the simulator (see LoopSimulator). What-ifs and violation ranking run
 * the same model with a split overlay, so trying a split costs only the loops that run the
 * split task, not a copy of the graph.
 */
export class LoopTimeModel {
  readonly simulator: LoopSimulator;

  constructor(
    readonly graph: IndexedTaskGraph,
    readonly projects: ProjectGraphIndex,
    parallel: number,
  ) {
    const projectOfTask = new Int32Array(graph.size);
    for (let task = 0; task < graph.size; task++) {
      const project = projects.indexOf.get(graph.tasks[task]!.project);
      if (project === undefined) {
        throw new Error(`loop times: project "${graph.tasks[task]!.project}" missing from the project index`);
      }
      projectOfTask[task] = project;
    }
    this.simulator = new LoopSimulator(graph, projects, projectOfTask, parallel);
  }

  /** The loop of a change in one project (optionally with one task split): wall time, task count and budget. */
  loopOf(
    project: number,
    budget: LoopBudget = DEFAULT_BUDGET_MS,
    split: SplitOverlay | null = null,
  ): { ms: number; taskCount: number; budgetMs: number } {
    const { ms, taskCount } = this.simulated(project, split);
    let budgetMs: number;
    if (typeof budget === 'number') {
      budgetMs = budget;
    } else {
      budgetMs = 0;
      const affected = this.simulator.affectedProjects(project);
      for (let k = 0; k < affected.length; k++) budgetMs = Math.max(budgetMs, budget[affected[k]!]!);
    }
    return { ms, taskCount, budgetMs };
  }

  /** Predicted wall time of the whole graph (optionally with one task split). */
  wholeGraphMs(split: SplitOverlay | null = null): number {
    return this.simulated(-1, split).ms;
  }

  /** Per project, how many of its tasks never ran (weighed by an estimate); undefined when none did. */
  estimatedTasksOfProjects(): Int32Array | undefined {
    const { graph } = this;
    let counts: Int32Array | undefined;
    for (let task = 0; task < graph.size; task++) {
      if (!graph.tasks[task]!.estimated) continue;
      counts ??= new Int32Array(this.projects.names.length);
      counts[this.projectOf(task)]!++;
    }
    return counts;
  }

  /** The project index of a task. */
  projectOf(task: number): number {
    return this.simulator.projectOfTask[task]!;
  }

  /** How many tasks the loop of a change in one project runs, without simulating it. */
  loopTaskCount(project: number): number {
    return this.simulator.loopTaskCount(project);
  }

  /** The projects whose change runs the task: its own project and every project it depends on, transitively. */
  projectsRunning(task: number): number[] {
    return this.simulator.projectsRunning(task);
  }

  private simulated(project: number, split: SplitOverlay | null): { ms: number; taskCount: number } {
    const ms = this.simulator.simulate(project, split);
    return { ms, taskCount: this.simulator.taskCount };
  }
}

