import { DirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { criticalPathTaskIds, findCriticalPath, type WeightedTask } from '@sixty/core';
import { weightedGraph } from './graph-fixtures';

describe('findCriticalPath', () => {
  it('is the whole chain for a chain, with each step share', () => {
    const path = findCriticalPath(
      weightedGraph({ 'a:build': 10, 'b:build': 20, 'c:build': 30 }, { 'b:build': ['a:build'], 'c:build': ['b:build'] }),
    );
    expect(path).toEqual({
      tasks: [
        { id: 'a:build', durationMs: 10, share: 10 / 60 },
        { id: 'b:build', durationMs: 20, share: 20 / 60 },
        { id: 'c:build', durationMs: 30, share: 30 / 60 },
      ],
      durationMs: 60,
    });
  });

  it('takes the longer branch of a diamond', () => {
    const path = findCriticalPath(
      weightedGraph(
        { 'a:build': 10, 'b:build': 20, 'c:build': 30, 'd:build': 5 },
        { 'b:build': ['a:build'], 'c:build': ['a:build'], 'd:build': ['b:build', 'c:build'] },
      ),
    );
    expect(path.tasks.map((step) => step.id)).toEqual(['a:build', 'c:build', 'd:build']);
    expect(path.durationMs).toBe(45);
    expect(criticalPathTaskIds(path)).toEqual(new Set(['a:build', 'c:build', 'd:build']));
  });

  it('ends at the slowest task of a wide fan-out', () => {
    const path = findCriticalPath(
      weightedGraph(
        { 'root:build': 10, 'p1:test': 40, 'p2:test': 30, 'p3:test': 20, 'p4:test': 10 },
        { 'p1:test': ['root:build'], 'p2:test': ['root:build'], 'p3:test': ['root:build'], 'p4:test': ['root:build'] },
      ),
    );
    expect(path.tasks.map((step) => step.id)).toEqual(['root:build', 'p1:test']);
    expect(path.durationMs).toBe(50);
  });

  it('breaks ties by the smallest task id, whatever the input order', () => {
    const durations = { 'z:build': 10, 'y:build': 10, 'b:test': 5, 'a:test': 5 };
    const dependencies = { 'b:test': ['z:build', 'y:build'], 'a:test': ['z:build', 'y:build'] };
    const forward = findCriticalPath(weightedGraph(durations, dependencies));
    const reversed = findCriticalPath(
      weightedGraph(Object.fromEntries(Object.entries(durations).reverse()), dependencies),
    );
    expect(forward.tasks.map((step) => step.id)).toEqual(['y:build', 'a:test']);
    expect(reversed).toEqual(forward);
  });

  it('is empty for an empty graph, and shares are 0 on a path of 0 ms', () => {
    expect(findCriticalPath(new DirectedGraph<WeightedTask>())).toEqual({ tasks: [], durationMs: 0 });
    expect(findCriticalPath(weightedGraph({ 'a:lint': 0 }))).toEqual({
      tasks: [{ id: 'a:lint', durationMs: 0, share: 0 }],
      durationMs: 0,
    });
  });

  it('names a cycle in a graph built by hand', () => {
    const graph = new DirectedGraph<WeightedTask>();
    for (const id of ['a:build', 'b:build']) graph.addNode(id, { id, project: id.split(':')[0]!, target: 'build', durationMs: 1, estimated: false });
    graph.addEdge('a:build', 'b:build');
    graph.addEdge('b:build', 'a:build');
    expect(() => findCriticalPath(graph)).toThrow('The task graph has a cycle: a:build -> b:build -> a:build');
  });
});
