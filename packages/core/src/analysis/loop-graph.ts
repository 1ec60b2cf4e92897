import type { ProjectDependencies, WeightedTask } from './analysis-types';
import { indexTaskGraph, indexTasks } from './indexed-task-graph';
import { buildLoopTimeModel, type LoopTimeModel } from './loop-times';
import { requireParallel } from './simulate-schedule';
import { splitPartId } from './what-if';
import type { WeightedTaskGraph } from './weighted-task-graph';

/**
 * The loop of a change in one project, cut out of the whole graph: the tasks `nx affected` runs
 * for it (the project's and every dependent project's), their edges, and the project graph
 * among those projects. Small enough to simulate again for every remedy and every set of them.
 */
export interface LoopGraph {
  /** The changed project. */
  project: string;
  /** Workers, as `nx affected --parallel N`. */
  parallel: number;
  /** The loop's tasks, in graph order. */
  tasks: WeightedTask[];
  /** Per task (by index in tasks): the indices of its dependencies inside the loop. */
  dependencies: number[][];
  /**
   * The project graph among the loop's projects. Exact for the scheduler's order: every project
   * depending on a loop project is itself in the loop, so transitive dependent counts are kept.
   */
  projectDependencies: ProjectDependencies;
}

/** What a remedy does to a loop's simulation. */
export type LoopEdit =
  /** The task runs in `parts` equal parts side by side (shards, or a split project's builds). */
  | { kind: 'split'; task: string; parts: number }
  /** The task takes this long instead (a test selection runs some of its files). */
  | { kind: 'duration'; task: string; durationMs: number }
  /** The tasks come from cache in this loop (0 ms): e.g. dependents' builds under declaration-only inputs. */
  | { kind: 'cached'; tasks: string[] }
  /** The loop runs on this many workers. */
  | { kind: 'parallel'; workers: number };

/** Cuts the loop of a change in `project` out of a built model; null when the project has no task. */
export function loopGraphOf(model: LoopTimeModel, project: string, parallel: number): LoopGraph | null {
  const index = model.projects.indexOf.get(project);
  if (index === undefined) return null;
  const affected = new Set(model.simulator.affectedProjects(index));
  const { graph } = model;
  const position = new Int32Array(graph.size).fill(-1);
  const tasks: WeightedTask[] = [];
  for (let task = 0; task < graph.size; task++) {
    if (!affected.has(model.projectOf(task))) continue;
    position[task] = tasks.length;
    tasks.push(graph.tasks[task]!);
  }
  if (tasks.length === 0) return null;
  const dependencies: number[][] = tasks.map(() => []);
  for (let task = 0; task < graph.size; task++) {
    if (position[task]! < 0) continue;
    for (let e = graph.dependencyStart[task]!; e < graph.dependencyStart[task + 1]!; e++) {
      const dependency = graph.dependencies[e]!;
      if (position[dependency]! >= 0) dependencies[position[task]!]!.push(position[dependency]!);
    }
  }
  const names = model.projects.names;
  const { dependencyStart, dependencies: projectEdges } = model.projects;
  const projectDependencies: ProjectDependencies = {};
  for (const member of [...affected].sort((a, b) => a - b)) {
    const own: string[] = [];
    for (let k = dependencyStart[member]!; k < dependencyStart[member + 1]!; k++) {
      if (affected.has(projectEdges[k]!)) own.push(names[projectEdges[k]!]!);
    }
    projectDependencies[names[member]!] = own;
  }
  return { project, parallel: requireParallel(parallel), tasks, dependencies, projectDependencies };
}

/** The loop of a change in `project` from a weighted task graph (builds the model; loopGraphOf reuses one). */
export function loopGraphFor(graph: WeightedTaskGraph, projectDependencies: ProjectDependencies, project: string, parallel: number): LoopGraph | null {
  return loopGraphOf(buildLoopTimeModel(indexTaskGraph(graph), projectDependencies, requireParallel(parallel)), project, parallel);
}

/**
 * The predicted wall time of a loop with some remedies applied (the same list scheduling as
 * every loop time). Edits compose: the largest worker count, the shortest duration, the most
 * parts of each task win; a cached task takes 0 ms whatever else applies to it.
 */
export function simulateLoop(loop: LoopGraph, edits: readonly LoopEdit[] = []): number {
  let parallel = loop.parallel;
  const durationOf = new Map<string, number>();
  const partsOf = new Map<string, number>();
  const cached = new Set<string>();
  for (const edit of edits) {
    if (edit.kind === 'parallel') parallel = Math.max(parallel, edit.workers);
    else if (edit.kind === 'duration') durationOf.set(edit.task, Math.min(durationOf.get(edit.task) ?? Infinity, edit.durationMs));
    else if (edit.kind === 'split') partsOf.set(edit.task, Math.max(partsOf.get(edit.task) ?? 1, edit.parts));
    else for (const task of edit.tasks) cached.add(task);
  }
  const tasks: WeightedTask[] = [];
  const firstOf: number[] = [];
  const countOf: number[] = [];
  for (const task of loop.tasks) {
    const durationMs = cached.has(task.id) ? 0 : Math.min(task.durationMs, durationOf.get(task.id) ?? Infinity);
    const parts = cached.has(task.id) ? 1 : (partsOf.get(task.id) ?? 1);
    firstOf.push(tasks.length);
    countOf.push(parts);
    if (parts === 1) tasks.push(durationMs === task.durationMs ? task : { ...task, durationMs });
    else for (let part = 1; part <= parts; part++) tasks.push({ ...task, id: splitPartId(task.id, part, parts), durationMs: Math.ceil(durationMs / parts) });
  }
  const sources: number[] = [];
  const targets: number[] = [];
  loop.dependencies.forEach((dependencies, task) => {
    for (const dependency of dependencies) {
      for (let from = firstOf[dependency]!; from < firstOf[dependency]! + countOf[dependency]!; from++) {
        for (let to = firstOf[task]!; to < firstOf[task]! + countOf[task]!; to++) {
          sources.push(from);
          targets.push(to);
        }
      }
    }
  });
  const indexed = indexTasks(tasks, sources, targets, () => null);
  const model = buildLoopTimeModel(indexed, loop.projectDependencies, requireParallel(parallel));
  return model.loopOf(model.projects.indexOf.get(loop.project)!).ms;
}
