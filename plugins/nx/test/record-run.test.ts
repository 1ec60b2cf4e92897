import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { readHistory, type TaskResultLike } from '@sixty/core';
import type { PostTasksContext } from '../src/record-run';

const START = Date.parse('2026-03-10T10:00:00Z');

/** A fresh copy of the module, so its warn-once flag starts unset. */
async function freshRecordRun(): Promise<typeof import('../src/record-run').recordRun> {
  vi.resetModules();
  return (await import('../src/record-run')).recordRun;
}

function taskResults(count: number): Record<string, TaskResultLike> {
  const results: Record<string, TaskResultLike> = {};
  for (let i = 0; i < count; i++) {
    const id = `project-${i}:build`;
    results[id] = {
      task: { id, target: { project: `project-${i}`, target: 'build' }, hash: `h${i}`, startTime: START + i, endTime: START + i + 100 },
      status: i % 2 === 0 ? 'success' : 'local-cache',
      code: 0,
    };
  }
  return results;
}

let root: string;
let stderr: MockInstance<typeof process.stderr.write>;

const context = (results = taskResults(3)): PostTasksContext => ({
  id: 'invocation-1',
  workspaceRoot: root,
  argv: ['node', join(root, 'node_modules/.bin/nx'), 'run-many', '-t', 'build'],
  taskResults: results,
});
const stderrText = (): string => stderr.mock.calls.map((call) => String(call[0])).join('');
const runFiles = (historyDir: string): string[] => readdirSync(join(historyDir, 'runs'));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sixty-record-run-'));
  vi.stubEnv('SIXTY_BUDGET_SECONDS', undefined);
  vi.stubEnv('SIXTY_HISTORY_DIR', undefined);
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => {
  stderr.mockRestore();
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

describe('recordRun', () => {
  it('writes one line with every task under <workspaceRoot>/.sixty/runs/', async () => {
    const recordRun = await freshRecordRun();
    await recordRun({ budgetSeconds: 60 }, context());

    const historyDir = join(root, '.sixty');
    expect(runFiles(historyDir)).toEqual(['2026-03-10.jsonl']);
    const text = readFileSync(join(historyDir, 'runs', '2026-03-10.jsonl'), 'utf8');
    expect(text.split('\n')).toHaveLength(2); // one line plus the final newline
    const history = readHistory(historyDir);
    expect(history.skippedRecords).toBe(0);
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]).toMatchObject({
      id: 'invocation-1',
      command: 'nx run-many -t build',
      startMs: START,
      endMs: START + 102,
    });
    expect(history.runs[0]!.tasks.map((task) => [task.id, task.cache, task.durationMs])).toEqual([
      ['project-0:build', 'none', 100],
      ['project-1:build', 'local', 100],
      ['project-2:build', 'none', 100],
    ]);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('appends one line per invocation', async () => {
    const recordRun = await freshRecordRun();
    await recordRun(undefined, context());
    await recordRun(undefined, { ...context(), id: 'invocation-2' });
    expect(readHistory(join(root, '.sixty')).runs.map((run) => run.id)).toEqual(['invocation-1', 'invocation-2']);
  });

  it('still records with invalid options and warns on exactly one stderr line', async () => {
    const recordRun = await freshRecordRun();
    await recordRun({ budgetSeconds: 'abc' }, context());

    expect(readHistory(join(root, '.sixty')).runs).toHaveLength(1);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(stderrText()).toBe(
      '[sixty] invalid @sixty/nx options in nx.json: option budgetSeconds is "abc": expected a positive number of seconds; using 60\n',
    );
  });

  it('warns at most once per process', async () => {
    const recordRun = await freshRecordRun();
    await recordRun({ budgetSeconds: 'abc' }, context());
    await recordRun({ budgetSeconds: -1 }, context());
    await recordRun({ historyDir: join(root, 'nowhere', '\0bad') }, context());
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(readHistory(join(root, '.sixty')).runs).toHaveLength(2);
  });

  it('does not throw and warns when the history directory cannot be created', async () => {
    const recordRun = await freshRecordRun();
    writeFileSync(join(root, 'a-file'), 'not a directory');

    await expect(recordRun({ historyDir: 'a-file/history' }, context())).resolves.toBeUndefined();
    expect(stderr).toHaveBeenCalledTimes(1);
    const warning = stderrText();
    expect(warning).toMatch(/^\[sixty\] could not record this run's timings \(.*a-file is in the way: it is not a directory\)\. Your nx command is unaffected;/);
    expect(warning.endsWith('\n')).toBe(true);
    expect(warning.split('\n')).toHaveLength(2);
  });

  it('uses an absolute historyDir as it is, and SIXTY_HISTORY_DIR over nx.json', async () => {
    const recordRun = await freshRecordRun();
    const absolute = join(root, 'elsewhere');
    await recordRun({ historyDir: absolute }, context());
    expect(readHistory(absolute).runs).toHaveLength(1);

    vi.stubEnv('SIXTY_HISTORY_DIR', 'from-env');
    await recordRun({ historyDir: absolute }, context());
    expect(readHistory(join(root, 'from-env')).runs).toHaveLength(1);
    expect(readHistory(absolute).runs).toHaveLength(1);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('applies the retention options', async () => {
    const recordRun = await freshRecordRun();
    const runsDir = join(root, '.sixty', 'runs');
    mkdirSync(runsDir, { recursive: true });
    writeFileSync(join(runsDir, '2026-03-01.jsonl'), '');
    await recordRun({ historyMaxAgeDays: 5 }, context());
    expect(readdirSync(runsDir)).toEqual(['2026-03-10.jsonl']);
  });

  it('writes nothing for an invocation without tasks or without task results', async () => {
    const recordRun = await freshRecordRun();
    await recordRun({}, context({}));
    await recordRun({}, { workspaceRoot: root } as unknown as PostTasksContext);
    await recordRun({}, undefined as unknown as PostTasksContext);
    expect(readdirSync(root)).toEqual([]);
    expect(stderr).not.toHaveBeenCalled();
  });

  it('records all of 5,000 task results', async () => {
    const recordRun = await freshRecordRun();
    await recordRun({}, context(taskResults(5000)));
    const history = readHistory(join(root, '.sixty'));
    expect(history.skippedRecords).toBe(0);
    expect(history.runs).toHaveLength(1);
    expect(history.runs[0]!.tasks).toHaveLength(5000);
    expect(new Set(history.runs[0]!.tasks.map((task) => task.id)).size).toBe(5000);
  });
});

describe('postTasksExecution', () => {
  it('records the run through the plugin entry point', async () => {
    vi.resetModules();
    const plugin = await import('../src/index');
    await expect(plugin.postTasksExecution({}, context())).resolves.toBeUndefined();
    expect(readHistory(join(root, '.sixty')).runs).toHaveLength(1);
    expect(plugin.name).toBe('@sixty/nx');
  });

  it('records the nx version of the workspace when loaded as the built CommonJS bundle, as nx loads it', async () => {
    const built = resolve(__dirname, '../dist/index.js');
    expect(existsSync(built), `${built} is missing: run \`npm run build\` first`).toBe(true);
    mkdirSync(join(root, 'node_modules', 'nx'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'nx', 'package.json'), JSON.stringify({ name: 'nx', version: '99.1.0' }));
    const plugin = createRequire(__filename)(built) as typeof import('../src/index');
    await plugin.postTasksExecution({}, context());
    expect(readHistory(join(root, '.sixty')).runs.map((run) => run.nxVersion)).toEqual(['99.1.0']);
  });

  it('refuses a history dir under /proc at once, with one warning, never touching it', async () => {
    const recordRun = await freshRecordRun();
    await recordRun({ historyDir: '/proc/sixty-history' }, context());
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(stderrText()).toMatch(/^\[sixty\] could not record .*\/proc\/sixty-history\/runs is on the \/proc pseudo-filesystem/);
    expect(existsSync('/proc/sixty-history')).toBe(false);
  });

  it('refuses a FIFO named like the day file instead of waiting for a reader', async () => {
    const recordRun = await freshRecordRun();
    const runs = join(root, '.sixty', 'runs');
    mkdirSync(runs, { recursive: true });
    execFileSync('mkfifo', [join(runs, '2026-03-10.jsonl')]);
    await recordRun({}, context());
    expect(stderrText().match(/\[sixty\]/g)).toHaveLength(1);
    expect(stderrText()).toMatch(/could not record .*2026-03-10\.jsonl is not a regular file/);
  });

  it('goes on without the write when the file steps outlive the deadline, with one warning', async () => {
    vi.resetModules();
    vi.doMock('@sixty/core', async (importOriginal) => ({
      ...(await importOriginal<typeof import('@sixty/core')>()),
      appendRun: () => new Promise<string>(() => undefined), // a write that never returns, like a stalled mount
    }));
    try {
      const { recordRun } = await import('../src/record-run');
      await recordRun({}, context(), 50);
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(stderrText()).toMatch(/^\[sixty\] recording this run's timings in .* took longer than 50 ms, so sixty left it unrecorded\./);
    } finally {
      vi.doUnmock('@sixty/core');
    }
  });
});

describe('the end-of-run budget line', () => {
  const slow = (): Record<string, TaskResultLike> => ({
    'lib-c:test': { task: { id: 'lib-c:test', target: { project: 'lib-c', target: 'test' }, hash: 'h', startTime: START, endTime: START + 72_000 }, status: 'success', code: 0 },
    'lib-a:build': { task: { id: 'lib-a:build', target: { project: 'lib-a', target: 'build' }, hash: 'h2', startTime: START, endTime: START + 500 }, status: 'success', code: 0 },
  });

  it('prints two lines after a run whose executed task broke its budget, and appends them to the step summary', async () => {
    const summary = join(root, 'summary.md');
    vi.stubEnv('GITHUB_STEP_SUMMARY', summary);
    const recordRun = await freshRecordRun();
    await recordRun({}, context(slow()));
    expect(stderrText()).toBe('[sixty] over budget: lib-c:test took 1m 12s against its 1m 00s budget, its first recorded run\n[sixty] plan the fix: sixty plan lib-c:test\n');
    expect(readFileSync(summary, 'utf8')).toBe('\n**sixty** over budget: lib-c:test took 1m 12s against its 1m 00s budget, its first recorded run  \n**sixty** plan the fix: `sixty plan lib-c:test`\n');
  });

  it('warns once, naming the step summary, when GITHUB_STEP_SUMMARY is not a regular file; the run is recorded and the lines printed', async () => {
    vi.stubEnv('GITHUB_STEP_SUMMARY', root); // a directory
    const recordRun = await freshRecordRun();
    await recordRun({}, context(slow()));
    const lines = stderrText().split('\n');
    expect(lines[0]).toMatch(/^\[sixty\] over budget: lib-c:test/);
    expect(lines[2]).toMatch(/^\[sixty\] could not add the budget line to GITHUB_STEP_SUMMARY \(.+\)\. Your nx command is unaffected/);
    expect(readHistory(join(root, '.sixty')).runs).toHaveLength(1);
  });

  it('is silent with SIXTY_QUIET=1, with announce: false, and when nothing broke the budget', async () => {
    const recordRun = await freshRecordRun();
    vi.stubEnv('SIXTY_QUIET', '1');
    await recordRun({}, context(slow()));
    vi.stubEnv('SIXTY_QUIET', undefined);
    await recordRun({ announce: false }, { ...context(slow()), id: 'invocation-2' });
    await recordRun({}, { ...context(), id: 'invocation-3' });
    expect(stderrText()).toBe('');
    expect(readHistory(join(root, '.sixty')).runs).toHaveLength(3);
  });
});
