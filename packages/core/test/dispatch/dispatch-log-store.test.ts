import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildReport,
  cachedTaskTime,
  dispatchDirectory,
  DEFAULT_OPTIONS,
  markdownRenderer,
  readDispatchRecords,
  RUN_RECORD_SCHEMA_VERSION,
  summarizeDispatch,
  textRenderer,
  jsonRenderer,
  writeDispatchRecord,
  type RunRecord,
  type TaskRecord,
} from '@sixty/core';
import { dispatchRecord } from './dispatch-fixtures';

let historyDir: string;
beforeEach(() => {
  historyDir = mkdtempSync(join(tmpdir(), 'sixty-dispatch-log-'));
});
afterEach(() => rmSync(historyDir, { recursive: true, force: true }));

describe('the dispatch run log', () => {
  it('writes one file per dispatch and reads them back oldest first, skipping what is not a record', () => {
    const late = dispatchRecord({ id: 'lib-b-test-222222', task: 'lib-b:test', finishedAt: '2026-11-25T12:00:00.000Z', outcome: 'failed' });
    const early = dispatchRecord();
    expect(writeDispatchRecord(historyDir, late)).toBe(join(dispatchDirectory(historyDir), 'lib-b-test-222222.json'));
    writeDispatchRecord(historyDir, early);
    writeFileSync(join(dispatchDirectory(historyDir), 'broken.json'), '{"schemaVersion": 1, "id": ');
    writeFileSync(join(dispatchDirectory(historyDir), 'other.json'), '{"schemaVersion": 2}');
    writeFileSync(join(dispatchDirectory(historyDir), 'lib-a-test-1a2b3c.agent.log'), 'agent output');
    expect(readDispatchRecords(historyDir)).toEqual({ records: [early, late], skipped: 2 });
    expect(readdirSync(dispatchDirectory(historyDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('is empty when nothing was dispatched', () => {
    expect(readDispatchRecords(join(historyDir, 'none'))).toEqual({ records: [], skipped: 0 });
  });
});

describe('sixty report with dispatches', () => {
  const history = {
    runs: [
      {
        schemaVersion: RUN_RECORD_SCHEMA_VERSION,
        id: 'r1',
        nxVersion: null,
        command: 'nx run-many -t test',
        startMs: 0,
        endMs: 5000,
        tasks: [{ id: 'lib-a:test', project: 'lib-a', target: 'test', status: 'success', cache: 'none', startMs: 0, endMs: 4500, durationMs: 4500, exitCode: 0 }],
      } satisfies RunRecord,
    ],
    skippedRecords: 0,
    supersededTasks: 0,
    files: [],
  };

  it('adds one line and a JSON field only when there are dispatches', () => {
    const plain = buildReport({ history, options: DEFAULT_OPTIONS });
    expect(plain).not.toHaveProperty('dispatches');
    expect(buildReport({ history, options: DEFAULT_OPTIONS, dispatches: [] })).not.toHaveProperty('dispatches');
    expect(JSON.parse(jsonRenderer.render(plain))).not.toHaveProperty('dispatches');

    const dispatches = [dispatchRecord({ outcome: 'failed', reason: 'lib-a:test failed', id: 'x-000000' }), dispatchRecord()].map(summarizeDispatch);
    const report = buildReport({ history, options: DEFAULT_OPTIONS, dispatches });
    const line = 'dispatches: 1 failed, 1 passed; latest lib-a:test passed (sixty/lib-a-test-1a2b3c): lib-a:test fits its budget (400ms <= 2.0s); the affected tasks pass';
    expect(textRenderer.render(report).split('\n')).toContain(line);
    expect(markdownRenderer.render(report).split('\n')).toContain(`- ${line}`);
    expect(JSON.parse(jsonRenderer.render(report)).dispatches).toEqual([
      { id: 'x-000000', task: 'lib-a:test', outcome: 'failed', branch: 'sixty/lib-a-test-1a2b3c', finishedAt: '2026-11-25T10:00:14.000Z', ms: 14_000, reason: 'lib-a:test failed' },
      { id: 'lib-a-test-1a2b3c', task: 'lib-a:test', outcome: 'passed', branch: 'sixty/lib-a-test-1a2b3c', finishedAt: '2026-11-25T10:00:14.000Z', ms: 14_000, reason: 'lib-a:test fits its budget (400ms <= 2.0s); the affected tasks pass' },
    ]);
  });
});

describe('cachedTaskTime', () => {
  const task = (durationMs: number, hash: string, cache: TaskRecord['cache'] = 'none', status: TaskRecord['status'] = cache === 'none' ? 'success' : 'local-cache'): TaskRecord => ({
    id: 'lib-a:test',
    project: 'lib-a',
    target: 'test',
    status,
    cache,
    startMs: 0,
    endMs: durationMs,
    durationMs,
    exitCode: status === 'failure' ? 1 : 0,
    hash,
  });
  const run = (endMs: number, tasks: TaskRecord[]): RunRecord => ({ schemaVersion: RUN_RECORD_SCHEMA_VERSION, id: `r${endMs}`, nxVersion: null, command: 'nx', startMs: 0, endMs, tasks });

  it('finds the executed run that produced the restored result', () => {
    const runs = [run(3, [task(9, 'h2', 'local')]), run(1, [task(4500, 'h1')]), run(2, [task(380, 'h2')]), run(2.5, [task(400, 'h2', 'none', 'failure')])];
    expect(cachedTaskTime(runs, 'lib-a:test')).toEqual({ hash: 'h2', ms: 380 });
  });

  it('says when the result was produced elsewhere, or never restored', () => {
    expect(cachedTaskTime([run(1, [task(4500, 'h1')]), run(2, [task(3, 'h9', 'remote')])], 'lib-a:test')).toEqual({ hash: 'h9', ms: null });
    expect(cachedTaskTime([run(1, [task(4500, 'h1')])], 'lib-a:test')).toBeNull();
  });
});
