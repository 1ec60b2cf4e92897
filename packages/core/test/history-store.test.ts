import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRun, DEFAULT_RETENTION, parseHistoryText, pruneHistory, readHistory, runsDirectory } from '@sixty/core';
import { runRecord, taskRecord } from './run-fixtures';

const DAY_MS = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

let historyDir: string;
beforeEach(() => {
  historyDir = mkdtempSync(join(tmpdir(), 'sixty-history-'));
});
afterEach(() => {
  rmSync(historyDir, { recursive: true, force: true });
});

function writeDayFile(day: string, content: string): string {
  mkdirSync(runsDirectory(historyDir), { recursive: true });
  const path = join(runsDirectory(historyDir), `${day}.jsonl`);
  writeFileSync(path, content);
  return path;
}

const runFiles = (): string[] => readdirSync(runsDirectory(historyDir)).sort();

describe('appendRun / readHistory', () => {
  it('round-trips runs through one JSONL file per end day, oldest start first', async () => {
    const late = runRecord('late', at('2026-03-10T15:00:00Z'), [taskRecord('app:build', 1200)]);
    const early = runRecord('early', at('2026-03-10T09:00:00Z'), [
      taskRecord('app:test:ci', 800, { status: 'failure' }),
      taskRecord('lib:build', 5, { status: 'local-cache' }),
    ]);

    const file1 = await appendRun(historyDir, late);
    const file2 = await appendRun(historyDir, early);

    const expectedFile = join(historyDir, 'runs', '2026-03-10.jsonl');
    expect(file1).toBe(expectedFile);
    expect(file2).toBe(expectedFile);
    expect(readFileSync(expectedFile, 'utf8')).toBe(`${JSON.stringify(late)}\n${JSON.stringify(early)}\n`);
    expect(readHistory(historyDir)).toEqual({ runs: [early, late], skippedRecords: 0, supersededTasks: 0, files: [expectedFile] });
  });

  it('files a run by the day it ended and lists day files oldest first', async () => {
    const crossesMidnight = runRecord('night', at('2026-03-09T23:59:00Z'), [], 2 * 60_000);
    const previousDay = runRecord('day-before', at('2026-03-08T10:00:00Z'));
    await appendRun(historyDir, crossesMidnight);
    await appendRun(historyDir, previousDay);

    expect(runFiles()).toEqual(['2026-03-08.jsonl', '2026-03-10.jsonl']);
    const history = readHistory(historyDir);
    expect(history.files).toEqual([
      join(historyDir, 'runs', '2026-03-08.jsonl'),
      join(historyDir, 'runs', '2026-03-10.jsonl'),
    ]);
    expect(history.runs.map((run) => run.id)).toEqual(['day-before', 'night']);
  });

  it('reads an empty result when the history directory does not exist', async () => {
    expect(readHistory(join(historyDir, 'missing'))).toEqual({ runs: [], skippedRecords: 0, supersededTasks: 0, files: [] });
  });

  it('ignores files in the runs directory that are not day files', async () => {
    const run = runRecord('kept', at('2026-03-10T10:00:00Z'));
    await appendRun(historyDir, run);
    writeFileSync(join(runsDirectory(historyDir), 'notes.txt'), 'garbage\n');
    writeFileSync(join(runsDirectory(historyDir), '2026-03-11.jsonl.tmp'), 'garbage\n');

    const history = readHistory(historyDir);
    expect(history.runs).toEqual([run]);
    expect(history.skippedRecords).toBe(0);
    expect(history.files).toHaveLength(1);
  });
});

