import { describe, expect, it } from 'vitest';
import { splitTaskInGraph, whatIf } from '@sixty/core';
import { CHAIN_PROJECTS, chainOfThreeProjects, weightedGraph } from './graph-fixtures';

describe('splitTaskInGraph', () => {
  it('replaces the task by equal parts in its place, each with its dependencies and dependents', () => {
    const graph = weightedGraph(
      { 'lib:build': 5, 'app:test': 10, 'app:deploy': 1 },
      { 'app:test': ['lib:build'], 'app:deploy': ['app:test'] },
    );
    const split = splitTaskInGraph(graph, 'app:test', 3);
    expect(split.nodes()).toEqual(['lib:build', 'app:test#1of3', 'app:test#2of3', 'app:test#3of3', 'app:deploy']);
    expect(split.getNodeAttributes('app:test#2of3')).toEqual({
      id: 'app:test#2of3',
      project: 'app',
      target: 'test',
      durationMs: 4, // ceil(10 / 3)
      estimated: false,
    });
    expect(split.inNeighbors('app:deploy')).toEqual(['app:test#1of3', 'app:test#2of3', 'app:test#3of3']);
    expect(split.outNeighbors('lib:build')).toEqual(['app:test#1of3', 'app:test#2of3', 'app:test#3of3']);
    // The input graph is left as it was.
    expect(graph.order).toBe(3);
    expect(splitTaskInGraph(graph, 'app:test', 1).nodes()).toEqual(graph.nodes());
  });

  it('names an unknown task and a bad number of parts', () => {
    const graph = weightedGraph({ 'app:test': 10 });
    expect(() => splitTaskInGraph(graph, 'app:tset', 2)).toThrow('what-if task "app:tset" is not a task of the task graph.');
    expect(() => splitTaskInGraph(graph, 'app:test', 0)).toThrow('parts must be a whole number >= 1, got 0.');
  });
});

describe('whatIf', () => {
  it('predicts the gain of splitting app-c:test in two', () => {
    expect(whatIf(chainOfThreeProjects(), CHAIN_PROJECTS, 'app-c:test', 2, { parallel: 2 })).toEqual({
      task: 'app-c:test',
      parts: 2,
      // Every loop ends with app-c:test: 60 ms becomes two parallel 30 ms parts.
      loopTimes: [
        { project: 'app-c', beforeMs: 110, afterMs: 80 },
        { project: 'lib-a', beforeMs: 140, afterMs: 110 },
        { project: 'lib-b', beforeMs: 130, afterMs: 100 },
      ],
      criticalPathBeforeMs: 140,
      criticalPathAfterMs: 110,
      predictedWallBeforeMs: 140,
      predictedWallAfterMs: 110,
    });
  });

  it('lists only the loops that change', () => {
    // lib-a:test runs only for a change in lib-a; split in 2 at parallel 2 its parts fill
    // the gaps beside lib-b:build and app-c:build, and app-c:test still ends at 140.
    const result = whatIf(chainOfThreeProjects(), CHAIN_PROJECTS, 'lib-a:test', 2, { parallel: 2 });
    expect(result.loopTimes).toEqual([]);
    expect(result.criticalPathAfterMs).toBe(140);
    // At parallel 1 nothing overlaps: the loop of lib-a loses nothing either (20 + 20 = 40).
    const serial = whatIf(chainOfThreeProjects(), CHAIN_PROJECTS, 'lib-a:test', 3, { parallel: 1 });
    expect(serial.loopTimes).toEqual([{ project: 'lib-a', beforeMs: 210, afterMs: 212 }]);
  });
});
