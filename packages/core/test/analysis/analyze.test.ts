import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeGraph,
  buildWeightedTaskGraph,
  computeLoopTimes,
  findCriticalPath,
  rankBudgetViolations,
  simulateSchedule,
  whatIf,
  countProjectDependents,
} from '@sixty/core';
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

  it('names a cycle as buildWeightedTaskGraph does, though it flattens the input without graphology', () => {
    const input = {
      taskGraph: taskGraphInput(['x:build', 'a:build', 'b:build', 'c:build'], {
        'b:build': ['a:build'],
        'c:build': ['b:build', 'x:build'],
        'a:build': ['c:build'],
      }),
      projectDependencies: {},
      p90ByTask: new Map<string, number>(),
      parallel: 2,
      budgetMsFor: () => 60_000,
    };
    const message = 'The task graph has a cycle: a:build -> b:build -> c:build -> a:build (each task must finish before the next one starts).';
    expect(() => buildWeightedTaskGraph(input.taskGraph, input.p90ByTask)).toThrow(message);
    expect(() => analyzeGraph(input)).toThrow(message);
    expect(() => analyzeGraph({ ...input, taskGraph: taskGraphInput(['a:build'], { 'a:build': ['a:build'] }) })).toThrow('cycle: a:build -> a:build');
  });

  it('gives on random graphs what the exported functions give on the graphology graph', () => {
    const randomInput = fc.integer({ min: 1, max: 20 }).chain((size) =>
      fc.record({
        p90s: fc.array(fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }), { minLength: size, maxLength: size }),
        edges: fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 2 }),
        projectOf: fc.array(fc.nat(3), { minLength: size, maxLength: size }),
        parallel: fc.integer({ min: 1, max: 4 }),
      }),
    );
    fc.assert(
      fc.property(randomInput, ({ p90s, edges, projectOf, parallel }) => {
        const id = (task: number) => `p${projectOf[task]}:t${task}`;
        const dependencies: Record<string, string[]> = {};
        // Edges from lower to higher numbers (a DAG), a dependency sometimes listed twice.
        for (const [a, b] of edges) if (a !== b) (dependencies[id(Math.max(a, b))] ??= []).push(id(Math.min(a, b)));
        const taskGraph = taskGraphInput(p90s.map((_p90, task) => id(task)), dependencies);
        const p90ByTask = new Map(p90s.flatMap((p90, task) => (p90 === undefined ? [] : [[id(task), p90] as const])));
        const projects = ['p0', 'p1', 'p2', 'p3'];
        const projectDependencies = Object.fromEntries(projects.map((name) => [name, projects.filter((other) => other < name)]));
        const budgetMsFor = () => 20;
        const analysis = analyzeGraph({ taskGraph, projectDependencies, p90ByTask, parallel, budgetMsFor });
        const graph = buildWeightedTaskGraph(taskGraph, p90ByTask);
        expect(analysis.criticalPath).toEqual(findCriticalPath(graph));
        expect(analysis.simulation).toEqual(simulateSchedule(graph, { parallel, projectDependents: countProjectDependents(projectDependencies) }));
        expect(analysis.loopTimes).toEqual(computeLoopTimes(graph, projectDependencies, { parallel, budgetMsFor }));
        expect(analysis.violations).toEqual(rankBudgetViolations(graph, projectDependencies, { parallel, budgetMsFor }));
      }),
      { numRuns: 200 },
    );
  });
});

describe('analyzeGraph marks what rests on an estimate', () => {
  it('marks estimated critical path steps and counts the never-run tasks of each loop', () => {
    const analysis = analyzeGraph({
      taskGraph: taskGraphInput(['lib:build', 'app:build', 'app:test'], { 'app:build': ['lib:build'], 'app:test': ['app:build'] }),
      projectDependencies: { app: ['lib'], lib: [] },
      p90ByTask: new Map([
        ['lib:build', 500],
        ['app:build', 300],
      ]),
      parallel: 3,
      budgetMsFor: () => 60_000,
    });
    expect(analysis.estimatedTasks).toEqual(['app:test']);
    expect(analysis.criticalPath.tasks).toEqual([
      expect.not.objectContaining({ id: 'lib:build', estimated: true }),
      expect.not.objectContaining({ id: 'app:build', estimated: true }),
      expect.objectContaining({ id: 'app:test', estimated: true }),
    ]);
    // a change in lib runs lib's and app's tasks (one never ran), a change in app only app's
    expect(analysis.loopTimes.map(({ project, estimatedTaskCount }) => [project, estimatedTaskCount])).toEqual([
      ['lib', 1],
      ['app', 1],
    ]);
  });

  it('adds no estimate field when every task has a measure', () => {
    const analysis = analyzeGraph({ taskGraph: TASK_GRAPH, projectDependencies: CHAIN_PROJECTS, p90ByTask: P90, parallel: 2, budgetMsFor });
    expect(JSON.stringify(analysis)).not.toContain('"estimated":true');
    expect(JSON.stringify(analysis.loopTimes)).not.toContain('estimatedTaskCount');
  });
});