describe('corrupt history', () => {
  it('counts a garbage line and a truncated last line, and still returns the valid runs', async () => {
    const first = runRecord('first', at('2026-03-10T08:00:00Z'), [taskRecord('app:build', 100)]);
    const second = runRecord('second', at('2026-03-10T09:00:00Z'), [taskRecord('app:build', 200)]);
    const truncated = JSON.stringify(runRecord('cut', at('2026-03-10T10:00:00Z'))).slice(0, 40);
    writeDayFile(
      '2026-03-10',
      `${JSON.stringify(first)}\nthis is not json {\n\n${JSON.stringify(second)}\n${truncated}`,
    );

    const history = readHistory(historyDir);
    expect(history.runs).toEqual([first, second]);
    expect(history.skippedRecords).toBe(2);
  });

  it('sums skipped records over every day file', async () => {
    writeDayFile('2026-03-09', 'garbage\n');
    writeDayFile('2026-03-10', `${JSON.stringify(runRecord('ok', at('2026-03-10T08:00:00Z')))}\n{"half":\n`);
    const history = readHistory(historyDir);
    expect(history.runs.map((run) => run.id)).toEqual(['ok']);
    expect(history.skippedRecords).toBe(2);
  });

  it('skips off-schema records: another schema version, missing fields, bad tasks, non-objects', async () => {
    const valid = runRecord('valid', at('2026-03-10T08:00:00Z'), [taskRecord('app:build', 10)]);
    const { id: _id, ...withoutId } = valid;
    const { tasks: _tasks, ...withoutTasks } = valid;
    const offSchema = [
      { ...valid, schemaVersion: 2 },
      withoutId,
      withoutTasks,
      { ...valid, startMs: 'yesterday' },
      { ...valid, tasks: [{ ...valid.tasks[0], status: 'exploded' }] },
      { ...valid, tasks: [{ ...valid.tasks[0], cache: 'disk' }] },
      { ...valid, tasks: [{ ...valid.tasks[0], durationMs: -1 }] },
      42,
      null,
      [valid],
    ];
    const text = [valid, ...offSchema].map((value) => JSON.stringify(value)).join('\n') + '\n';
    writeDayFile('2026-03-10', text);

    expect(parseHistoryText(text)).toEqual({ runs: [valid], skippedRecords: offSchema.length });
    const history = readHistory(historyDir);
    expect(history.runs).toEqual([valid]);
    expect(history.skippedRecords).toBe(10);
  });

  it('does not lose a run appended after a truncated last line', async () => {
    const before = runRecord('before', at('2026-03-10T08:00:00Z'));
    writeDayFile('2026-03-10', `${JSON.stringify(before)}\n{"schemaVersion":1,"id":"cut-off-mid-wr`);
    const after = runRecord('after', at('2026-03-10T09:00:00Z'));
    await appendRun(historyDir, after);

    const history = readHistory(historyDir);
    expect(history.runs).toEqual([before, after]);
    expect(history.skippedRecords).toBe(1);
  });

  it('treats blank and CRLF-terminated lines as what they are', async () => {
    const run = runRecord('crlf', at('2026-03-10T08:00:00Z'));
    expect(parseHistoryText(`\n   \n${JSON.stringify(run)}\r\n\r\n`)).toEqual({ runs: [run], skippedRecords: 0 });
  });
});

describe('files that are not regular files', () => {
  it('reads past a FIFO named like a day file instead of waiting for a writer, and leaves it to the pruner', async () => {
    await appendRun(historyDir, runRecord('kept', at('2026-03-10T08:00:00Z')));
    const fifo = join(runsDirectory(historyDir), '2026-03-09.jsonl');
    execFileSync('mkfifo', [fifo]);
    const history = readHistory(historyDir);
    expect(history.runs.map((run) => run.id)).toEqual(['kept']);
    expect(history.files).toEqual([join(runsDirectory(historyDir), '2026-03-10.jsonl')]);
    expect(await pruneHistory(historyDir, { maxAgeDays: 1, maxBytes: 1 }, at('2026-03-20T00:00:00Z'))).toEqual([]);
    expect(existsSync(fifo)).toBe(true);
  });

  it('refuses to append to a FIFO named like the day file, without waiting', async () => {
    mkdirSync(runsDirectory(historyDir), { recursive: true });
    execFileSync('mkfifo', [join(runsDirectory(historyDir), '2026-03-10.jsonl')]);
    await expect(appendRun(historyDir, runRecord('r', at('2026-03-10T08:00:00Z')))).rejects.toThrow(/2026-03-10\.jsonl is not a regular file/);
  });

  it('refuses a history dir under /proc before touching it, and names a file in the way', async () => {
    await expect(appendRun('/proc/sixty-history', runRecord('r', at('2026-03-10T08:00:00Z')))).rejects.toThrow(/\/proc pseudo-filesystem/);
    writeFileSync(join(historyDir, 'in-the-way'), 'x');
    await expect(appendRun(join(historyDir, 'in-the-way', 'h'), runRecord('r', at('2026-03-10T08:00:00Z')))).rejects.toThrow(/in-the-way is in the way: it is not a directory/);
  });
});

