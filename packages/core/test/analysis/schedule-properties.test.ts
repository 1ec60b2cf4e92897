import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeLoopTimes,
  countProjectDependents,
  findCriticalPath,
  simulateSchedule,
  splitTaskInGraph,
  whatIf,
  type ProjectDependencies,
  type WeightedTaskGraph,
} from '@sixty/core';
import { weightedGraph } from './graph-fixtures';

/** A random DAG: edges only from a lower to a higher task number, tasks inserted in a shuffled order. */
const randomDag = fc
  .integer({ min: 1, max: 25 })
  .chain((size) =>
    fc.record({
      durations: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: size, maxLength: size }),
      edges: fc.array(
        fc
          .tuple(fc.integer({ min: 0, max: size - 1 }), fc.integer({ min: 0, max: size - 1 }))
          .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        { maxLength: size * 2 },
      ),
      order: fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
      projects: fc.integer({ min: 1, max: 4 }),
      parallel: fc.integer({ min: 1, max: 5 }),
    }),
  )
  .map(({ durations, edges, order, projects, parallel }) => {
    const id = (task: number) => `p${task % projects}:t${task}`;
    const dependencies: Record<string, string[]> = {};
    for (const [from, to] of edges) if (from !== to) (dependencies[id(to)] ??= []).push(id(from));
    const graph = weightedGraph(Object.fromEntries(order.map((task) => [id(task), durations[task]!])), dependencies);
    return { graph, dependencies, parallel, totalMs: durations.reduce((a, b) => a + b, 0), size: durations.length };
  });

describe('simulateSchedule on random DAGs', () => {
  it('is bounded by the critical path, the work per worker and the total work', () => {
    fc.assert(
      fc.property(randomDag, ({ graph, dependencies, parallel, totalMs, size }) => {
        const simulation = simulateSchedule(graph, { parallel });
        const criticalMs = findCriticalPath(graph).durationMs;
        const wall = simulation.predictedWallMs;
        expect(wall).toBeGreaterThanOrEqual(criticalMs);
        expect(wall).toBeGreaterThanOrEqual(totalMs / parallel - 1e-9);
        expect(wall).toBeLessThanOrEqual(totalMs);
        // Graham's bound for greedy list scheduling.
        expect(wall).toBeLessThanOrEqual((totalMs - criticalMs) / parallel + criticalMs + 1e-9);
        if (parallel === 1) expect(wall).toBe(totalMs);
        if (parallel >= size) expect(wall).toBe(criticalMs);

        // Every task exactly once, taking its duration, never before its dependencies end.
        const byId = new Map(simulation.tasks.map((task) => [task.id, task]));
        expect(simulation.tasks).toHaveLength(size);
        expect(byId.size).toBe(size);
        for (const task of simulation.tasks) {
          expect(task.endMs - task.startMs).toBe(graph.getNodeAttribute(task.id, 'durationMs'));
          expect(task.worker).toBeGreaterThanOrEqual(0);
          expect(task.worker).toBeLessThan(parallel);
          for (const dependency of dependencies[task.id] ?? []) {
            expect(task.startMs).toBeGreaterThanOrEqual(byId.get(dependency)!.endMs);
          }
        }
        // A worker runs one task at a time; idle time is the rest of the wall time.
        for (let worker = 0; worker < parallel; worker++) {
          const own = simulation.tasks.filter((task) => task.worker === worker).sort((a, b) => a.startMs - b.startMs);
          for (let k = 1; k < own.length; k++) expect(own[k]!.startMs).toBeGreaterThanOrEqual(own[k - 1]!.endMs);
          const busy = own.reduce((sum, task) => sum + task.endMs - task.startMs, 0);
          expect(simulation.workerIdleMs[worker]).toBe(wall - busy);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('gives each loop a time between its own critical work and the whole graph', () => {
    fc.assert(
      fc.property(randomDag, ({ graph, parallel }) => {
        const projects = layeredProjects(graph);
        const loops = computeLoopTimes(graph, projects, { parallel });
        const wall = simulateSchedule(graph, { parallel }).predictedWallMs;
        for (const loop of loops) expect(loop.ms).toBeLessThanOrEqual(graph.reduceNodes((sum, _id, task) => sum + task.durationMs, 0));
        const everything = loops.find((loop) => loop.project === 'p0')!;
        expect(everything.taskCount).toBe(graph.order);
        expect(everything.ms).toBeGreaterThanOrEqual(findCriticalPath(graph).durationMs);
        expect(wall).toBeGreaterThanOrEqual(findCriticalPath(graph).durationMs);
      }),
      { numRuns: 100 },
    );
  });
});

describe('whatIf on random DAGs', () => {
  it('predicts exactly what simulating the split graph gives', () => {
    fc.assert(
      fc.property(randomDag, fc.nat(), fc.integer({ min: 1, max: 4 }), ({ graph, parallel }, pick, parts) => {
        const projects = layeredProjects(graph);
        const taskId = graph.nodes()[pick % graph.order]!;
        const split = splitTaskInGraph(graph, taskId, parts);
        const prediction = whatIf(graph, projects, taskId, parts, { parallel });
        const projectDependents = countProjectDependents(projects);
        expect(prediction.predictedWallBeforeMs).toBe(simulateSchedule(graph, { parallel, projectDependents }).predictedWallMs);
        expect(prediction.predictedWallAfterMs).toBe(simulateSchedule(split, { parallel, projectDependents }).predictedWallMs);
        expect(prediction.criticalPathAfterMs).toBe(findCriticalPath(split).durationMs);
        const before = new Map(computeLoopTimes(graph, projects, { parallel }).map((loop) => [loop.project, loop.ms]));
        const changed = computeLoopTimes(split, projects, { parallel })
          .filter((loop) => loop.ms !== before.get(loop.project))
          .map((loop) => ({ project: loop.project, beforeMs: before.get(loop.project), afterMs: loop.ms }));
        expect([...prediction.loopTimes].sort((a, b) => (a.project < b.project ? -1 : 1))).toEqual(
          changed.sort((a, b) => (a.project < b.project ? -1 : 1)),
        );
      }),
      { numRuns: 200 },
    );
  });
});

/** Projects p0, p1, ... where each depends on every one with a smaller name: p0 is under everything. */
function layeredProjects(graph: WeightedTaskGraph): ProjectDependencies {
  const names = new Set<string>();
  graph.forEachNode((_id, task) => names.add(task.project));
  return Object.fromEntries([...names].map((name) => [name, [...names].filter((other) => other < name)]));
}
