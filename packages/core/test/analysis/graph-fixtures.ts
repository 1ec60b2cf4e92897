// Tiny hand-drawn task graphs for the analysis tests.
import { DirectedGraph } from 'graphology';
import { buildWeightedTaskGraph, type TaskGraphInput, type WeightedTask, type WeightedTaskGraph } from '@sixty/core';

/** A task graph input from `project:target` ids; dependencies as { task: [tasks it depends on] }. */
export function taskGraphInput(ids: string[], dependencies: Record<string, string[]> = {}): TaskGraphInput {
  return {
    tasks: ids.map((id) => {
      const [project, target] = id.split(':') as [string, string];
      return { id, project, target };
    }),
    dependencies,
  };
}

/** A weighted graph where every task's p90 is known: { id: durationMs } in input order. */
export function weightedGraph(durations: Record<string, number>, dependencies: Record<string, string[]> = {}): WeightedTaskGraph {
  return buildWeightedTaskGraph(
    taskGraphInput(Object.keys(durations), dependencies),
    new Map(Object.entries(durations)),
  );
}

/** A graph built node by node, for weights buildWeightedTaskGraph would not give (estimates). */
export function handWeightedGraph(
  tasks: Array<{ id: string; durationMs: number; estimated?: boolean }>,
  dependencies: Record<string, string[]> = {},
): WeightedTaskGraph {
  const graph = new DirectedGraph<WeightedTask>();
  for (const { id, durationMs, estimated = false } of tasks) {
    const [project, target] = id.split(':') as [string, string];
    graph.addNode(id, { id, project, target, durationMs, estimated });
  }
  for (const [task, deps] of Object.entries(dependencies)) for (const dep of deps) graph.addEdge(dep, task);
  return graph;
}

/**
 * The 3-project chain lib-a <- lib-b <- app-c (app-c depends on lib-b, lib-b on lib-a), with
 * build depending on the dependencies' builds (^build) and test on its own build.
 */
export const CHAIN_PROJECTS = { 'lib-a': [], 'lib-b': ['lib-a'], 'app-c': ['lib-b'] };
export function chainOfThreeProjects(): WeightedTaskGraph {
  return weightedGraph(
    {
      'lib-a:build': 10,
      'lib-a:test': 40,
      'lib-b:build': 20,
      'lib-b:test': 30,
      'app-c:build': 50,
      'app-c:test': 60,
    },
    {
      'lib-a:test': ['lib-a:build'],
      'lib-b:build': ['lib-a:build'],
      'lib-b:test': ['lib-b:build'],
      'app-c:build': ['lib-b:build'],
      'app-c:test': ['app-c:build'],
    },
  );
}