describe('readHistory sinceMs', () => {
  it('returns only runs that started at or after sinceMs, reading only the day files that can hold them', async () => {
    const runs = [
      runRecord('mar01', at('2026-03-01T12:00:00Z')),
      runRecord('mar05', at('2026-03-05T12:00:00Z')),
      runRecord('mar09-early', at('2026-03-09T11:59:59Z')),
      runRecord('mar09-exact', at('2026-03-09T12:00:00Z')),
      runRecord('mar10', at('2026-03-10T00:30:00Z')),
    ];
    for (const run of runs) await appendRun(historyDir, run);

    const history = readHistory(historyDir, { sinceMs: at('2026-03-09T12:00:00Z') });
    expect(history.runs.map((run) => run.id)).toEqual(['mar09-exact', 'mar10']);
    expect(history.files).toEqual([
      join(historyDir, 'runs', '2026-03-09.jsonl'),
      join(historyDir, 'runs', '2026-03-10.jsonl'),
    ]);
  });

  it('keeps a run that started after sinceMs but ended on the next day', async () => {
    const run = runRecord('night', at('2026-03-09T23:50:00Z'), [], 20 * 60_000);
    await appendRun(historyDir, run);
    expect(readHistory(historyDir, { sinceMs: at('2026-03-09T23:00:00Z') }).runs).toEqual([run]);
    expect(readHistory(historyDir, { sinceMs: at('2026-03-09T23:55:00Z') }).runs).toEqual([]);
  });

  it('does not count corrupt lines in day files that are too old to read', async () => {
    writeDayFile('2026-03-01', 'garbage\n');
    await appendRun(historyDir, runRecord('new', at('2026-03-10T08:00:00Z')));
    const history = readHistory(historyDir, { sinceMs: at('2026-03-10T00:00:00Z') });
    expect(history.runs.map((run) => run.id)).toEqual(['new']);
    expect(history.skippedRecords).toBe(0);
  });
});

describe('pruneHistory', () => {
  const now = at('2026-03-10T12:00:00Z');
  const line = 'x'.repeat(99) + '\n'; // 100 bytes per day file

  it('deletes day files older than maxAgeDays and keeps the one exactly at the limit', async () => {
    const old = writeDayFile('2026-01-01', line);
    const dayBeforeLimit = writeDayFile('2026-02-07', line);
    writeDayFile('2026-02-08', line); // now - 30 days
    writeDayFile('2026-03-10', line);

    const deleted = await pruneHistory(historyDir, { maxAgeDays: 30, maxBytes: 1_000_000 }, now);
    expect(deleted).toEqual([old, dayBeforeLimit]);
    expect(runFiles()).toEqual(['2026-02-08.jsonl', '2026-03-10.jsonl']);
  });

  it('then deletes the oldest files while the total is over maxBytes', async () => {
    const oldest = writeDayFile('2026-03-07', line);
    const second = writeDayFile('2026-03-08', line);
    writeDayFile('2026-03-09', line);
    writeDayFile('2026-03-10', line);

    // 400 bytes -> 300 -> 200: two files go
    expect(await pruneHistory(historyDir, { maxAgeDays: 30, maxBytes: 250 }, now)).toEqual([oldest, second]);
    expect(runFiles()).toEqual(['2026-03-09.jsonl', '2026-03-10.jsonl']);
    // exactly at the limit: nothing more goes
    expect(await pruneHistory(historyDir, { maxAgeDays: 30, maxBytes: 200 }, now)).toEqual([]);
  });

  it('applies the age limit before the size limit', async () => {
    const old = writeDayFile('2025-12-01', 'x'.repeat(999) + '\n');
    writeDayFile('2026-03-09', line);
    writeDayFile('2026-03-10', line);
    // without the old file the total (200) is within 300 bytes
    expect(await pruneHistory(historyDir, { maxAgeDays: 30, maxBytes: 300 }, now)).toEqual([old]);
    expect(runFiles()).toEqual(['2026-03-09.jsonl', '2026-03-10.jsonl']);
  });

  it('never deletes the newest file, however old or large', async () => {
    const older = writeDayFile('2025-01-01', line);
    writeDayFile('2025-01-02', 'x'.repeat(5000));
    expect(await pruneHistory(historyDir, { maxAgeDays: 1, maxBytes: 1 }, now)).toEqual([older]);
    expect(runFiles()).toEqual(['2025-01-02.jsonl']);
    expect(await pruneHistory(historyDir, { maxAgeDays: 1, maxBytes: 1 }, now)).toEqual([]);
    expect(runFiles()).toEqual(['2025-01-02.jsonl']);
  });

  it('leaves files that are not day files alone and copes with a missing directory', async () => {
    writeDayFile('2020-01-01', line);
    writeDayFile('2026-03-10', line);
    writeFileSync(join(runsDirectory(historyDir), 'README'), 'keep me');
    await pruneHistory(historyDir, { maxAgeDays: 1, maxBytes: 1 }, now);
    expect(runFiles()).toEqual(['2026-03-10.jsonl', 'README']);
    expect(await pruneHistory(join(historyDir, 'missing'), DEFAULT_RETENTION, now)).toEqual([]);
  });

  it('runs on every append, measured from the appended run', async () => {
    writeDayFile('2026-02-01', line);
    writeDayFile('2026-03-01', line);
    await appendRun(historyDir, runRecord('now', at('2026-03-10T08:00:00Z')), { maxAgeDays: 14, maxBytes: 1_000_000 });
    expect(runFiles()).toEqual(['2026-03-01.jsonl', '2026-03-10.jsonl']);
  });
});

