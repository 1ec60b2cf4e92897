import type { RunRecord } from '../history/run-record';
import type { ReportRenderer } from './report-renderer';
import { timelineOfRun } from './run-timeline';

/** One event of the Chrome trace event format (the JSON that chrome://tracing and Perfetto open). */
export interface TraceEvent {
  name: string;
  /** "X": a complete event with a duration; "M": metadata (process and thread names, order). */
  ph: 'X' | 'M';
  pid: number;
  tid: number;
  /** Microseconds from the start of the run. */
  ts?: number;
  dur?: number;
  cat?: string;
  args: Record<string, string | number | boolean | null>;
}

export interface TraceFile {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
  otherData?: Record<string, string | number | null>;
}

const PID = 1;
const microseconds = (ms: number): number => Math.round(ms * 1000);

/** The Chrome trace of a recorded run: one row (thread) per nx worker, one complete event per task. */
export function traceOfRun(lastRun: RunRecord | null): TraceFile {
  if (!lastRun) return { traceEvents: [], displayTimeUnit: 'ms' };
  const timeline = timelineOfRun(lastRun);
  const byId = new Map(lastRun.tasks.map((task) => [task.id, task]));
  const metadata: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid: PID, tid: 0, args: { name: lastRun.command || 'nx' } },
    ...Array.from({ length: timeline.rows }, (_, row): TraceEvent[] => [
      { name: 'thread_name', ph: 'M', pid: PID, tid: row + 1, args: { name: `worker ${row + 1}` } },
      { name: 'thread_sort_index', ph: 'M', pid: PID, tid: row + 1, args: { sort_index: row + 1 } },
    ]).flat(),
  ];
  const tasks: TraceEvent[] = timeline.tasks.map((task) => {
    const record = byId.get(task.id);
    return {
      name: task.id,
      // the category lets the viewer filter executed tasks from cache restores
      cat: task.cache === 'none' ? 'executed' : `${task.cache}-cache`,
      ph: 'X',
      pid: PID,
      tid: task.row + 1,
      ts: microseconds(task.startMs),
      dur: microseconds(task.endMs - task.startMs),
      args: {
        status: task.status,
        cache: task.cache,
        project: task.project,
        target: task.target,
        ...(record?.configuration ? { configuration: record.configuration } : {}),
        criticalPath: task.critical,
        exitCode: record?.exitCode ?? null,
      },
    };
  });
  return {
    traceEvents: [...metadata, ...tasks],
    displayTimeUnit: 'ms',
    otherData: { runId: lastRun.id, command: lastRun.command, nxVersion: lastRun.nxVersion, startedAt: new Date(lastRun.startMs).toISOString() },
  };
}

export const traceRenderer: ReportRenderer = {
  format: 'trace',
  render(report) {
    const trace = traceOfRun(report.lastRun);
    // the count of history lines that were not read travels with the trace, as with every format
    return JSON.stringify({ ...trace, otherData: { ...trace.otherData, skippedRecords: report.skippedRecords } });
  },
};
