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
  /**
   * SIXTY_TEST_SELECTION of the process that started nx: the run's tasks ran only the test files
   * a change reaches (sixty check), so their times are not the targets' and stats leave them out.
   */
  selection?: string;
  /** The task of another nx run this nx was started from (a target whose command runs nx). */
  parentTask?: ParentTask;
  /** Set when read, never written: the run this one is nested in (attachNestedRuns). */
  parentRunId?: string;
}

/** The nx task a nested nx run was started from: its id and, when nx gave it, its hash. */
export interface ParentTask {
  id: string;
  hash?: string;
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

/**
 * Limits a record read back from history must respect: the history is a file anyone (or a
 * crashed writer) may have damaged, and every renderer trusts what passes here.
 */
const EARLIEST_MS = 0;
const LATEST_MS = Date.UTC(2200, 0, 1);
/** No run or task takes longer than this; a record that says so is damaged. */
const MAX_SPAN_MS = 31 * 24 * 60 * 60 * 1000;
const MAX_NAME_LENGTH = 1_000;
const MAX_COMMAND_LENGTH = 100_000;

const isString = (value: unknown, maxLength: number): value is string => typeof value === 'string' && value.length <= maxLength;
const isOptionalString = (value: unknown, maxLength: number): boolean => value === undefined || isString(value, maxLength);

/** An epoch ms a real clock could have shown (1970 to 2200). */
function isEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= EARLIEST_MS && value <= LATEST_MS;
}

/** start <= end, both plausible epoch ms, at most MAX_SPAN_MS apart. */
function isTimeSpan(startMs: unknown, endMs: unknown): boolean {
  return isEpochMs(startMs) && isEpochMs(endMs) && endMs >= startMs && endMs - startMs <= MAX_SPAN_MS;
}

function isParentTask(value: unknown): boolean {
  if (value === undefined) return true;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const parent = value as Record<string, unknown>;
  return isString(parent.id, MAX_NAME_LENGTH) && parent.id !== '' && isOptionalString(parent.hash, MAX_NAME_LENGTH);
}

function isLogLines(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 2 && value.every((line) => Number.isSafeInteger(line) && line >= 1) && value[0] <= value[1]);
}

function isTaskRecord(value: unknown): value is TaskRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const task = value as Record<string, unknown>;
  return (
    isString(task.id, MAX_NAME_LENGTH) &&
    task.id !== '' &&
    isString(task.project, MAX_NAME_LENGTH) &&
    isString(task.target, MAX_NAME_LENGTH) &&
    isOptionalString(task.configuration, MAX_NAME_LENGTH) &&
    isOptionalString(task.hash, MAX_NAME_LENGTH) &&
    typeof task.status === 'string' &&
    TASK_STATUSES.has(task.status) &&
    (task.cache === 'none' || task.cache === 'local' || task.cache === 'remote') &&
    isTimeSpan(task.startMs, task.endMs) &&
    typeof task.durationMs === 'number' &&
    Number.isFinite(task.durationMs) &&
    task.durationMs >= 0 &&
    task.durationMs <= MAX_SPAN_MS &&
    (task.exitCode === undefined || task.exitCode === null || Number.isSafeInteger(task.exitCode)) &&
    isOptionalString(task.logFile, MAX_NAME_LENGTH) &&
    isLogLines(task.logLines)
  );
}

/**
 * Field-by-field check of a parsed history line: types, finite numbers, plausible times
 * (1970-2200, start before end, spans under 31 days), bounded strings. Anything else is
 * counted as a skipped record, so no renderer ever sees it.
 */
export function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const run = value as Record<string, unknown>;
  return (
    run.schemaVersion === RUN_RECORD_SCHEMA_VERSION &&
    isString(run.id, MAX_NAME_LENGTH) &&
    (run.nxVersion === undefined || run.nxVersion === null || isString(run.nxVersion, MAX_NAME_LENGTH)) &&
    isString(run.command, MAX_COMMAND_LENGTH) &&
    isTimeSpan(run.startMs, run.endMs) &&
    isOptionalString(run.requestId, MAX_NAME_LENGTH) &&
    isOptionalString(run.selection, MAX_NAME_LENGTH) &&
    isParentTask(run.parentTask) &&
    Array.isArray(run.tasks) &&
    run.tasks.every(isTaskRecord)
  );
}
