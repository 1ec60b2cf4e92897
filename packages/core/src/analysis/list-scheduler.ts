import { GroupQueue } from './group-queue';
import { siftDown, siftUp } from './key-heap';
import type { TaskArrays } from './indexed-task-graph';

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
 * graph (loop times: about a million task placements on 10,000 tasks), so buffers are
 * allocated once and Nx's order is one number per ready task: keys 2 and 3 are one rank
 * computed once per graph, key 1 is packed above it, and keys 4 and 5 are the order in which
 * tasks became ready (the first batch in input order; later, dependents in ascending index
 * order, which is input order, completion by completion). When all of a task's dependents run
 * too (every task of a loop, as a loop runs every project above the changed one), keys 1-3 are
 * known before the run: such tasks wait in a GroupQueue by that place, first in first out
 * within it, in constant time. The others (around a split task) wait in a heap of keys. The
 * parts of a split task beyond the first get the indices after the graph's tasks.
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

  /** Keys 2 and 3 of each task as one odd rank, higher first; the even ranks between are for a split part. */
  private readonly staticRank: Float64Array;
  /** The distinct (key 2, key 3) pairs in rank order, to rank a split part's shorter duration. */
  private readonly rankedProjectDependents: Float64Array;
  private readonly rankedDurationKey: Float64Array;
  /** Above every rank: priority = direct dependents * rankStride + rank. */
  private readonly rankStride: number;
  /** Per task: its priority (key 1 packed above its rank) when all its dependents run, as in the queue. */
  private readonly queuedRank: Float64Array;
  /** The most direct dependents any task has, to bound the priorities. */
  private readonly maxDependents: number;
  /**
   * Per task, its place in Nx's order for a run where all its dependents run too: the group
   * of tasks with the same keys 1-3, lower first.
   */
  private readonly groupOf: Int32Array;
  private readonly queue: GroupQueue;
  private readonly workerTask: Int32Array;
  private readonly workerEnd: Float64Array;
  private durationMs!: Float64Array;
  private inRun!: Int32Array;
  private remaining!: Int32Array;
  private priority!: Float64Array;
  /** The queue's tasks in order when the run's tail drains it. */
  private drained!: Int32Array;
  /** Per task in the queue: the order it became ready in (its key minus its priority). */
  private readyOrder!: Float64Array;
  /** Per task: the run (runId) in which it is a dependency of the split task. */
  private feedsSplit!: Int32Array;
  /** Per task: the run (runId) in which it waits in the heap, not the queue. */
  private inHeap!: Int32Array;
  /** The other ready tasks as a binary heap of (key, task), smallest key first. */
  private readyKey!: Float64Array;
  private readyTask!: Int32Array;
  private capacity = 0;
  private runId = 0;

  constructor(
    readonly graph: TaskArrays,
    readonly parallel: number,
    /** Per task: how many projects depend on the task's project (Nx's second key). */
    private readonly projectDependentsByTask: Float64Array,
  ) {
    const size = graph.size;
    // Keys 2 and 3 as one dense rank, by native sorts of plain numbers (no comparator).
    const durationKey = new Float64Array(size);
    for (let task = 0; task < size; task++) durationKey[task] = durationKeyOf(graph, task, graph.durationMs[task]!);
    const durations = denseRanks(durationKey);
    const dependentCounts = denseRanks(projectDependentsByTask);
    const pairKey = new Float64Array(size);
    for (let task = 0; task < size; task++) {
      pairKey[task] = dependentCounts.ranks[task]! * durations.distinct.length + durations.ranks[task]!;
    }
    const pairs = denseRanks(pairKey);
    this.staticRank = new Float64Array(size);
    for (let task = 0; task < size; task++) this.staticRank[task] = 2 * pairs.ranks[task]! + 1;
    this.rankedProjectDependents = pairs.distinct.map((key) => dependentCounts.distinct[Math.floor(key / durations.distinct.length)]!);
    this.rankedDurationKey = pairs.distinct.map((key) => durations.distinct[key % durations.distinct.length]!);
    this.rankStride = 2 * pairs.distinct.length + 2;
    const dependentCount = (task: number): number => graph.dependentStart[task + 1]! - graph.dependentStart[task]!;
    let maxDependents = 0;
    for (let task = 0; task < size; task++) maxDependents = Math.max(maxDependents, dependentCount(task));
    this.maxDependents = maxDependents;
    this.queuedRank = new Float64Array(size);
    for (let task = 0; task < size; task++) this.queuedRank[task] = dependentCount(task) * this.rankStride + this.staticRank[task]!;
    // Groups: tasks with the same keys 1-3, the highest queued rank first.
    const queued = denseRanks(this.queuedRank);
    const groups = queued.distinct.length;
    this.groupOf = new Int32Array(size);
    for (let task = 0; task < size; task++) this.groupOf[task] = groups - 1 - queued.ranks[task]!;
    this.queue = new GroupQueue(groups, size + 8);
    this.workerTask = new Int32Array(parallel);
    this.workerEnd = new Float64Array(parallel);
    this.workerBusyMs = new Float64Array(parallel);
    this.allocate(size + 8);
  }

  /**
   * Runs the given tasks (indices in ascending order; null: the whole graph), optionally with
   * one task split. Dependencies outside the run count as already done: they are cache hits in
   * an affected run. `dependentsRun`: the caller knows every dependent of a member is a member
   * (a loop over a project graph the task graph follows), so none is looked up.
   * `recordsSchedule`: record each task's start, end and worker (a schedule to show).
   * Without, the run only gives its wall time, and places the tasks left once all are ready
   * greedily: most of a big loop's tasks, at a fraction of the cost. Returns the wall time in ms.
   */
  run(
    members: Int32Array | null,
    memberCount: number,
    split: SplitOverlay | null = null,
    dependentsRun = members === null,
    recordsSchedule = false,
  ): number {
    const graph = this.graph;
    const size = graph.size;
    const { dependencyStart, dependencies, dependentStart, dependents } = graph;
    const count = members ? memberCount : size;
    const stamp = ++this.runId;
    if (split && size + split.parts - 1 > this.capacity) this.allocate(size + split.parts - 1);
    const { durationMs, inRun, remaining, priority, readyKey, readyTask, staticRank, rankStride } = this;
    const { groupOf, queue, readyOrder, inHeap, feedsSplit, queuedRank } = this;
    for (let k = 0; k < count; k++) {
      const task = members ? members[k]! : k;
      inRun[task] = stamp;
      remaining[task] = 0;
    }

    // The split applies only when its task runs; `parts` then stands in for the task in every count.
    const splitTask = split && inRun[split.task] === stamp ? split.task : -1;
    const parts = splitTask === -1 ? 1 : split!.parts;
    const splitDurationMs = splitTask === -1 ? 0 : Math.ceil(graph.durationMs[splitTask]! / parts);
    const splitRank = splitTask === -1 ? 0 : this.rankOfPart(splitTask, splitDurationMs);
    if (splitTask !== -1) {
      durationMs[splitTask] = splitDurationMs;
      for (let extra = size; extra < size + parts - 1; extra++) {
        inRun[extra] = stamp;
        durationMs[extra] = splitDurationMs;
      }
    }
    // A ready task's key: (top - priority) * orderRange + the order it became ready in, where
    // the first batch takes its input-order slot (the parts of a split task in its place) and
    // later tasks count on from orderRange's first half. All of it stays an exact integer.
    const slots = size * parts;
    const orderRange = slots + count + parts;
    const top = (this.maxDependents + parts) * rankStride;
    if ((top + 1) * orderRange > Number.MAX_SAFE_INTEGER) {
      throw new Error(`list scheduler: ${size} tasks split in ${parts} is past the scheduler's exact ordering`);
    }
    if (splitTask !== -1) {
      for (let e = dependencyStart[splitTask]!; e < dependencyStart[splitTask + 1]!; e++) feedsSplit[dependencies[e]!] = stamp;
    }
    if (dependentsRun) {
      // Every dependent of a member is a member: count each task's dependencies in the run
      // from the members' side, which never visits a dependency outside the run.
      for (let k = 0; k < count; k++) {
        const task = members ? members[k]! : k;
        const weight = task === splitTask ? parts : 1;
        for (let e = dependentStart[task]!; e < dependentStart[task + 1]!; e++) remaining[dependents[e]!]! += weight;
      }
    }
    let readyCount = 0;
    let queuedCount = 0;
    let order = slots;
    let previousTask = -1;
    for (let k = 0; k < count; k++) {
      const task = members ? members[k]! : k;
      // Ascending members put the first batch in each group in input order (Nx's key 5).
      if (task <= previousTask) throw new Error('list scheduler: members must be task indices in ascending order');
      previousTask = task;
      let waiting = 0;
      let dependentCount = 0;
      if (dependentsRun) {
        // counted above; every dependent runs, and a split task counts as its parts
        waiting = remaining[task]!;
        dependentCount = dependentStart[task + 1]! - dependentStart[task]! + (feedsSplit[task] === stamp ? parts - 1 : 0);
      } else {
        for (let e = dependencyStart[task]!; e < dependencyStart[task + 1]!; e++) {
          const dependency = dependencies[e]!;
          if (inRun[dependency] === stamp) waiting += dependency === splitTask ? parts : 1;
        }
        for (let e = dependentStart[task]!; e < dependentStart[task + 1]!; e++) {
          const dependent = dependents[e]!;
          if (inRun[dependent] === stamp) dependentCount += dependent === splitTask ? parts : 1;
        }
        remaining[task] = waiting;
      }
      if (task !== splitTask && dependentCount === dependentStart[task + 1]! - dependentStart[task]!) {
        // its place in Nx's order is its group's: its key is only worked out to compare it with the heap's
        if (waiting === 0) {
          readyOrder[task] = task * parts;
          queue.push(groupOf[task]!, task);
          queuedCount++;
        }
        continue;
      }
      inHeap[task] = stamp;
      const base = (top - dependentCount * rankStride - (task === splitTask ? splitRank : staticRank[task]!)) * orderRange;
      priority[task] = base;
      if (waiting === 0) {
        readyKey[readyCount] = base + task * parts;
        readyTask[readyCount++] = task;
      }
      if (task === splitTask) {
        for (let part = 1; part < parts; part++) {
          const extra = size + part - 1;
          remaining[extra] = waiting;
          priority[extra] = base;
          inHeap[extra] = stamp;
          if (waiting === 0) {
            readyKey[readyCount] = base + task * parts + part;
            readyTask[readyCount++] = extra;
          }
        }
      }
    }
    for (let position = (readyCount >> 1) - 1; position >= 0; position--) {
      siftDown(readyKey, readyTask, readyCount, position, readyKey[position]!, readyTask[position]!);
    }

    const { startMs, endMs, workerOf, startOrder, workerTask, workerEnd, workerBusyMs, parallel } = this;
    const total = count + parts - 1;
    workerTask.fill(-1);
    workerBusyMs.fill(0);
    let now = 0;
    let started = 0;
    let completed = 0;
    let busy = 0;
    for (;;) {
      // Free workers, lowest number first, take the first ready tasks.
      for (let worker = 0; worker < parallel && busy < parallel && (queuedCount > 0 || readyCount > 0); worker++) {
        if (workerTask[worker] !== -1) continue;
        let task: number;
        const group = queuedCount > 0 ? queue.firstGroup() : -1;
        if (group !== -1 && (readyCount === 0 || queuedKey(queuedRank, readyOrder, queue.peek(group), top, orderRange) < readyKey[0]!)) {
          task = queue.shift(group);
          queuedCount--;
        } else {
          task = readyTask[0]!;
          if (--readyCount > 0) siftDown(readyKey, readyTask, readyCount, 0, readyKey[readyCount]!, readyTask[readyCount]!);
        }
        const end = now + durationMs[task]!;
        workerTask[worker] = task;
        workerEnd[worker] = end;
        busy++;
        started++;
        if (!recordsSchedule) continue;
        startMs[task] = now;
        endMs[task] = end;
        workerOf[task] = worker;
        workerBusyMs[worker]! += end - now;
        startOrder[started - 1] = task;
      }
      if (busy === 0) break;
      if (!recordsSchedule && queuedCount + readyCount === total - started) {
        // Every task left is ready, so no completion can change their order: each takes the
        // worker free first, in that order. Only which of two equally free workers takes it
        // differs from the event by event run, and the wall time does not depend on that.
        now = this.placeInOrder(queuedCount, readyCount, now, top, orderRange);
        completed = total;
        break;
      }
      let next = Infinity;
      for (let worker = 0; worker < parallel; worker++) {
        if (workerTask[worker] !== -1 && workerEnd[worker]! < next) next = workerEnd[worker]!;
      }
      now = next;
      // Every task ending now completes, lowest worker first, before any worker picks again.
      for (let worker = 0; worker < parallel; worker++) {
        if (workerTask[worker] === -1 || workerEnd[worker] !== now) continue;
        const finished = workerTask[worker]!;
        workerTask[worker] = -1;
        busy--;
        completed++;
        const task = finished >= size ? splitTask : finished;
        for (let e = dependentStart[task]!; e < dependentStart[task + 1]!; e++) {
          const dependent = dependents[e]!;
          if ((!dependentsRun && inRun[dependent] !== stamp) || --remaining[dependent]! !== 0) continue;
          if (inHeap[dependent] !== stamp) {
            readyOrder[dependent] = order++;
            queue.push(groupOf[dependent]!, dependent);
            queuedCount++;
            continue;
          }
          siftUp(readyKey, readyTask, readyCount++, priority[dependent]! + order++, dependent);
          if (dependent !== splitTask) continue;
          for (let part = 1; part < parts; part++) {
            const extra = size + part - 1;
            remaining[extra] = 0;
            siftUp(readyKey, readyTask, readyCount++, priority[extra]! + order++, extra);
          }
        }
      }
    }
    if (splitTask !== -1) durationMs[splitTask] = graph.durationMs[splitTask]!;
    if (completed !== total) {
      // indexTaskGraph rejects cycles, so every task of the run becomes ready in turn.
      throw new Error(`list scheduler: ${total - completed} tasks never became ready`);
    }
    this.taskCount = total;
    return now;
  }

  /**
   * The end of a run whose remaining tasks are all ready (`queued` in the queue, `heaped` in
   * the heap) and whose workers are all busy or free at `now`: each task in Nx's order goes to
   * the worker free first. Empties the queue and the heap.
   */
  private placeInOrder(queued: number, heaped: number, now: number, top: number, orderRange: number): number {
    const { workerTask, workerEnd, parallel, durationMs, queuedRank, readyOrder, readyKey, readyTask, drained } = this;
    for (let worker = 0; worker < parallel; worker++) if (workerTask[worker] === -1) workerEnd[worker] = now;
    this.queue.drainInto(drained);
    let next = 0;
    let heapCount = heaped;
    while (heapCount > 0) {
      let task: number;
      if (next < queued && queuedKey(queuedRank, readyOrder, drained[next]!, top, orderRange) < readyKey[0]!) {
        task = drained[next++]!;
      } else {
        task = readyTask[0]!;
        if (--heapCount > 0) siftDown(readyKey, readyTask, heapCount, 0, readyKey[heapCount]!, readyTask[heapCount]!);
      }
      placeOnFirstFree(workerEnd, parallel, durationMs[task]!);
    }
    // the rest is the queue's, already in order
    for (; next < queued; next++) placeOnFirstFree(workerEnd, parallel, durationMs[drained[next]!]!);
    let end = now;
    for (let worker = 0; worker < parallel; worker++) end = Math.max(end, workerEnd[worker]!);
    return end;
  }

  /** The rank of a part of a split task: its project's key 2, with the part's shorter duration as key 3. */
  private rankOfPart(task: number, partDurationMs: number): number {
    const projectDependents = this.projectDependentsByTask[task]!;
    const durationKey = durationKeyOf(this.graph, task, partDurationMs);
    const { rankedProjectDependents, rankedDurationKey } = this;
    // below: how many ranked pairs order before (projectDependents, durationKey)
    let below = 0;
    let above = rankedProjectDependents.length;
    while (below < above) {
      const middle = (below + above) >> 1;
      const order = rankedProjectDependents[middle]! - projectDependents || compareDurationKeys(rankedDurationKey[middle]!, durationKey);
      if (order < 0) below = middle + 1;
      else above = middle;
    }
    const same = below < rankedProjectDependents.length && rankedProjectDependents[below] === projectDependents && rankedDurationKey[below] === durationKey;
    return same ? 2 * below + 1 : 2 * below;
  }

  /** Per-task buffers for the graph's tasks plus room for the extra parts of a split. */
  private allocate(capacity: number): void {
    this.capacity = capacity;
    this.startMs = new Float64Array(capacity);
    this.endMs = new Float64Array(capacity);
    this.workerOf = new Int32Array(capacity);
    this.startOrder = new Int32Array(capacity);
    this.inRun = new Int32Array(capacity);
    this.remaining = new Int32Array(capacity);
    this.durationMs = new Float64Array(capacity);
    this.durationMs.set(this.graph.durationMs);
    this.priority = new Float64Array(capacity);
    this.readyKey = new Float64Array(capacity);
    this.readyTask = new Int32Array(capacity);
    this.drained = new Int32Array(capacity);
    this.readyOrder = new Float64Array(capacity);
    this.inHeap = new Int32Array(capacity);
    this.feedsSplit = new Int32Array(capacity);
  }
}

