import { SixtyError } from '../errors/sixty-error';
import type { LoopTime, ProjectDependencies, WeightedTask } from './analysis-types';
import { indexTaskGraph, type IndexedTaskGraph } from './indexed-task-graph';
import { indexProjectGraph, ProjectWalker, type ProjectGraphIndex } from './project-dependents';
import { ListScheduler, type SplitOverlay } from './list-scheduler';
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

const DEFAULT_BUDGET_MS = 60_000;

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
  for (let project = 0; project < names.length; project++) {
    const { ms, taskCount, budgetMs } = model.loopOf(project, budget);
    if (loopMsByProject) loopMsByProject[project] = ms;
    loopTimes.push({ project: names[project]!, ms, overBudget: taskCount > 0 && ms > budgetMs, taskCount });
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
 * Everything loop times share across projects, built once: the tasks of each project, the
 * reverse project graph walk, Nx's project-dependent counts and one reusable scheduler.
 * What-ifs and violation ranking run the same model with a split overlay, so trying a split
 * costs only the loops that run the split task, not a copy of the graph.
 */
export class LoopTimeModel {
  /** Per project index: how many projects depend on it, transitively (Nx's second sort key). */
  readonly projectDependents: Int32Array;
  /** The same count per task index, as the scheduler's second key. */
  readonly projectDependentsByTask: Float64Array;
  private readonly taskStart: Int32Array;
  private readonly tasksOfProject: Int32Array;
  private readonly projectOfTask: Int32Array;
  private readonly walker: ProjectWalker;
  private readonly reachedProjects: Int32Array;
  private readonly members: Int32Array;
  /** One bit per task, all clear between loops: sorts a loop's members. */
  private readonly memberBits: Int32Array;
  /** The scheduler every run of the model shares (its buffers are per graph, not per run). */
  readonly scheduler: ListScheduler;
  /**
   * True when every task dependency joins tasks of one project or of a project and one it
   * depends on (as `^target` does): a loop then runs every dependent of each task it runs.
   */
  private readonly followsProjectGraph: boolean;

  constructor(
    readonly graph: IndexedTaskGraph,
    readonly projects: ProjectGraphIndex,
    parallel: number,
  ) {
    const projectCount = projects.names.length;
    this.walker = new ProjectWalker(projects);
    this.reachedProjects = new Int32Array(projectCount);
    this.projectDependents = new Int32Array(projectCount);
    for (let project = 0; project < projectCount; project++) {
      this.projectDependents[project] = this.walker.collect(project, 'dependents', this.reachedProjects) - 1;
    }

    const projectOfTask = (this.projectOfTask = new Int32Array(graph.size));
    const taskStart = (this.taskStart = new Int32Array(projectCount + 1));
    for (let task = 0; task < graph.size; task++) {
      const project = projects.indexOf.get(graph.tasks[task]!.project);
      if (project === undefined) {
        throw new Error(`loop times: project "${graph.tasks[task]!.project}" missing from the project index`);
      }
      projectOfTask[task] = project;
      taskStart[project + 1]!++;
    }
    for (let project = 0; project < projectCount; project++) taskStart[project + 1]! += taskStart[project]!;
    const fill = taskStart.slice(0, projectCount);
    const tasksOfProject = (this.tasksOfProject = new Int32Array(graph.size));
    for (let task = 0; task < graph.size; task++) tasksOfProject[fill[projectOfTask[task]!]!++] = task;

    this.members = new Int32Array(graph.size);
    this.memberBits = new Int32Array(Math.ceil(graph.size / 32));
    const byTask = (this.projectDependentsByTask = new Float64Array(graph.size));
    for (let task = 0; task < graph.size; task++) byTask[task] = this.projectDependents[projectOfTask[task]!]!;
    this.scheduler = new ListScheduler(graph, parallel, byTask);
    this.followsProjectGraph = taskGraphFollows(graph, projects, projectOfTask);
  }

  /** The loop of a change in one project (optionally with one task split): wall time, task count and budget. */
  loopOf(
    project: number,
    budget: LoopBudget = DEFAULT_BUDGET_MS,
    split: SplitOverlay | null = null,
  ): { ms: number; taskCount: number; budgetMs: number } {
    const { reachedProjects } = this;
    const reached = this.walker.collect(project, 'dependents', reachedProjects);
    const count = this.collectMembers(reached);
    const ms = count === 0 ? 0 : this.scheduler.run(this.members, count, split, this.followsProjectGraph);
    let budgetMs: number;
    if (typeof budget === 'number') {
      budgetMs = budget;
    } else {
      budgetMs = 0;
      for (let k = 0; k < reached; k++) budgetMs = Math.max(budgetMs, budget[reachedProjects[k]!]!);
    }
    return { ms, taskCount: count === 0 ? 0 : this.scheduler.taskCount, budgetMs };
  }

  /**
   * Writes the tasks of the first `reached` projects of reachedProjects into members, in
   * ascending index order as the scheduler takes them, by way of a bitset; returns how many.
   */
  private collectMembers(reached: number): number {
    const { members, memberBits, tasksOfProject, taskStart, reachedProjects } = this;
    let lowWord = memberBits.length;
    let highWord = -1;
    for (let k = 0; k < reached; k++) {
      const affected = reachedProjects[k]!;
      for (let t = taskStart[affected]!; t < taskStart[affected + 1]!; t++) {
        const task = tasksOfProject[t]!;
        const word = task >> 5;
        memberBits[word]! |= 1 << (task & 31);
        if (word < lowWord) lowWord = word;
        if (word > highWord) highWord = word;
      }
    }
    let count = 0;
    for (let word = lowWord; word <= highWord; word++) {
      let bits = memberBits[word]!;
      memberBits[word] = 0;
      while (bits !== 0) {
        const lowest = bits & -bits;
        bits ^= lowest;
        members[count++] = (word << 5) + 31 - Math.clz32(lowest);
      }
    }
    return count;
  }

  /** The project index of a task. */
  projectOf(task: number): number {
    return this.projectOfTask[task]!;
  }

  /** How many tasks the loop of a change in one project runs, without simulating it. */
  loopTaskCount(project: number): number {
    const { taskStart, reachedProjects } = this;
    const reached = this.walker.collect(project, 'dependents', reachedProjects);
    let count = 0;
    for (let k = 0; k < reached; k++) count += taskStart[reachedProjects[k]! + 1]! - taskStart[reachedProjects[k]!]!;
    return count;
  }

  /** Predicted wall time of the whole graph (optionally with one task split). */
  wholeGraphMs(split: SplitOverlay | null = null): number {
    return this.scheduler.run(null, this.graph.size, split);
  }

  /** The projects whose change runs the task: its own project and every project it depends on, transitively. */
  projectsRunning(task: number): number[] {
    const reached = this.walker.collect(this.projectOfTask[task]!, 'dependencies', this.reachedProjects);
    return Array.from(this.reachedProjects.subarray(0, reached));
  }
}

/** Whether each task edge stays in one project or follows a direct edge of the project graph. */
function taskGraphFollows(graph: IndexedTaskGraph, projects: ProjectGraphIndex, projectOfTask: Int32Array): boolean {
  const { dependencyStart, dependencies } = graph;
  for (let task = 0; task < graph.size; task++) {
    const project = projectOfTask[task]!;
    for (let e = dependencyStart[task]!; e < dependencyStart[task + 1]!; e++) {
      const dependencyProject = projectOfTask[dependencies[e]!]!;
      if (dependencyProject === project) continue;
      let direct = false;
      for (let k = projects.dependencyStart[project]!; k < projects.dependencyStart[project + 1]! && !direct; k++) {
        direct = projects.dependencies[k] === dependencyProject;
      }
      if (!direct) return false;
    }
  }
  return true;
}
