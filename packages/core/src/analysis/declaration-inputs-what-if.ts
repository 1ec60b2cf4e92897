import type { ProjectDependencies, TaskGraphInput, WeightedTask } from './analysis-types';
import { indexTasks } from './indexed-task-graph';
import { buildLoopTimeModel } from './loop-times';
import { requireParallel } from './simulate-schedule';
import { findCycle } from './task-cycle';
import { graphOfWeightedTasks, weighTasks, type WeightedTaskList } from './weighted-task-graph';

export interface DeclarationInputsWhatIfInput {
  taskGraph: TaskGraphInput;
  projectDependencies: ProjectDependencies;
  /** p90 executed duration per task id, from history. */
  p90ByTask: ReadonlyMap<string, number>;
  parallel: number;
  /** The build target the narrowed tasks run (`build`): the one an inputs plan is made for. */
  target: string;
  /**
   * Build tasks whose inputs hash their dependencies' declarations instead of their sources
   * (an inputs plan's targets): after an implementation-only change in a project they depend
   * on, nx restores them from cache.
   */
  narrowedTasks: ReadonlySet<string>;
  /** Those of narrowedTasks whose inputs already hash declarations (an applied inputs plan). */
  appliedTasks?: ReadonlySet<string>;
  /** The projects whose loop to estimate; default: each project some narrowed task depends on. */
  projects?: readonly string[];
  defaultEstimateMs?: number;
}

export interface DeclarationInputsSaving {
  /** The project an implementation-only change is made in. */
  project: string;
  /** Its build target whose dependents' builds are narrowed: `sixty plan <project>:<target> --kind inputs`. */
  target: string;
  /** Simulated loop time of the change today. */
  beforeMs: number;
  /** The same with the narrowed builds of its dependents from cache (restores counted as 0 ms): an estimate. */
  afterMs: number;
  savedMs: number;
  /** How many builds of its dependents come from cache instead. */
  cachedTasks: number;
  /** How many of those already hash declarations (inputs in place): all of them means nothing is left to plan. */
  appliedTasks: number;
}

/**
 * The loop time declaration-only inputs would save, per project: the loop of a change in P
 * simulated as today, then with every narrowed build of a project other than P weighing 0 (a
 * cache hit: P's declarations did not change). Projects that save nothing are left out; the
 * rest come largest saving first, then by name.
 */
export function declarationInputsWhatIf(input: DeclarationInputsWhatIfInput): DeclarationInputsSaving[] {
  const parallel = requireParallel(input.parallel);
  const weighed = weighTasks(input.taskGraph, input.p90ByTask, input.defaultEstimateMs === undefined ? {} : { defaultEstimateMs: input.defaultEstimateMs });
  const narrowedProjects = new Set(weighed.tasks.filter((task) => input.narrowedTasks.has(task.id)).map((task) => task.project));
  const projects = input.projects ?? projectsBelow(narrowedProjects, input.projectDependencies);
  const before = modelOf(weighed, weighed.tasks, input.projectDependencies, parallel);
  const savings: DeclarationInputsSaving[] = [];
  for (const project of projects) {
    const index = before.projects.indexOf.get(project);
    if (index === undefined) continue;
    let cachedTasks = 0;
    const tasks = weighed.tasks.map((task): WeightedTask => {
      if (task.project === project || !input.narrowedTasks.has(task.id)) return task;
      cachedTasks++;
      return { ...task, durationMs: 0 };
    });
    if (cachedTasks === 0) continue;
    const beforeMs = before.loopOf(index).ms;
    const after = modelOf(weighed, tasks, input.projectDependencies, parallel);
    const afterMs = after.loopOf(after.projects.indexOf.get(project)!).ms;
    // only the builds the change would run: a narrowed build outside the project's dependents is not in its loop
    const inLoop = after.simulator.affectedProjects(after.projects.indexOf.get(project)!);
    const loopProjects = new Set(Array.from(inLoop, (k) => after.projects.names[k]));
    const cachedInLoop = tasks.filter((task, i) => task !== weighed.tasks[i] && loopProjects.has(task.project));
    const applied = cachedInLoop.filter((task) => input.appliedTasks?.has(task.id)).length;
    if (afterMs < beforeMs && cachedInLoop.length > 0) savings.push({ project, target: input.target, beforeMs, afterMs, savedMs: beforeMs - afterMs, cachedTasks: cachedInLoop.length, appliedTasks: applied });
  }
  return savings.sort((a, b) => b.savedMs - a.savedMs || (a.project < b.project ? -1 : a.project > b.project ? 1 : 0));
}

function modelOf(weighed: WeightedTaskList, tasks: readonly WeightedTask[], projectDependencies: ProjectDependencies, parallel: number) {
  const indexed = indexTasks(tasks, weighed.edgeSources, weighed.edgeTargets, () => findCycle(graphOfWeightedTasks(weighed)));
  return buildLoopTimeModel(indexed, projectDependencies, parallel);
}

/** The projects some narrowed project depends on, directly or not: their changes are the ones narrowing helps. */
function projectsBelow(narrowed: ReadonlySet<string>, dependencies: ProjectDependencies): string[] {
  const found = new Set<string>();
  const stack = [...narrowed];
  while (stack.length > 0) {
    for (const dependency of dependencies[stack.pop()!] ?? []) {
      if (found.has(dependency)) continue;
      found.add(dependency);
      stack.push(dependency);
    }
  }
  return [...found].sort();
}
