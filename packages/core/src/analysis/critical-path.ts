import type { CriticalPath } from './analysis-types';
import { indexTaskGraph, type IndexedTaskGraph } from './indexed-task-graph';
import type { SplitOverlay } from './list-scheduler';
import type { WeightedTaskGraph } from './weighted-task-graph';

/**
 * The critical path: the chain of dependent tasks with the largest total duration, which
 * bounds the wall time at any parallelism. Steps run first to last with each one's share of
 * the path. Among chains of equal duration, the one whose last task has the smallest id wins,
 * and going back, at each step the dependency with the smallest id. Empty graph: no steps, 0 ms.
 */
export function findCriticalPath(graph: WeightedTaskGraph): CriticalPath {
  return criticalPathOfIndexed(indexTaskGraph(graph));
}

/** The ids of the tasks on a critical path, for `onCriticalPath` flags. */
export function criticalPathTaskIds(criticalPath: CriticalPath): Set<string> {
  return new Set(criticalPath.tasks.map((step) => step.id));
}

/**
 * The critical path of a flattened graph. `splitTask` of `parts` (a what-if) weighs
 * ceil(duration / parts): its parts share its dependencies, so the longest chain through
 * any of them is the chain through one, and the result's durationMs is the split graph's.
 */
export function criticalPathOfIndexed(graph: IndexedTaskGraph, split: SplitOverlay | null = null): CriticalPath {
  const { size, tasks, dependencyStart, dependencies, topologicalOrder } = graph;
  let durationMs = graph.durationMs;
  if (split && split.parts > 1) {
    durationMs = durationMs.slice();
    durationMs[split.task] = Math.ceil(durationMs[split.task]! / split.parts);
  }
  if (size === 0) return { tasks: [], durationMs: 0 };
  // finish[i]: the longest chain ending with task i; via[i]: its previous task, or -1.
  const finish = new Float64Array(size);
  const via = new Int32Array(size).fill(-1);
  for (let k = 0; k < size; k++) {
    const task = topologicalOrder[k]!;
    let best = -1;
    for (let e = dependencyStart[task]!; e < dependencyStart[task + 1]!; e++) {
      const dependency = dependencies[e]!;
      if (best === -1 || isLaterFinish(graph, finish, dependency, best)) best = dependency;
    }
    via[task] = best;
    finish[task] = durationMs[task]! + (best === -1 ? 0 : finish[best]!);
  }
  let last = 0;
  for (let i = 1; i < size; i++) if (isLaterFinish(graph, finish, i, last)) last = i;

  const chain: number[] = [];
  for (let task = last; task !== -1; task = via[task]!) chain.push(task);
  chain.reverse();
  const total = finish[last]!;
  return {
    tasks: chain.map((task) => ({
      id: tasks[task]!.id,
      durationMs: durationMs[task]!,
      share: total > 0 ? durationMs[task]! / total : 0,
      ...(tasks[task]!.estimated ? { estimated: true } : {}),
    })),
    durationMs: total,
  };
}

function isLaterFinish(graph: IndexedTaskGraph, finish: Float64Array, a: number, b: number): boolean {
  const difference = finish[a]! - finish[b]!;
  if (difference !== 0) return difference > 0;
  return graph.tasks[a]!.id < graph.tasks[b]!.id;
}
