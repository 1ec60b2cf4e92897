import { readdir, rm } from 'node:fs/promises';
import { ensureDirectory, writeRegularFile } from './guarded-files';
import { join } from 'node:path';

const LOGS_SUBDIR = 'logs';
/** Failure logs are for the next `sixty check` to excerpt, not an archive: keep the newest runs only. */
const KEEP_RUNS = 30;
/** The tail of a log holds the failure; beyond this, older output is dropped. */
const MAX_LOG_BYTES = 256 * 1024;

function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/** Where one failed task's output sits: a run's log file, and its lines there (1-based, inclusive). */
export interface FailureLogLocation {
  file: string;
  lines: [number, number];
}

function lineCount(text: string): number {
  let count = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

/**
 * Writes the terminal output of every failed task of one run to `<historyDir>/logs/<run>.log`,
 * each task under a header line, and returns each task's file (relative to historyDir) and
 * line range. One file per run, not per task: a run with hundreds of failures then costs one
 * write in the nx hook instead of hundreds of file creations. Only the newest KEEP_RUNS run
 * logs are kept (older per-task folders from earlier versions are removed the same way).
 * Guarded like the run store (guarded-files.ts): nx's hook bounds it with a deadline.
 */
export async function writeFailureLogs(
  historyDir: string,
  runStartMs: number,
  runId: string,
  failures: Array<{ taskId: string; output: string }>,
): Promise<Map<string, FailureLogLocation>> {
  const locations = new Map<string, FailureLogLocation>();
  if (failures.length === 0) return locations;
  const logsDir = join(historyDir, LOGS_SUBDIR);
  // the start time first, so names sort by age
  const file = `${LOGS_SUBDIR}/${String(runStartMs).padStart(14, '0')}-${safeName(runId)}.log`;
  const sections: string[] = [];
  let nextLine = 1;
  for (const { taskId, output } of failures) {
    const tail = output.length > MAX_LOG_BYTES ? output.slice(-MAX_LOG_BYTES) : output;
    const text = tail.endsWith('\n') ? tail.slice(0, -1) : tail;
    const first = nextLine + 1; // below the header line
    const last = first + lineCount(text) - 1;
    sections.push(`==== sixty: output of failed task ${taskId} ====\n${text}\n`);
    locations.set(taskId, { file, lines: [first, last] });
    nextLine = last + 1;
  }
  await ensureDirectory(logsDir);
  await writeRegularFile(join(historyDir, file), sections.join(''));
  // run logs only (their names start with the start time): other files here, like check's own log, stay
  const entries = (await readdir(logsDir))
    .filter((name) => /^\d{14}-/.test(name))
    .sort();
  for (const old of entries.slice(0, Math.max(0, entries.length - KEEP_RUNS))) {
    await rm(join(logsDir, old), { recursive: true, force: true });
  }
  return locations;
}

/**
 * One task's part of a run log; the whole text when no range was recorded (older per-task logs).
 * The log as text, or already split into lines when many tasks read the same run log.
 */
export function failureLogSection(log: string | readonly string[], lines: unknown): string {
  if (!isLineRange(lines)) return typeof log === 'string' ? log : log.join('\n');
  return (typeof log === 'string' ? log.split('\n') : log).slice(lines[0] - 1, lines[1]).join('\n');
}

/** A range read back from history is untrusted: two whole numbers, 1 <= first <= last. */
export function isLineRange(value: unknown): value is [number, number] {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isSafeInteger(value[0]) &&
    Number.isSafeInteger(value[1]) &&
    value[0] >= 1 &&
    value[0] <= value[1]
  );
}
