import { describe, expect, it } from 'vitest';
import { narrowTaskGraph } from '@sixty/core';
import { taskGraphInput } from './graph-fixtures';

describe('narrowTaskGraph', () => {
  it('keeps the order through a left-out task: a dependency of a dependency becomes direct', () => {
    const graph = taskGraphInput(['lib:build', 'mid:build', 'app:build', 'app:test'], {
      'mid:build': ['lib:build'],
      'app:build': ['mid:build'],
      'app:test': ['app:build'],
    });
    const narrowed = narrowTaskGraph(graph, (id) => id !== 'mid:build');
    expect(narrowed.leftOut).toEqual(['mid:build']);
    expect(narrowed.taskGraph.tasks.map((task) => task.id)).toEqual(['lib:build', 'app:build', 'app:test']);
    expect(narrowed.taskGraph.dependencies).toEqual({ 'app:build': ['lib:build'], 'app:test': ['app:build'] });
  });

  it('follows chains of left-out tasks and lists each kept dependency once', () => {
    const graph = taskGraphInput(['a:build', 'b:build', 'x:build', 'y:build', 'z:build', 'c:build'], {
      'x:build': ['a:build'],
      'y:build': ['x:build', 'b:build'],
      'z:build': ['x:build'],
      'c:build': ['y:build', 'z:build', 'a:build'],
    });
    const narrowed = narrowTaskGraph(graph, (id) => !['x:build', 'y:build', 'z:build'].includes(id));
    expect(narrowed.leftOut).toEqual(['x:build', 'y:build', 'z:build']);
    expect(narrowed.taskGraph.dependencies['c:build']!.sort()).toEqual(['a:build', 'b:build']);
  });

  it('returns the input itself when every task is kept, and an empty graph when none is', () => {
    const graph = taskGraphInput(['a:build', 'b:build'], { 'b:build': ['a:build'] });
    expect(narrowTaskGraph(graph, () => true).taskGraph).toBe(graph);
    expect(narrowTaskGraph(graph, () => false)).toEqual({ taskGraph: { tasks: [], dependencies: {} }, leftOut: ['a:build', 'b:build'] });
  });

  it('passes a dependency on an unknown task through, for the analysis to name it', () => {
    const graph = taskGraphInput(['a:build', 'b:build'], { 'b:build': ['ghost:build'] });
    expect(narrowTaskGraph(graph, (id) => id === 'b:build').taskGraph.dependencies).toEqual({ 'b:build': ['ghost:build'] });
  });
});
