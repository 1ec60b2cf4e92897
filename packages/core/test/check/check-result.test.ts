import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildCheckResult, renderCheckText, writeFailureLogs, type BuildCheckInput, type TaskRecord } from '@sixty/core';
import { runRecord, taskRecord } from '../run-fixtures';

let historyDir: string;
beforeEach(() => {
  historyDir = mkdtempSync(join(tmpdir(), 'sixty-check-result-'));
});
afterEach(() => rmSync(historyDir, { recursive: true, force: true }));

function checkInput(tasks: TaskRecord[], overrides: Partial<BuildCheckInput> = {}): BuildCheckInput {
  return {
    run: runRecord('run-1', 1_000, tasks),
    nxExitCode: tasks.some((t) => t.status === 'failure') ? 1 : 0,
    nxOutput: '',
    wallMs: 1_000,
    base: 'main',
    baseRef: 'main',
    baseSource: 'flag',
    head: null,
    changedFiles: 1,
    targets: ['build', 'test'],
    affectedProjects: [...new Set(tasks.map((t) => t.project))],
    affectedWithTargets: new Set(tasks.map((t) => t.project)).size,
    uncoveredFiles: [],
    strict: false,
    budgetMsFor: () => 60_000,
    p90ByTask: new Map(),
    readLog: (path) => readFileSync(path, 'utf8'),
    logPath: (relative) => join(historyDir, relative),
    ...overrides,
  };
}

describe('check excerpts from a run log', () => {
  it('shows each failed task its own lines and where they are', async () => {
    const locations = await writeFailureLogs(historyDir, 1_000, 'run-1', [
      { taskId: 'lib-a:test', output: 'lib-a ok so far\nError: lib-a broke here\n' },
      { taskId: 'lib-b:test', output: 'AssertionError: lib-b expected 1 to be 2\n' },
    ]);
    const tasks = ['lib-a:test', 'lib-b:test'].map((id) => {
      const task = taskRecord(id, 100, { status: 'failure' });
      task.logFile = locations.get(id)!.file;
      task.logLines = locations.get(id)!.lines;
      return task;
    });
    const result = buildCheckResult(checkInput(tasks));

    expect(result.failures.map((f) => f.task)).toEqual(['lib-a:test', 'lib-b:test']);
    expect(result.failures[0]!.excerpt).toContain('lib-a broke here');
    expect(result.failures[0]!.excerpt).not.toContain('lib-b');
    expect(result.failures[1]!.excerpt).toContain('lib-b expected 1 to be 2');
    expect(result.failures[1]!.excerpt).not.toContain('lib-a');
    expect(result.failures[1]!.logLines).toEqual([5, 5]);
    expect(renderCheckText(result)).toContain(`full log: ${join(historyDir, 'logs/00000000001000-run-1.log')} (lines 5-5)`);
  });

  it('reads a run log once however many of its tasks failed', async () => {
    const ids = Array.from({ length: 50 }, (_unused, k) => `lib-${k}:test`);
    const locations = await writeFailureLogs(historyDir, 1_000, 'run-1', ids.map((id) => ({ taskId: id, output: `Error: ${id} broke\n` })));
    const tasks = ids.map((id) => {
      const task = taskRecord(id, 100, { status: 'failure' });
      task.logFile = locations.get(id)!.file;
      task.logLines = locations.get(id)!.lines;
      return task;
    });
    const reads: string[] = [];
    const result = buildCheckResult(checkInput(tasks, { readLog: (path) => (reads.push(path), readFileSync(path, 'utf8')) }));

    expect(reads).toEqual([join(historyDir, 'logs/00000000001000-run-1.log')]);
    expect(result.failures.map((f) => f.excerpt)).toEqual(ids.map((id) => expect.stringContaining(`Error: ${id} broke`)));
    expect(result.failures[49]!.excerpt).not.toContain('lib-48');
  });
});

describe('over budget', () => {
  it('lists tasks measured over budget in this run before those known from history, each worst first', async () => {
    const tasks = [
      taskRecord('lib-b:build', 300),
      taskRecord('lib-b:test', 900),
      taskRecord('app-a:test', 5, { status: 'local-cache' }),
      taskRecord('app-b:test', 5, { status: 'local-cache' }),
    ];
    const p90ByTask = new Map([
      ['app-a:test', 20_000],
      ['app-b:test', 40],
    ]);
    const result = buildCheckResult(checkInput(tasks, { budgetMsFor: () => 100, p90ByTask, strict: true }));

    expect(result.overBudget.map((o) => [o.task, o.source])).toEqual([
      ['lib-b:test', 'run'],
      ['lib-b:build', 'run'],
      ['app-a:test', 'history'],
    ]);
    expect(result.ok).toBe(false);
    expect(renderCheckText(result)).toContain('over budget: lib-b:test took 900ms > 100ms  -> sixty plan lib-b:test');
  });
});

describe('check says truly why no task ran', () => {
  const noRun = { run: null, nxExitCode: 0 };
  it('nothing changed', () => {
    const result = buildCheckInputResult({ ...noRun, changedFiles: 0, affectedProjects: [], affectedWithTargets: 0 });
    expect(result.note).toBe('no file changed since main');
  });
  it('nx affected nothing because it ignores the changed spec', () => {
    const result = buildCheckInputResult({
      ...noRun,
      affectedProjects: [],
      affectedWithTargets: 0,
      uncoveredFiles: [{ file: 'libs/a/a.spec.ts', reason: 'nx-ignored' }],
    });
    expect(result.ok).toBe(true);
    expect(result.note).toBe('nx finds no affected project: 1 changed file ignored by nx (.nxignore/.gitignore)');
    const text = renderCheckText(result);
    expect(text).toContain('not checked: 1 changed file: libs/a/a.spec.ts (ignored by nx)');
    expect(text).not.toContain('is @sixty/nx registered');
    expect(text.split('\n')[0]).toMatch(/^sixty check: ok, but 1 changed file NOT CHECKED  0 tasks/);
  });
  it('with --strict, a changed file no task covered fails the check', () => {
    const result = buildCheckInputResult({
      ...noRun,
      strict: true,
      affectedProjects: [],
      affectedWithTargets: 0,
      uncoveredFiles: [{ file: 'tools/x.js', reason: 'no-project' }],
    });
    expect(result.ok).toBe(false);
    expect(renderCheckText(result).split('\n')[0]).toMatch(/^sixty check: NOT CHECKED/);
  });
  it('affected projects without the targets', () => {
    const result = buildCheckInputResult({ ...noRun, affectedProjects: ['docs'], affectedWithTargets: 0 });
    expect(result.note).toBe('none of the 1 affected project has a build / test target');
  });
});

function buildCheckInputResult(overrides: Partial<BuildCheckInput>) {
  return buildCheckResult(checkInput([], overrides));
}
