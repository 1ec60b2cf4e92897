import { cacheKindOf, RUN_RECORD_SCHEMA_VERSION, type RunRecord, type TaskRecord, type TaskStatus } from '@sixty/core';

/** A task record named `project:target[:configuration]` that took `durationMs`, ending at `endMs`. */
export function taskRecord(
  id: string,
  durationMs: number,
  { status = 'success', endMs = 1_000_000 }: { status?: TaskStatus; endMs?: number } = {},
): TaskRecord {
  const [project, target, configuration] = id.split(':') as [string, string, string | undefined];
  return {
    id,
    project,
    target,
    ...(configuration ? { configuration } : {}),
    status,
    cache: cacheKindOf(status),
    startMs: endMs - durationMs,
    endMs,
    durationMs,
    exitCode: status === 'failure' ? 1 : 0,
  };
}

/** A run record with the given tasks, started at `startMs`, that took `durationMs`. */
export function runRecord(id: string, startMs: number, tasks: TaskRecord[] = [], durationMs = 1000): RunRecord {
  return {
    schemaVersion: RUN_RECORD_SCHEMA_VERSION,
    id,
    nxVersion: '22.7.12',
    command: 'nx run-many -t build',
    startMs,
    endMs: startMs + durationMs,
    tasks,
  };
}
