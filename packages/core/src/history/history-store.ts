import { readdirSync, statSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { appendToRegularFile, ensureDirectory, readRegularFile } from './guarded-files';
import { readDecompositions, withoutSupersededTasks } from './decompositions';
import { attachNestedRuns } from './nested-runs';
import { isRunRecord, type RunRecord } from './run-record';

/** How much history to keep. Whichever limit is reached first prunes the oldest day files. */
export interface RetentionPolicy {
  maxAgeDays: number;
  maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 30, maxBytes: 50 * 1024 * 1024 };

const RUNS_SUBDIR = 'runs';
const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;
const DAY_MS = 24 * 60 * 60 * 1000;

export function runsDirectory(historyDir: string): string {
  return join(historyDir, RUNS_SUBDIR);
}

function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/**
 * Appends one run as one line to the day's file, then prunes by the retention policy.
 *
 * Why this is safe with many nx processes finishing at once: the whole line goes out in a
 * single write on a file opened with O_APPEND, and local filesystems serialize appends per
 * inode, so lines from different writers never interleave and none is lost.
 * Asynchronous and guarded (guarded-files.ts): nx's hook bounds it with a deadline, and a
 * pseudo filesystem, a directory in the way or a day file that is not a regular file is refused
 * before it can block.
 */
export async function appendRun(historyDir: string, run: RunRecord, retention: RetentionPolicy = DEFAULT_RETENTION): Promise<string> {
  const dir = runsDirectory(historyDir);
  await ensureDirectory(dir);
  const file = join(dir, `${dayOf(run.endMs)}.jsonl`);
  await appendToRegularFile(file, JSON.stringify(run) + '\n');
  await pruneHistory(historyDir, retention, run.endMs);
  return file;
}

interface DayFile {
  path: string;
  day: string;
}

/** The day files of the store, oldest first: regular files only (a FIFO or a directory named like one is not read or pruned). */
function listDayFiles(historyDir: string): DayFile[] {
  let names: string[];
  try {
    names = readdirSync(runsDirectory(historyDir));
  } catch {
    return [];
  }
  return dayFilesAmong(historyDir, names).filter((file) => {
    try {
      return statSync(file.path).isFile();
    } catch {
      return false;
    }
  });
}

function dayFilesAmong(historyDir: string, names: readonly string[]): DayFile[] {
  const files: DayFile[] = [];
  for (const name of names) {
    const match = DAY_FILE.exec(name);
    if (match) files.push({ path: join(runsDirectory(historyDir), name), day: match[1]! });
  }
  return files.sort((a, b) => a.day.localeCompare(b.day));
}

/**
 * Deletes day files older than maxAgeDays, then the oldest ones while the total is over
 * maxBytes. The newest file is always kept so the run just written is never lost; entries that
 * are not regular files are left alone. Returns the deleted paths.
 */
export async function pruneHistory(historyDir: string, retention: RetentionPolicy, nowMs: number = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(runsDirectory(historyDir));
  } catch {
    return [];
  }
  const files = dayFilesAmong(historyDir, names);
  const oldestKeptDay = dayOf(nowMs - retention.maxAgeDays * DAY_MS);
  const deleted: string[] = [];
  const kept: Array<DayFile & { bytes: number }> = [];
  for (const [index, file] of files.entries()) {
    let bytes: number;
    try {
      const stats = await stat(file.path);
      if (!stats.isFile()) continue;
      bytes = stats.size;
    } catch {
      continue; // deleted by a concurrent pruner
    }
    const isNewest = index === files.length - 1;
    if (!isNewest && file.day < oldestKeptDay) {
      await removeQuietly(file.path, deleted);
      continue;
    }
    kept.push({ ...file, bytes });
  }
  let total = kept.reduce((sum, file) => sum + file.bytes, 0);
  for (const file of kept.slice(0, -1)) {
    if (total <= retention.maxBytes) break;
    await removeQuietly(file.path, deleted);
    total -= file.bytes;
  }
  return deleted;
}

async function removeQuietly(path: string, deleted: string[]): Promise<void> {
  try {
    await unlink(path);
    deleted.push(path);
  } catch {
    // another process pruned it first
  }
}

export interface ReadHistoryOptions {
  /** Only runs that started at or after this epoch ms. */
  sinceMs?: number;
  /** Keep the task records that an applied decomposition superseded (default: left out). */
  keepSuperseded?: boolean;
  /** Keep the runs of a test selection (sixty check running some of a target's test files; default: left out, their times are not the targets'). */
  keepSelections?: boolean;
}

export interface HistoryReadResult {
  runs: RunRecord[];
  /** Lines that were not a valid run record (corrupt, truncated, unknown schema). */
  skippedRecords: number;
  /** Task records left out because a plan applied later decomposed their target (decompositions.json). */
  supersededTasks: number;
  files: string[];
}

/** Reads every run in the store, oldest day first. Never throws on bad content: it counts it. */
export function readHistory(historyDir: string, options: ReadHistoryOptions = {}): HistoryReadResult {
  const sinceDay = options.sinceMs === undefined ? '' : dayOf(options.sinceMs - DAY_MS);
  const runs: RunRecord[] = [];
  const files: string[] = [];
  let skippedRecords = 0;
  for (const file of listDayFiles(historyDir)) {
    if (file.day < sinceDay) continue; // a run is filed by its end day; one day of slack covers runs crossing midnight
    const text = readRegularFile(file.path);
    if (text === null) continue;
    files.push(file.path);
    const parsed = parseHistoryText(text);
    skippedRecords += parsed.skippedRecords;
    for (const run of parsed.runs) {
      if (run.selection !== undefined && !options.keepSelections) continue;
      if (options.sinceMs === undefined || run.startMs >= options.sinceMs) runs.push(run);
    }
  }
  runs.sort((a, b) => a.startMs - b.startMs);
  attachNestedRuns(runs); // nx counts a run started from inside another's task as part of it
  if (options.keepSuperseded) return { runs, skippedRecords, supersededTasks: 0, files };
  const current = withoutSupersededTasks(runs, readDecompositions(historyDir));
  return { runs: current.runs, skippedRecords, supersededTasks: current.superseded, files };
}

/** Parses JSONL text; blank lines are ignored, anything unparsable or off-schema is counted. */
export function parseHistoryText(text: string): { runs: RunRecord[]; skippedRecords: number } {
  const runs: RunRecord[] = [];
  let skippedRecords = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skippedRecords++;
      continue;
    }
    if (isRunRecord(value)) runs.push(value);
    else skippedRecords++;
  }
  return { runs, skippedRecords };
}
