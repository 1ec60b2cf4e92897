import { cacheKindOf, RUN_RECORD_SCHEMA_VERSION, TASK_STATUSES, type RunRecord, type TaskRecord, type TaskStatus } from './run-record';

/** The part of Nx's postTasksExecution `taskResults` entries that a run record needs. */
export interface TaskResultLike {
  task: {
    id: string;
    target: { project: string; target: string; configuration?: string };
    hash?: string;
    startTime?: number;
    endTime?: number;
  };
  status: string;
  code?: number;
  terminalOutput?: string;
}

export interface InvocationLike {
  id?: string;
  taskResults: Record<string, TaskResultLike>;
  argv?: string[];
  startTime?: number;
  endTime?: number;
}

function commandLine(argv: string[] | undefined): string {
  if (!argv || argv.length === 0) return 'nx';
  // argv is [node, /path/to/nx, ...args]: keep the args after the nx binary
  const nxIndex = argv.findIndex((arg) => /(^|[\\/])nx(\.js)?$/.test(arg));
  const args = nxIndex >= 0 ? argv.slice(nxIndex + 1) : argv.slice(2);
  return ['nx', ...args].join(' ');
}

/** Turns Nx's task results into a run record. Pure and cheap: one pass, no I/O. */
export function recordFromTaskResults(invocation: InvocationLike, nxVersion: string | null, nowMs: number): RunRecord {
  const tasks: TaskRecord[] = [];
  let firstStart = Infinity;
  let lastEnd = 0;
  for (const result of Object.values(invocation.taskResults)) {
    const { task } = result;
    const status = (TASK_STATUSES.has(result.status) ? result.status : 'failure') as TaskStatus;
    const startMs = typeof task.startTime === 'number' ? task.startTime : 0;
    const endMs = typeof task.endTime === 'number' ? task.endTime : startMs;
    const record: TaskRecord = {
      id: task.id,
      project: task.target.project,
      target: task.target.target,
      status,
      cache: cacheKindOf(status),
      startMs,
      endMs,
      durationMs: Math.max(0, endMs - startMs),
      exitCode: typeof result.code === 'number' ? result.code : null,
    };
    if (task.target.configuration) record.configuration = task.target.configuration;
    if (task.hash) record.hash = task.hash;
    tasks.push(record);
    if (startMs > 0) firstStart = Math.min(firstStart, startMs);
    lastEnd = Math.max(lastEnd, endMs);
  }
  const startMs = invocation.startTime ?? (Number.isFinite(firstStart) ? firstStart : nowMs);
  const endMs = invocation.endTime ?? (lastEnd || nowMs);
  return {
    schemaVersion: RUN_RECORD_SCHEMA_VERSION,
    id: invocation.id ?? `${startMs}-${Math.random().toString(36).slice(2, 10)}`,
    nxVersion,
    command: commandLine(invocation.argv),
    startMs,
    endMs,
    tasks,
  };
}
