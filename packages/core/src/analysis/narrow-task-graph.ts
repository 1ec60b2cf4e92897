import type { TaskGraphInput } from './analysis-types';

export interface NarrowedTaskGraph {
  taskGraph: TaskGraphInput;
  /** The task ids left out, in the input's order. */
  leftOut: string[];
}

/**
 * The task graph narrowed to the tasks `keep` accepts, in input order. An order through a
 * left-out task is kept: when a depends on x and x on b, and only x is left out, a depends on
 * b, so a kept task never starts earlier than it would in the whole graph for want of an edge.
 * Dependencies naming no task of the graph are passed on unchanged (analyzeGraph reports them).
 */
export function narrowTaskGraph(input: TaskGraphInput, keep: (taskId: string) => boolean): NarrowedTaskGraph {
  const kept = new Set<string>();
  const leftOut: string[] = [];
  const known = new Set<string>();
  for (const task of input.tasks) {
    known.add(task.id);
    if (keep(task.id)) kept.add(task.id);
    else leftOut.push(task.id);
  }
  if (leftOut.length === 0) return { taskGraph: input, leftOut };

  // The kept tasks a left-out task stands for, as a dependency: its own kept (or unknown)
  // dependencies and those of its left-out dependencies, once each. Computed on first use.
  const throughLeftOut = new Map<string, string[]>();
  const keptBelow = (taskId: string, onPath: Set<string>): string[] => {
    const done = throughLeftOut.get(taskId);
    if (done) return done;
    if (onPath.has(taskId)) return []; // a cycle: analyzeGraph names it on the whole graph's kept part
    onPath.add(taskId);
    const found = new Set<string>();
    for (const dependency of input.dependencies[taskId] ?? []) {
      if (kept.has(dependency) || !known.has(dependency)) found.add(dependency);
      else for (const below of keptBelow(dependency, onPath)) found.add(below);
    }
    onPath.delete(taskId);
    const list = [...found];
    throughLeftOut.set(taskId, list);
    return list;
  };

  const tasks = input.tasks.filter((task) => kept.has(task.id));
  const dependencies: Record<string, string[]> = {};
  for (const [taskId, direct] of Object.entries(input.dependencies)) {
    if (known.has(taskId) && !kept.has(taskId)) continue;
    const found = new Set<string>();
    for (const dependency of direct) {
      if (kept.has(dependency) || !known.has(dependency)) found.add(dependency);
      else for (const below of keptBelow(dependency, new Set())) found.add(below);
    }
    dependencies[taskId] = [...found];
  }
  return { taskGraph: { tasks, dependencies }, leftOut };
}
