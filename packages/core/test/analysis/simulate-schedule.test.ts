import { describe, expect, it } from 'vitest';
import { countProjectDependents, simulateSchedule, type ScheduledTask } from '@sixty/core';
import { handWeightedGraph, weightedGraph } from './graph-fixtures';

const slot = (id: string, worker: number, startMs: number, endMs: number): ScheduledTask => ({ id, worker, startMs, endMs });

const chain = () =>
  weightedGraph({ 'a:build': 10, 'b:build': 20, 'c:build': 30 }, { 'b:build': ['a:build'], 'c:build': ['b:build'] });

const diamond = () =>
  weightedGraph(
    { 'a:build': 10, 'b:build': 20, 'c:build': 30, 'd:build': 5 },
    { 'b:build': ['a:build'], 'c:build': ['a:build'], 'd:build': ['b:build', 'c:build'] },
  );

const fanOut = () =>
  weightedGraph(
    { 'root:build': 10, 'p4:test': 10, 'p3:test': 20, 'p1:test': 40, 'p2:test': 30 },
    { 'p1:test': ['root:build'], 'p2:test': ['root:build'], 'p3:test': ['root:build'], 'p4:test': ['root:build'] },
  );

describe('simulateSchedule', () => {
  it('runs a chain one task after another whatever the parallelism', () => {
    expect(simulateSchedule(chain(), { parallel: 2 })).toEqual({
      parallel: 2,
      predictedWallMs: 60,
      workerIdleMs: [0, 60],
      ranAlone: ['a:build', 'b:build', 'c:build'],
      tasks: [slot('a:build', 0, 0, 10), slot('b:build', 0, 10, 30), slot('c:build', 0, 30, 60)],
    });
  });

  it('runs a diamond: longer branch first at parallel 1, both branches at parallel 2', () => {
    expect(simulateSchedule(diamond(), { parallel: 1 })).toEqual({
      parallel: 1,
      predictedWallMs: 65,
      workerIdleMs: [0],
      ranAlone: [],
      tasks: [slot('a:build', 0, 0, 10), slot('c:build', 0, 10, 40), slot('b:build', 0, 40, 60), slot('d:build', 0, 60, 65)],
    });
    expect(simulateSchedule(diamond(), { parallel: 2 })).toEqual({
      parallel: 2,
      predictedWallMs: 45,
      workerIdleMs: [0, 25],
      ranAlone: ['a:build', 'd:build'],
      tasks: [slot('a:build', 0, 0, 10), slot('c:build', 0, 10, 40), slot('b:build', 1, 10, 30), slot('d:build', 0, 40, 45)],
    });
  });

  it('spreads a wide fan-out over 1, 2 and 4 workers, longest first', () => {
    expect(simulateSchedule(fanOut(), { parallel: 1 }).tasks).toEqual([
      slot('root:build', 0, 0, 10),
      slot('p1:test', 0, 10, 50),
      slot('p2:test', 0, 50, 80),
      slot('p3:test', 0, 80, 100),
      slot('p4:test', 0, 100, 110),
    ]);
    expect(simulateSchedule(fanOut(), { parallel: 2 })).toEqual({
      parallel: 2,
      predictedWallMs: 60,
      workerIdleMs: [0, 10],
      ranAlone: ['root:build'],
      tasks: [
        slot('root:build', 0, 0, 10),
        slot('p1:test', 0, 10, 50),
        slot('p2:test', 1, 10, 40),
        slot('p3:test', 1, 40, 60),
        slot('p4:test', 0, 50, 60),
      ],
    });
    expect(simulateSchedule(fanOut(), { parallel: 4 })).toEqual({
      parallel: 4,
      predictedWallMs: 50,
      workerIdleMs: [0, 20, 30, 40],
      ranAlone: ['root:build'],
      tasks: [
        slot('root:build', 0, 0, 10),
        slot('p1:test', 0, 10, 50),
        slot('p2:test', 1, 10, 40),
        slot('p3:test', 2, 10, 30),
        slot('p4:test', 3, 10, 20),
      ],
    });
  });

  it("picks ready tasks in Nx's order: dependents, project dependents, unknown duration, longer, ready earlier, input order", () => {
    const graph = handWeightedGraph(
      [
        { id: 'app:build', durationMs: 100 },
        { id: 'app:lint', durationMs: 100 },
        { id: 'app:format', durationMs: 100 },
        { id: 'app:e2e', durationMs: 1, estimated: true },
        { id: 'lib:test', durationMs: 10 },
        { id: 'lib:build', durationMs: 5 },
      ],
      { 'app:build': ['lib:build'] },
    );
    const projectDependents = countProjectDependents({ app: ['lib'], lib: [] });
    expect(projectDependents).toEqual(new Map([['app', 0], ['lib', 1]]));
    const order = simulateSchedule(graph, { parallel: 1, projectDependents }).tasks;
    expect(order).toEqual([
      slot('lib:build', 0, 0, 5), // the only task with a dependent task
      slot('lib:test', 0, 5, 15), // its project has a dependent project
      slot('app:e2e', 0, 15, 16), // duration unknown (estimated): Nx runs those first
      slot('app:lint', 0, 16, 116), // 100 ms each; lint and format were ready first, in input order
      slot('app:format', 0, 116, 216),
      slot('app:build', 0, 216, 316), // first in input order but ready later
    ]);
    // Without project dependents, lib:test is just a short task: it goes last.
    expect(simulateSchedule(graph, { parallel: 1 }).tasks.map((task) => task.id)).toEqual([
      'lib:build',
      'app:e2e',
      'app:lint',
      'app:format',
      'app:build',
      'lib:test',
    ]);
  });

  it('prefers a task with more dependents over a longer one', () => {
    const graph = weightedGraph(
      { 'slow:test': 50, 'base:build': 10, 'x:build': 1, 'y:build': 1 },
      { 'x:build': ['base:build'], 'y:build': ['base:build'] },
    );
    // base:build first for its two dependents; then, all without dependents, the longest.
    expect(simulateSchedule(graph, { parallel: 1 }).tasks.map((task) => task.id)).toEqual([
      'base:build',
      'slow:test',
      'x:build',
      'y:build',
    ]);
  });

  it('counts transitive dependent projects', () => {
    expect(
      countProjectDependents({ 'lib-a': [], 'lib-b': ['lib-a'], 'app-c': ['lib-b', 'lib-a'], 'app-d': ['lib-b', 'ext'] }),
    ).toEqual(
      new Map([
        ['lib-a', 3],
        ['lib-b', 2],
        ['app-c', 0],
        ['app-d', 0],
        ['ext', 1],
      ]),
    );
    // Nx tolerates project cycles; each project of one counts the others.
    expect(countProjectDependents({ a: ['b'], b: ['a'], c: ['a'] })).toEqual(
      new Map([
        ['a', 2],
        ['b', 2],
        ['c', 0],
      ]),
    );
  });

  it('handles an empty graph and zero-length tasks', () => {
    expect(simulateSchedule(weightedGraph({}), { parallel: 3 })).toEqual({
      parallel: 3,
      predictedWallMs: 0,
      workerIdleMs: [0, 0, 0],
      ranAlone: [],
      tasks: [],
    });
    const graph = weightedGraph({ 'a:noop': 0, 'b:build': 10 }, { 'b:build': ['a:noop'] });
    expect(simulateSchedule(graph, { parallel: 2 })).toMatchObject({
      predictedWallMs: 10,
      ranAlone: ['b:build'],
      tasks: [slot('a:noop', 0, 0, 0), slot('b:build', 0, 0, 10)],
    });
  });

  it('rejects a parallelism that is not a whole number >= 1', () => {
    expect(() => simulateSchedule(chain(), { parallel: 0 })).toThrow(
      'parallel must be a whole number of workers >= 1, got 0.',
    );
    expect(() => simulateSchedule(chain(), { parallel: 1.5 })).toThrow('got 1.5');
  });
});
