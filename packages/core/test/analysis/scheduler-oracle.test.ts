import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeLoopTimes,
  countProjectDependents,
  simulateSchedule,
  type ProjectDependencies,
} from '@sixty/core';
import { handWeightedGraph } from './graph-fixtures';

/**
 * The scheduler checked against a plain-words model of Nx's TasksSchedule, written for clarity
 * not speed: at every instant, finish what ends now (lowest worker first), then let each free
 * worker (lowest first) take the first ready task after a full sort by Nx's keys.
 */
interface OracleTask {
  id: string;
  project: string;
  durationMs: number;
  estimated: boolean;
  dependencies: string[];
}

function oracleSchedule(
  tasks: readonly OracleTask[],
  parallel: number,
  projectDependents: ReadonlyMap<string, number>,
): { wallMs: number; starts: Map<string, { startMs: number; worker: number }> } {
  const inRun = new Set(tasks.map((task) => task.id));
  const order = new Map(tasks.map((task, k) => [task.id, k]));
  const dependentCount = new Map<string, number>(tasks.map((task) => [task.id, 0]));
  for (const task of tasks) for (const dependency of task.dependencies) if (inRun.has(dependency)) dependentCount.set(dependency, dependentCount.get(dependency)! + 1);
  const done = new Set<string>();
  const readySeq = new Map<string, number>();
  const started = new Set<string>();
  const starts = new Map<string, { startMs: number; worker: number }>();
  const workers: Array<{ task: OracleTask; endMs: number } | null> = Array.from({ length: parallel }, () => null);
  let seq = 0;
  let now = 0;
  const isReady = (task: OracleTask) => !started.has(task.id) && task.dependencies.every((d) => !inRun.has(d) || done.has(d));
  for (const task of tasks) if (isReady(task)) readySeq.set(task.id, 0);
  const key = (task: OracleTask) => [
    -dependentCount.get(task.id)!,
    -(projectDependents.get(task.project) ?? 0),
    -(task.estimated || task.durationMs === 0 ? Infinity : task.durationMs),
    readySeq.get(task.id)!,
    order.get(task.id)!,
  ];
  const compare = (a: OracleTask, b: OracleTask) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  };
  for (;;) {
    for (let worker = 0; worker < parallel; worker++) {
      if (workers[worker]) continue;
      const ready = tasks.filter((task) => readySeq.has(task.id) && !started.has(task.id)).sort(compare);
      if (ready.length === 0) break;
      const task = ready[0]!;
      started.add(task.id);
      starts.set(task.id, { startMs: now, worker });
      workers[worker] = { task, endMs: now + task.durationMs };
    }
    const busy = workers.filter((slot) => slot !== null);
    if (busy.length === 0) break;
    now = Math.min(...busy.map((slot) => slot.endMs));
    for (let worker = 0; worker < parallel; worker++) {
      const slot = workers[worker];
      if (!slot || slot.endMs !== now) continue;
      workers[worker] = null;
      done.add(slot.task.id);
      seq++;
      for (const task of tasks) if (!readySeq.has(task.id) && isReady(task)) readySeq.set(task.id, seq);
    }
  }
  return { wallMs: now, starts };
}

const randomCase = fc
  .integer({ min: 1, max: 30 })
  .chain((size) =>
    fc.record({
      tasks: fc.array(
        fc.record({ durationMs: fc.integer({ min: 0, max: 12 }), estimated: fc.boolean() }),
        { minLength: size, maxLength: size },
      ),
      edges: fc.array(
        fc.tuple(fc.nat(size - 1), fc.nat(size - 1)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const),
        { maxLength: size * 2 },
      ),
      projectOf: fc.array(fc.nat(4), { minLength: size, maxLength: size }),
      order: fc.shuffledSubarray([...Array(size).keys()], { minLength: size, maxLength: size }),
      parallel: fc.integer({ min: 1, max: 4 }),
      followsProjects: fc.boolean(),
    }),
  )
  .map(({ tasks, edges, projectOf, order, parallel, followsProjects }) => {
    // Project pN depends on every pM with M < N. Mostly a task only depends on tasks of its own or
    // lower projects, as Nx's ^ dependencies do; otherwise a loop can leave out a task's dependents.
    const project = (task: number) => `p${followsProjects ? Math.min(...projectOf.slice(0, task + 1)) : projectOf[task]!}`;
    const id = (task: number) => `${project(task)}:t${task}`;
    const dependencies: Record<string, string[]> = {};
    for (const [from, to] of edges) if (from !== to) (dependencies[id(to)] ??= []).includes(id(from)) || dependencies[id(to)]!.push(id(from));
    const oracleTasks: OracleTask[] = order.map((task) => ({
      id: id(task),
      project: project(task),
      durationMs: tasks[task]!.durationMs,
      estimated: tasks[task]!.estimated,
      dependencies: dependencies[id(task)] ?? [],
    }));
    const graph = handWeightedGraph(oracleTasks, dependencies);
    const names = [...new Set(oracleTasks.map((task) => task.project))].sort();
    const projects: ProjectDependencies = Object.fromEntries(names.map((name) => [name, names.filter((other) => other < name)]));
    return { graph, oracleTasks, projects, parallel };
  });

describe('the list scheduler against a plain model of Nx', () => {
  it('starts every task of the whole graph when and where the model does', () => {
    fc.assert(
      fc.property(randomCase, ({ graph, oracleTasks, projects, parallel }) => {
        const projectDependents = countProjectDependents(projects);
        const simulation = simulateSchedule(graph, { parallel, projectDependents });
        const oracle = oracleSchedule(oracleTasks, parallel, projectDependents);
        expect(simulation.predictedWallMs).toBe(oracle.wallMs);
        expect(new Map(simulation.tasks.map((task) => [task.id, { startMs: task.startMs, worker: task.worker }]))).toEqual(oracle.starts);
      }),
      { numRuns: 300 },
    );
  });

  it('gives each loop the wall time the model gives its affected tasks', () => {
    fc.assert(
      fc.property(randomCase, ({ graph, oracleTasks, projects, parallel }) => {
        const projectDependents = countProjectDependents(projects);
        for (const loop of computeLoopTimes(graph, projects, { parallel })) {
          // A change in pN affects pN and every project above it (they all depend on it).
          const affected = oracleTasks.filter((task) => task.project >= loop.project);
          expect(loop.taskCount).toBe(affected.length);
          expect(loop.ms).toBe(oracleSchedule(affected, parallel, projectDependents).wallMs);
        }
      }),
      { numRuns: 200 },
    );
  });
});

