import { IndexHeap } from './index-heap';
import type { IndexedTaskGraph } from './indexed-task-graph';

/**
 * One task replaced, for one run, by `parts` tasks of ceil(duration / parts) each, with the
 * task's dependencies and dependents, in the task's place in input order: exactly
 * splitTaskInGraph, without copying the graph (violation ranking tries one split per task).
 */
export interface SplitOverlay {
  task: number;
  parts: number;
}

/**
 * Event-driven list scheduling as Nx's TasksSchedule does it (nx/src/tasks-runner/
 * tasks-schedule.js): a task is ready once all its dependencies completed; a free worker
 * takes the first ready task in Nx's order:
 *   1. more direct dependent tasks (in this run) first;
 *   2. then the project with more transitive dependent projects first;
 *   3. then a task without a known duration (estimated, or 0 ms) first, as Nx runs tasks
 *      missing from its timing history first; between two known ones, the longer first;
 *   4. then the one that became ready earlier (Nx keeps its ready list with a stable sort);
 *   5. then input order.
 * Completions at the same instant are handled before any free worker picks, and free workers
 * pick lowest number first. One scheduler is reused across many runs over subsets of the
 * graph (loop times), so buffers are allocated once. The parts of a split task beyond the
 * first get the indices after the graph's tasks.
 */
export class ListScheduler {
  startMs!: Float64Array;
  endMs!: Float64Array;
  workerOf!: Int32Array;
  /** The tasks of the last run in the order they started. */
  startOrder!: Int32Array;
  /** Busy time per worker in the last run. */
  readonly workerBusyMs: Float64Array;
  /** How many tasks the last run scheduled (parts of a split task count one each). */
  taskCount = 0;

  private durationMs!: Float64Array;
  /** Nx's third key: +Infinity when the duration is unknown (those go first, unordered), else the duration. */
  private durationKey!: Float64Array;
  private projectDependents!: Float64Array;
  private inputRank!: Float64Array;
  private inRun!: Int32Array;
  private remaining!: Int32Array;
  private directDependents!: Int32Array;
  private readySeq!: Int32Array;
  private ready!: IndexHeap;
  private capacity = 0;
  private readonly workerTask: Int32Array;
  private readonly workerEnd: Float64Array;
  private readonly running: IndexHeap;
  private readonly free: IndexHeap;
  private runId = 0;

  constructor(
    private readonly graph: IndexedTaskGraph,
    readonly parallel: number,
    /** Per task: how many projects depend on the task's project (Nx's second key). */
    private readonly projectDependentsByTask: Float64Array,
  ) {
    this.allocate(graph.size + 8);
    this.workerTask = new Int32Array(parallel);
    const workerEnd = (this.workerEnd = new Float64Array(parallel));
    this.workerBusyMs = new Float64Array(parallel);
    this.running = new IndexHeap(parallel, (a, b) => {
      const endA = workerEnd[a]!;
      const endB = workerEnd[b]!;
      return endA !== endB ? endA < endB : a < b;
    });
    this.free = new IndexHeap(parallel, (a, b) => a < b);
  }