/** A queued task's key in a run, to compare it with the heap's: its group's priority, then when it became ready. */
function queuedKey(queuedRank: Float64Array, readyOrder: Float64Array, task: number, top: number, orderRange: number): number {
  return (top - queuedRank[task]!) * orderRange + readyOrder[task]!;
}

/** Puts a task on the worker free first (the lowest such): its end moves on by the duration. */
function placeOnFirstFree(workerEnd: Float64Array, parallel: number, durationMs: number): void {
  let worker = 0;
  let free = workerEnd[0]!;
  for (let other = 1; other < parallel; other++) {
    const end = workerEnd[other]!;
    if (end < free) {
      free = end;
      worker = other;
    }
  }
  workerEnd[worker] = free + durationMs;
}

/** Each value's place among the distinct values (ascending, from 0), and those values. */
function denseRanks(values: Float64Array): { ranks: Int32Array; distinct: Float64Array } {
  const sorted = Float64Array.from(values).sort();
  let distinctCount = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[distinctCount - 1]) sorted[distinctCount++] = sorted[k]!;
  const distinct = sorted.slice(0, distinctCount);
  const ranks = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const value = values[k]!;
    let low = 0;
    let high = distinctCount - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (distinct[middle]! < value) low = middle + 1;
      else high = middle;
    }
    ranks[k] = low;
  }
  return { ranks, distinct };
}

/** Nx's third key: +Infinity when the duration is unknown to Nx (estimated, or 0 ms), else the duration. */
function durationKeyOf(graph: TaskArrays, task: number, durationMs: number): number {
  return graph.unknownDuration[task] === 1 ? Infinity : durationMs;
}

function compareDurationKeys(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
