/** Schema version of the run record written to the history store. Bump on breaking change. */
export const RUN_RECORD_SCHEMA_VERSION = 1;

/** Nx's task result statuses (postTasksExecution `taskResults[id].status`). */
export type TaskStatus =
  | 'success'
  | 'failure'
  | 'skipped'
  | 'stopped'
  | 'local-cache'
  | 'local-cache-kept-existing'
  | 'remote-cache';

/** Where a task's result came from: executed (none) or restored from a cache. */
export type CacheKind = 'none' | 'local' | 'remote';

export interface TaskRecord {
  /** project:target[:configuration], as Nx names the task. */
  id: string;
  project: string;
  target: string;
  configuration?: string;
  hash?: string;
  status: TaskStatus;
  cache: CacheKind;
  /** Epoch milliseconds. For cache hits these measure the restore, not the original run. */
  startMs: number;
  endMs: number;
  durationMs: number;
  exitCode: number | null;
  /** For failed tasks: the run's log of failed output, relative to the history dir (logs/<run>.log). */
  logFile?: string;
  /** This task's lines in logFile (1-based, inclusive); absent in logs of one task each (older records). */
  logLines?: [number, number];
}

/** One nx invocation (run, run-many, affected) and every task it ran. */
export interface RunRecord {
  schemaVersion: typeof RUN_RECORD_SCHEMA_VERSION;
  /** Invocation id: unique per nx process. */
  id: string;
  nxVersion: string | null;
  /** The command line, e.g. `nx run-many -t build test`. */
  command: string;
  startMs: number;
  endMs: number;
  tasks: TaskRecord[];
  /** SIXTY_REQUEST_ID of the process that started nx, so `sixty check` finds its own run. */
  requestId?: string;
}

export function cacheKindOf(status: TaskStatus): CacheKind {
  switch (status) {
    case 'local-cache':
    case 'local-cache-kept-existing':
      return 'local';
    case 'remote-cache':
      return 'remote';
    default:
      return 'none';
  }
}

/** An executed (not restored, not skipped) task: the only kind whose duration says how long it takes. */
export function isExecuted(task: TaskRecord): boolean {
  return task.cache === 'none' && (task.status === 'success' || task.status === 'failure');
}

/** project:target (plus :configuration when there is one): the key statistics are grouped by. */
export function taskKey(project: string, target: string, configuration?: string): string {
  return configuration ? `${project}:${target}:${configuration}` : `${project}:${target}`;
}

/** Every status a task record may have: Nx's own names. */
export const TASK_STATUSES: ReadonlySet<string> = new Set<TaskStatus>([
  'success',
  'failure',
  'skipped',
  'stopped',
  'local-cache',
  'local-cache-kept-existing',
  'remote-cache',
]);

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isTaskRecord(value: unknown): value is TaskRecord {
  if (typeof value !== 'object' || value === null) return false;
  const task = value as Record<string, unknown>;
  return (
    typeof task.id === 'string' &&
    typeof task.project === 'string' &&
    typeof task.target === 'string' &&
    typeof task.status === 'string' &&
    TASK_STATUSES.has(task.status) &&
    (task.cache === 'none' || task.cache === 'local' || task.cache === 'remote') &&
    isFiniteNumber(task.startMs) &&
    isFiniteNumber(task.endMs) &&
    isFiniteNumber(task.durationMs) &&
    task.durationMs >= 0
  );
}

/** Shape check of a parsed history line; anything else is counted as a skipped record. */
export function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const run = value as Record<string, unknown>;
  return (
    run.schemaVersion === RUN_RECORD_SCHEMA_VERSION &&
    typeof run.id === 'string' &&
    isFiniteNumber(run.startMs) &&
    isFiniteNumber(run.endMs) &&
    Array.isArray(run.tasks) &&
    run.tasks.every(isTaskRecord)
  );
}
