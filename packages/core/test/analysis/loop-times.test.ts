import { describe, expect, it } from 'vitest';
import { computeLoopTimes, simulateSchedule, countProjectDependents } from '@sixty/core';
import { CHAIN_PROJECTS, chainOfThreeProjects, weightedGraph } from './graph-fixtures';

describe('computeLoopTimes', () => {
  it('runs a change and everything depending on it, for lib-a <- lib-b <- app-c at parallel 2', () => {
    expect(computeLoopTimes(chainOfThreeProjects(), CHAIN_PROJECTS, { parallel: 2, budgetMs: 120 })).toEqual([
      // lib-a:build 0-10; lib-b:build 10-30 | lib-a:test 10-50; app-c:build 30-80 | lib-b:test 50-80; app-c:test 80-140
      { project: 'lib-a', ms: 140, overBudget: true, taskCount: 6 },
      // lib-a:build from cache; lib-b:build 0-20; app-c:build 20-70 | lib-b:test 20-50; app-c:test 70-130
      { project: 'lib-b', ms: 130, overBudget: true, taskCount: 4 },
      // lib-b:build from cache; app-c:build 0-50; app-c:test 50-110
      { project: 'app-c', ms: 110, overBudget: false, taskCount: 2 },
    ]);
  });

  it('adds up every task at parallel 1', () => {
    expect(
      computeLoopTimes(chainOfThreeProjects(), CHAIN_PROJECTS, { parallel: 1 }).map(({ project, ms }) => [project, ms]),
    ).toEqual([
      ['lib-a', 210],
      ['lib-b', 160],
      ['app-c', 110],
    ]);
  });

  it('is the whole-graph simulation for a project everything depends on', () => {
    const graph = chainOfThreeProjects();
    const whole = simulateSchedule(graph, { parallel: 2, projectDependents: countProjectDependents(CHAIN_PROJECTS) });
    expect(computeLoopTimes(graph, CHAIN_PROJECTS, { parallel: 2 })[0]).toMatchObject({
      project: 'lib-a',
      ms: whole.predictedWallMs,
    });
  });

  it('judges a loop by the largest budget among its tasks when budgets are per task', () => {
    const loops = computeLoopTimes(chainOfThreeProjects(), CHAIN_PROJECTS, {
      parallel: 2,
      budgetMsFor: (task) => (task.target === 'test' ? 135 : 100),
    });
    expect(loops.map(({ project, overBudget }) => [project, overBudget])).toEqual([
      ['lib-a', true],
      ['lib-b', false],
      ['app-c', false],
    ]);
  });

  it('lists projects without tasks with a loop of 0, and projects only the task graph names', () => {
    const graph = weightedGraph({ 'app:build': 30, 'scripts:lint': 5 });
    expect(computeLoopTimes(graph, { app: ['tools'], tools: [] }, { parallel: 1 })).toEqual([
      { project: 'app', ms: 30, overBudget: false, taskCount: 1 },
      { project: 'tools', ms: 30, overBudget: false, taskCount: 1 },
      { project: 'scripts', ms: 5, overBudget: false, taskCount: 1 },
    ]);
    expect(computeLoopTimes(graph, { docs: [] }, { parallel: 1 })).toContainEqual({
      project: 'docs',
      ms: 0,
      overBudget: false,
      taskCount: 0,
    });
  });

  it('rejects a budget that is not a positive number of ms', () => {
    expect(() => computeLoopTimes(chainOfThreeProjects(), CHAIN_PROJECTS, { parallel: 1, budgetMs: 0 })).toThrow(
      'budgetMs must be a budget in ms greater than 0, got 0.',
    );
  });
});