  /**
   * Runs the given tasks (indices; null: the whole graph), optionally with one task split.
   * Dependencies outside the run count as already done: they are cache hits in an affected
   * run. Returns the wall time in ms.
   */
  run(members: Int32Array | null, memberCount: number, split: SplitOverlay | null = null): number {
    const graph = this.graph;
    const size = graph.size;
    const { dependencyStart, dependencies, dependentStart, dependents } = graph;
    const count = members ? memberCount : size;
    const stamp = ++this.runId;
    if (split && size + split.parts - 1 > this.capacity) this.allocate(size + split.parts - 1);
    const { durationMs, inRun, remaining, directDependents, readySeq, ready, running, free } = this;
    for (let k = 0; k < count; k++) inRun[members ? members[k]! : k] = stamp;

    // The split applies only when its task runs; `parts` then stands in for the task in every count.
    const splitTask = split && inRun[split.task] === stamp ? split.task : -1;
    const parts = splitTask === -1 ? 1 : split!.parts;
    const splitDurationMs = splitTask === -1 ? 0 : Math.ceil(graph.durationMs[splitTask]! / parts);
    if (splitTask !== -1) {
      durationMs[splitTask] = splitDurationMs;
      if (this.durationKey[splitTask] !== Infinity) this.durationKey[splitTask] = splitDurationMs;
      for (let part = 1; part < parts; part++) {
        const extra = size + part - 1;
        inRun[extra] = stamp;
        durationMs[extra] = splitDurationMs;
        this.durationKey[extra] = this.durationKey[splitTask]!;
        this.projectDependents[extra] = this.projectDependents[splitTask]!;
        this.inputRank[extra] = splitTask + part / parts;
      }
    }

    ready.clear();
    for (let k = 0; k < count; k++) {
      const task = members ? members[k]! : k;
      let waiting = 0;
      for (let e = dependencyStart[task]!; e < dependencyStart[task + 1]!; e++) {
        const dependency = dependencies[e]!;
        if (inRun[dependency] === stamp) waiting += dependency === splitTask ? parts : 1;
      }
      let dependentCount = 0;
      for (let e = dependentStart[task]!; e < dependentStart[task + 1]!; e++) {
        const dependent = dependents[e]!;
        if (inRun[dependent] === stamp) dependentCount += dependent === splitTask ? parts : 1;
      }
      remaining[task] = waiting;
      directDependents[task] = dependentCount;
      readySeq[task] = 0;
      if (waiting === 0) ready.append(task);
      if (task === splitTask) {
        for (let extra = size; extra < size + parts - 1; extra++) {
          remaining[extra] = waiting;
          directDependents[extra] = dependentCount;
          readySeq[extra] = 0;
          if (waiting === 0) ready.append(extra);
        }
      }
    }
    ready.heapify();

    const { startMs, endMs, workerOf, startOrder, workerTask, workerEnd, workerBusyMs, parallel } = this;
    free.clear();
    running.clear();
    for (let worker = 0; worker < parallel; worker++) {
      free.push(worker);
      workerBusyMs[worker] = 0;
    }
    let now = 0;
    let seq = 0;
    let started = 0;
    let completed = 0;
    const becomeReadyIfLast = (task: number): void => {
      if (--remaining[task]! === 0) {
        readySeq[task] = seq;
        ready.push(task);
      }
    };
    const complete = (worker: number): void => {
      const finished = workerTask[worker]!;
      const task = finished >= size ? splitTask : finished;
      completed++;
      seq++;
      for (let e = dependentStart[task]!; e < dependentStart[task + 1]!; e++) {
        const dependent = dependents[e]!;
        if (inRun[dependent] !== stamp) continue;
        becomeReadyIfLast(dependent);
        if (dependent === splitTask) for (let extra = size; extra < size + parts - 1; extra++) becomeReadyIfLast(extra);
      }
      free.push(worker);
    };
    for (;;) {
      while (free.size > 0 && ready.size > 0) {
        const worker = free.pop();
        const task = ready.pop();
        const duration = durationMs[task]!;
        startMs[task] = now;
        endMs[task] = now + duration;
        workerOf[task] = worker;
        workerTask[worker] = task;
        workerEnd[worker] = now + duration;
        workerBusyMs[worker]! += duration;
        startOrder[started++] = task;
        running.push(worker);
      }
      if (running.size === 0) break;
      const worker = running.pop();
      now = workerEnd[worker]!;
      complete(worker);
      while (running.size > 0 && workerEnd[running.peek()] === now) complete(running.pop());
    }
    if (splitTask !== -1) {
      durationMs[splitTask] = graph.durationMs[splitTask]!;
      if (this.durationKey[splitTask] !== Infinity) this.durationKey[splitTask] = durationMs[splitTask]!;
    }
    const expected = count + parts - 1;
    if (completed !== expected) {
      // indexTaskGraph rejects cycles, so every task of the run becomes ready in turn.
      throw new Error(`list scheduler: ${expected - completed} tasks never became ready`);
    }
    this.taskCount = expected;
    return now;
  }

  /** Per-task buffers for the graph's tasks plus room for the extra parts of a split. */
  private allocate(capacity: number): void {
    const graph = this.graph;
    this.capacity = capacity;
    this.startMs = new Float64Array(capacity);
    this.endMs = new Float64Array(capacity);
    this.workerOf = new Int32Array(capacity);
    this.startOrder = new Int32Array(capacity);
    this.inRun = new Int32Array(capacity);
    this.remaining = new Int32Array(capacity);
    const durationMs = (this.durationMs = new Float64Array(capacity));
    durationMs.set(graph.durationMs);
    const durationKey = (this.durationKey = new Float64Array(capacity));
    for (let task = 0; task < graph.size; task++) {
      durationKey[task] = graph.unknownDuration[task] === 1 ? Infinity : graph.durationMs[task]!;
    }
    const projectDependents = (this.projectDependents = new Float64Array(capacity));
    projectDependents.set(this.projectDependentsByTask);
    const inputRank = (this.inputRank = new Float64Array(capacity));
    for (let task = 0; task < graph.size; task++) inputRank[task] = task;
    const directDependents = (this.directDependents = new Int32Array(capacity));
    const readySeq = (this.readySeq = new Int32Array(capacity));
    this.ready = new IndexHeap(Math.min(capacity, 1024), (a, b) => {
      const dependentsA = directDependents[a]!;
      const dependentsB = directDependents[b]!;
      if (dependentsA !== dependentsB) return dependentsA > dependentsB;
      const projectA = projectDependents[a]!;
      const projectB = projectDependents[b]!;
      if (projectA !== projectB) return projectA > projectB;
      const durationA = durationKey[a]!;
      const durationB = durationKey[b]!;
      if (durationA !== durationB) return durationA > durationB;
      const seqA = readySeq[a]!;
      const seqB = readySeq[b]!;
      if (seqA !== seqB) return seqA < seqB;
      return inputRank[a]! < inputRank[b]!;
    });
  }
}
