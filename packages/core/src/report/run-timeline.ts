import { SixtyError } from '../errors/sixty-error';
import type { CacheKind, RunRecord, TaskStatus } from '../history/run-record';

/** One task of a recorded run, placed on a row (an nx worker), times relative to the run start. */
export interface TimelineTask {
  id: string;
  project: string;
  target: string;
  /** 0-based row: the worker the task ran on, as far as start and end times tell. */
  row: number;
  startMs: number;
  endMs: number;
  cache: CacheKind;
  status: TaskStatus;
  /** On the critical path of this run: the chain of tasks that ended last. */
  critical: boolean;
}

export interface RunTimeline {
  /** Wall time of the run: from its start (or its earliest task) to its end (or its latest task). */
  wallMs: number;
  /** How many rows the tasks need: the most tasks that ran at the same time. */
  rows: number;
  /** Every task, by start time, then end time, then id. */
  tasks: TimelineTask[];
  /** Task ids of the run's critical path, first to last. */
  criticalPath: string[];
}

export interface TimelineOptions {
  /**
   * How long after a task started its predecessor on the critical path may have ended:
   * nx records start and end separately, so a task that waited for another starts a few ms late
   * or, on a coarse clock, a few ms "early".
   */
  toleranceMs?: number;
}

const DEFAULT_TOLERANCE_MS = 50;

function byStart(a: { startMs: number; endMs: number; id: string }, b: { startMs: number; endMs: number; id: string }): number {
  return a.startMs - b.startMs || a.endMs - b.endMs || a.id.localeCompare(b.id);
}

/**
 * Interval partitioning by start time: each task goes to the lowest free row, so the number of
 * rows is the most tasks that overlapped (the fewest possible), and a row reads like a worker.
 */
function assignRows(tasks: Array<{ startMs: number; endMs: number }>): number[] {
  const rowEnds: number[] = [];
  return tasks.map((task) => {
    let row = rowEnds.findIndex((end) => end <= task.startMs);
    if (row === -1) row = rowEnds.push(0) - 1;
    rowEnds[row] = task.endMs;
    return row;
  });
}

/**
 * The chain that bounds the run: from the last-ending task, walk back to the latest-ending task
 * that ended before it started (within the tolerance), preferring the same row on ties.
 */
function criticalChain(tasks: TimelineTask[], toleranceMs: number): number[] {
  if (tasks.length === 0) return [];
  // by end time, ties by earlier start: the last entry is the task that ended the run
  const byEnd = tasks.map((_, i) => i).sort((a, b) => tasks[a]!.endMs - tasks[b]!.endMs || tasks[b]!.startMs - tasks[a]!.startMs);
  /** Position in byEnd of the last task that ended at or before `limit` (-1 when none). */
  const lastEndingBy = (limit: number): number => {
    let low = 0;
    let high = byEnd.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tasks[byEnd[middle]!]!.endMs <= limit) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  };
  let current = byEnd[byEnd.length - 1]!;
  const chain = [current];
  for (;;) {
    const last = tasks[current]!;
    let position = lastEndingBy(last.startMs + toleranceMs);
    // ending strictly before `last` ends keeps the walk finite even with the tolerance
    while (position >= 0 && tasks[byEnd[position]!]!.endMs >= last.endMs) position--;
    if (position < 0) break;
    const latestEnd = tasks[byEnd[position]!]!.endMs;
    let previous = byEnd[position]!;
    for (; position >= 0 && tasks[byEnd[position]!]!.endMs === latestEnd; position--) {
      if (tasks[byEnd[position]!]!.row === last.row) previous = byEnd[position]!;
    }
    chain.push(previous);
    current = previous;
  }
  return chain.reverse();
}

/** Rows (workers) and the critical path of a recorded run, ready to draw as a Gantt chart or a trace. */
export function timelineOfRun(run: RunRecord, options: TimelineOptions = {}): RunTimeline {
  const toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  if (!Number.isFinite(toleranceMs) || toleranceMs < 0) {
    throw new SixtyError('INVALID_ARGUMENT', `timelineOfRun: options.toleranceMs must be a finite number >= 0, got ${toleranceMs}`, 'Pass a small tolerance such as 50 (ms), or leave it out.');
  }
  // reduce, not Math.min(...spread): a run can hold more tasks than a call has arguments
  const origin = run.tasks.reduce((min, task) => Math.min(min, task.startMs), run.startMs);
  const end = run.tasks.reduce((max, task) => Math.max(max, task.endMs), run.endMs);
  const placed = run.tasks
    .map((task) => {
      const startMs = task.startMs - origin;
      // a record whose end precedes its start is drawn as an instant, not rejected
      return { task, id: task.id, startMs, endMs: Math.max(startMs, task.endMs - origin) };
    })
    .sort(byStart);
  const rows = assignRows(placed);
  const tasks: TimelineTask[] = placed.map(({ task, startMs, endMs }, i) => ({
    id: task.id,
    project: task.project,
    target: task.target,
    row: rows[i]!,
    startMs,
    endMs,
    cache: task.cache,
    status: task.status,
    critical: false,
  }));
  const chain = criticalChain(tasks, toleranceMs);
  for (const i of chain) tasks[i]!.critical = true;
  return {
    wallMs: Math.max(0, end - origin),
    rows: rows.reduce((max, row) => Math.max(max, row + 1), 0),
    tasks,
    criticalPath: chain.map((i) => tasks[i]!.id),
  };
}
