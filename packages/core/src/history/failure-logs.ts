import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOGS_SUBDIR = 'logs';
/** Failure logs are for the next `sixty check` to excerpt, not an archive: keep the newest runs only. */
const KEEP_RUNS = 30;
/** The tail of a log holds the failure; beyond this, older output is dropped. */
const MAX_LOG_BYTES = 256 * 1024;

function safeName(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
}

/**
 * Writes the terminal output of each failed task to `<historyDir>/logs/<run>/<task>.log` and
 * returns each task's log path relative to historyDir. Older run folders beyond the newest
 * KEEP_RUNS are removed.
 */
export function writeFailureLogs(
  historyDir: string,
  runStartMs: number,
  runId: string,
  failures: Array<{ taskId: string; output: string }>,
): Map<string, string> {
  const paths = new Map<string, string>();
  if (failures.length === 0) return paths;
  const logsDir = join(historyDir, LOGS_SUBDIR);
  // the start time first, so folder names sort by age
  const runFolder = `${String(runStartMs).padStart(14, '0')}-${safeName(runId)}`;
  mkdirSync(join(logsDir, runFolder), { recursive: true });
  for (const { taskId, output } of failures) {
    const relative = `${LOGS_SUBDIR}/${runFolder}/${safeName(taskId)}.log`;
    const text = output.length > MAX_LOG_BYTES ? output.slice(-MAX_LOG_BYTES) : output;
    writeFileSync(join(historyDir, relative), text);
    paths.set(taskId, relative);
  }
  const folders = readdirSync(logsDir).sort();
  for (const old of folders.slice(0, Math.max(0, folders.length - KEEP_RUNS))) {
    rmSync(join(logsDir, old), { recursive: true, force: true });
  }
  return paths;
}