describe('concurrent writers', () => {
  const builtCore = resolve(__dirname, '../dist/index.js');
  const WRITERS = 8;
  const RUNS_PER_WRITER = 50;
  const TASKS_PER_RUN = 200;

  it(
    `loses and interleaves no line when ${WRITERS} processes append at once`,
    async () => {
      expect(existsSync(builtCore), `${builtCore} is missing: run \`npm run build\` first`).toBe(true);
      const script = join(historyDir, 'writer.cjs');
      writeFileSync(
        script,
        `const { appendRun } = require(${JSON.stringify(builtCore)});
const [historyDir, writer] = process.argv.slice(2);
const day = Date.parse('2026-03-10T10:00:00Z');
(async () => {
for (let i = 0; i < ${RUNS_PER_WRITER}; i++) {
  const tasks = [];
  for (let t = 0; t < ${TASKS_PER_RUN}; t++) {
    const startMs = day + t;
    tasks.push({ id: 'project-' + t + ':build', project: 'project-' + t, target: 'build', hash: String(t).repeat(20),
      status: 'success', cache: 'none', startMs, endMs: startMs + 100, durationMs: 100, exitCode: 0 });
  }
  await appendRun(historyDir, { schemaVersion: 1, id: writer + '-' + i, nxVersion: null, command: 'nx run-many -t build',
    startMs: day + i, endMs: day + i + 1000, tasks });
}
})();
`,
      );
      const store = join(historyDir, 'store');
      const exits = await Promise.all(
        Array.from({ length: WRITERS }, (_, writer) =>
          new Promise<{ code: number | null; stderr: string }>((done, fail) => {
            const child = spawn(process.execPath, [script, store, `w${writer}`], { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
            child.on('error', fail);
            child.on('close', (code) => done({ code, stderr }));
          }),
        ),
      );
      expect(exits).toEqual(Array.from({ length: WRITERS }, () => ({ code: 0, stderr: '' })));

      const history = readHistory(store);
      expect(history.skippedRecords).toBe(0);
      expect(history.runs).toHaveLength(WRITERS * RUNS_PER_WRITER);
      expect(new Set(history.runs.map((run) => run.id)).size).toBe(WRITERS * RUNS_PER_WRITER);
      expect(history.runs.every((run) => run.tasks.length === TASKS_PER_RUN)).toBe(true);
    },
    60_000,
  );
});
