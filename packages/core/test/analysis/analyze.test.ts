import { describe, expect, it } from 'vitest';
import { analyzeGraph, computeLoopTimes, rankBudgetViolations, simulateSchedule, whatIf, countProjectDependents } from '@sixty/core';
import { CHAIN_PROJECTS, chainOfThreeProjects, taskGraphInput } from './graph-fixtures';

const P90 = new Map([
  ['lib-a:build', 10],
  ['lib-a:test', 40],
  ['lib-b:build', 20],
  ['lib-b:test', 30],
  ['app-c:build', 50],
  ['app-c:test', 60],
]);
const TASK_GRAPH = taskGraphInput([...P90.keys()], {
  'lib-a:test': ['lib-a:build'],
  'lib-b:build': ['lib-a:build'],
  'lib-b:test': ['lib-b:build'],
  'app-c:build': ['lib-b:build'],
  'app-c:test': ['app-c:build'],
});
const budgetMsFor = () => 45;

describe('analyzeGraph', () => {
  it('combines critical path, simulation, loop times, violations and what-ifs', () => {
    const analysis = analyzeGraph({
      taskGraph: TASK_GRAPH,
      projectDependencies: CHAIN_PROJECTS,
      p90ByTask: P90,
      parallel: 2,
      budgetMsFor,
      loopBudgetMs: 120,
      whatIf: [{ task: 'app-c:test', parts: 2 }],
    });
    const graph = chainOfThreeProjects();
    expect(analysis.targets).toEqual(['build', 'test']);
    expect(analysis.criticalPath.tasks.map((step) => step.id)).toEqual([
      'lib-a:build',
      'lib-b:build',
      'app-c:build',
      'app-c:test',
    ]);
    expect(analysis.criticalPath.durationMs).toBe(140);
    expect(analysis.simulation).toEqual(
      simulateSchedule(graph, { parallel: 2, projectDependents: countProjectDependents(CHAIN_PROJECTS) }),
    );
    expect(analysis.loopTimes).toEqual(computeLoopTimes(graph, CHAIN_PROJECTS, { parallel: 2, budgetMs: 120 }));
    expect(analysis.violations).toEqual(rankBudgetViolations(graph, CHAIN_PROJECTS, { parallel: 2, budgetMsFor }));
    expect(analysis.violations.map((violation) => violation.task)).toEqual(['app-c:test', 'app-c:build']);
    expect(analysis.whatIf).toEqual([whatIf(graph, CHAIN_PROJECTS, 'app-c:test', 2, { parallel: 2 })]);
    expect(analysis.estimatedTasks).toEqual([]);
  });

  it('lists estimated tasks and checks what-ifs before any work', () => {
    const input = {
      taskGraph: taskGraphInput(['lib:build', 'app:build', 'app:test'], { 'app:build': ['lib:build'] }),
      projectDependencies: { app: ['lib'], lib: [] },
      p90ByTask: new Map([['lib:build', 500]]),
      parallel: 3,
      budgetMsFor: () => 60_000,
    };
    const analysis = analyzeGraph(input);
    expect(analysis.estimatedTasks).toEqual(['app:build', 'app:test']);
    expect(analysis.criticalPath.durationMs).toBe(1000);
    expect(analysis.loopTimes.map(({ project, ms }) => [project, ms])).toEqual([
      ['lib', 1000],
      ['app', 500],
    ]);
    expect(() => analyzeGraph({ ...input, whatIf: [{ task: 'app:tests', parts: 2 }] })).toThrow(
      'what-if task "app:tests" is not a task of the task graph.',
    );
  });
});
