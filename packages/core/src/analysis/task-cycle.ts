import type Graph from 'graphology';
import { hasCycle } from 'graphology-dag';
import { SixtyError } from '../errors/sixty-error';

/**
 * One cycle of a directed graph as node keys in edge order (each node points to the next,
 * the last points back to the first), starting at its smallest key; null when acyclic.
 */
export function findCycle(graph: Graph): string[] | null {
  if (!hasCycle(graph)) return null;
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graph.nodes()) {
    if (state.has(root)) continue;
    // Iterative depth-first search; `path` is the chain of open nodes from the root.
    const path: string[] = [root];
    const pending: string[][] = [graph.outNeighbors(root)];
    state.set(root, 'open');
    while (path.length > 0) {
      const next = pending[pending.length - 1]!.shift();
      if (next === undefined) {
        state.set(path.pop()!, 'done');
        pending.pop();
        continue;
      }
      const seen = state.get(next);
      if (seen === 'open') return startAtSmallest(path.slice(path.indexOf(next)));
      if (seen === 'done') continue;
      state.set(next, 'open');
      path.push(next);
      pending.push(graph.outNeighbors(next));
    }
  }
  return null;
}

/** The error for a cyclic task graph, naming the tasks of one cycle. */
export function cycleError(cycle: readonly string[]): SixtyError {
  const chain = [...cycle, cycle[0]].join(' -> ');
  return new SixtyError(
    'INVALID_ARGUMENT',
    `The task graph has a cycle: ${chain} (each task must finish before the next one starts).`,
    'Remove one of these dependsOn links (project.json, package.json "nx" or nx.json targetDefaults) so the tasks form a DAG.',
  );
}

/** Throws the cycle error when the graph has a cycle. */
export function assertAcyclic(graph: Graph): void {
  const cycle = findCycle(graph);
  if (cycle) throw cycleError(cycle);
}

function startAtSmallest(cycle: string[]): string[] {
  let smallest = 0;
  for (let i = 1; i < cycle.length; i++) if (cycle[i]! < cycle[smallest]!) smallest = i;
  return [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
}
