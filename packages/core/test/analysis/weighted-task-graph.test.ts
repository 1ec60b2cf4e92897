import { describe, expect, it } from 'vitest';
import { buildWeightedTaskGraph, isSixtyError, SixtyError } from '@sixty/core';
import { taskGraphInput } from './graph-fixtures';

function errorOf(run: () => unknown): SixtyError {
  try {
    run();
  } catch (error) {
    if (isSixtyError(error)) return error;
    throw error;
  }
  throw new Error('expected a SixtyError');
}

describe('buildWeightedTaskGraph', () => {
  it('has one node per task with its p90, and edges from dependency to dependent', () => {
    const graph = buildWeightedTaskGraph(
      {
        tasks: [
          { id: 'lib:build', project: 'lib', target: 'build' },
          { id: 'app:build:production', project: 'app', target: 'build', configuration: 'production' },
        ],
        dependencies: { 'app:build:production': ['lib:build', 'lib:build'], 'lib:build': [] },
      },
      new Map([
        ['lib:build', 1200],
        ['app:build:production', 3400],
      ]),
    );
    expect(graph.nodes()).toEqual(['lib:build', 'app:build:production']);
    expect(graph.getNodeAttributes('lib:build')).toEqual({
      id: 'lib:build',
      project: 'lib',
      target: 'build',
      durationMs: 1200,
      estimated: false,
    });
    expect(graph.getNodeAttributes('app:build:production')).toEqual({
      id: 'app:build:production',
      project: 'app',
      target: 'build',
      configuration: 'production',
      durationMs: 3400,
      estimated: false,
    });
    // A dependency listed twice is one edge.
    expect(graph.size).toBe(1);
    expect(graph.hasDirectedEdge('lib:build', 'app:build:production')).toBe(true);
  });

  it('estimates a never-seen task from the median p90 of its target, else of all tasks', () => {
    const graph = buildWeightedTaskGraph(
      taskGraphInput(['a:build', 'b:build', 'c:build', 'a:test', 'd:build', 'd:lint']),
      new Map([
        ['a:build', 100],
        ['b:build', 300],
        ['c:build', 200],
        ['a:test', 50],
      ]),
    );
    expect(graph.getNodeAttributes('d:build')).toMatchObject({ durationMs: 200, estimated: true });
    // No lint task is known: the nearest-rank median of 50, 100, 200, 300.
    expect(graph.getNodeAttributes('d:lint')).toMatchObject({ durationMs: 100, estimated: true });
    expect(graph.getNodeAttributes('a:test')).toMatchObject({ durationMs: 50, estimated: false });
  });

  it('estimates 1000 ms (or defaultEstimateMs) when no task is known', () => {
    const input = taskGraphInput(['a:build', 'b:test']);
    expect(buildWeightedTaskGraph(input, new Map()).getNodeAttributes('b:test')).toMatchObject({
      durationMs: 1000,
      estimated: true,
    });
    expect(
      buildWeightedTaskGraph(input, new Map(), { defaultEstimateMs: 250 }).getNodeAttributes('a:build').durationMs,
    ).toBe(250);
  });

  it('names the cycle when the dependencies form one', () => {
    const error = errorOf(() =>
      buildWeightedTaskGraph(
        taskGraphInput(['x:build', 'a:build', 'b:build', 'c:build'], {
          'b:build': ['a:build'],
          'c:build': ['b:build', 'x:build'],
          'a:build': ['c:build'],
        }),
        new Map(),
      ),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'The task graph has a cycle: a:build -> b:build -> c:build -> a:build (each task must finish before the next one starts).',
    );
    expect(error.fix).toMatch(/dependsOn/);
  });

  it('names a task that depends on itself', () => {
    const error = errorOf(() =>
      buildWeightedTaskGraph(taskGraphInput(['a:build'], { 'a:build': ['a:build'] }), new Map()),
    );
    expect(error.message).toContain('cycle: a:build -> a:build');
  });

  it('names unknown tasks in the dependencies', () => {
    const error = errorOf(() =>
      buildWeightedTaskGraph(
        taskGraphInput(['app:build'], { 'app:build': ['lib:build'], 'ghost:test': [] }),
        new Map(),
      ),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toBe(
      'The task graph\'s dependencies name tasks it does not contain: "lib:build" (a dependency of app:build), "ghost:test" (has dependencies but is not a task).',
    );
  });

  it('rejects a repeated task id and a p90 that is not a duration', () => {
    expect(errorOf(() => buildWeightedTaskGraph(taskGraphInput(['a:build', 'a:build']), new Map())).message).toBe(
      'The task graph lists the same task more than once: a:build.',
    );
    expect(
      errorOf(() => buildWeightedTaskGraph(taskGraphInput(['a:build']), new Map([['a:build', Number.NaN]]))).message,
    ).toBe('p90ByTask has values that are not durations in ms: a:build (NaN).');
  });
});
