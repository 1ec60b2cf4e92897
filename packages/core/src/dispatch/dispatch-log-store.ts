import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDispatchRecord, type DispatchRecord } from './dispatch-record';

const DISPATCH_SUBDIR = 'dispatch';

/** <historyDir>/dispatch: one <id>.json per dispatch, with its agent log and patch beside it. */
export function dispatchDirectory(historyDir: string): string {
  return join(historyDir, DISPATCH_SUBDIR);
}

/** Writes the run log of one dispatch (whole file, then rename: a reader never sees half of it). */
export function writeDispatchRecord(historyDir: string, record: DispatchRecord): string {
  const dir = dispatchDirectory(historyDir);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.id}.json`);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(temporary, file);
  return file;
}

export interface DispatchReadResult {
  /** Oldest first (by finishedAt, then id). */
  records: DispatchRecord[];
  /** Files that could not be read or are not dispatch records. */
  skipped: number;
}

/** Every dispatch run log; unreadable files are counted, never fatal. */
export function readDispatchRecords(historyDir: string): DispatchReadResult {
  let names: string[];
  try {
    names = readdirSync(dispatchDirectory(historyDir)).filter((name) => name.endsWith('.json'));
  } catch {
    return { records: [], skipped: 0 };
  }
  const records: DispatchRecord[] = [];
  let skipped = 0;
  for (const name of names) {
    try {
      const value: unknown = JSON.parse(readFileSync(join(dispatchDirectory(historyDir), name), 'utf8'));
      if (isDispatchRecord(value)) records.push(value);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  records.sort((a, b) => a.finishedAt.localeCompare(b.finishedAt) || a.id.localeCompare(b.id));
  return { records, skipped };
}
