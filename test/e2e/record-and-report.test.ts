import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, nx, nxAsync, reportJson, sixty, type SynthWorkspace } from './workspace';

function historyLines(root: string): string[] {
  const dir = join(root, '.sixty', 'runs');
  return readdirSync(dir).flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean));
}

describe('recording with the plugin and `sixty report` (20 projects)', () => {
  let ws: SynthWorkspace;
  beforeAll(() => {
    ws = createWorkspace({ projects: 20, files: 3, seed: 3, durations: ['lib-c:test=6'] });
  });
  afterAll(() => ws.remove());

  it('records every task of run-many, and the second run as cache hits', () => {
    const first = nx(ws.root, ['run-many', '-t', 'build', 'test']);
    expect(first.code, first.stderr).toBe(0);
    const second = nx(ws.root, ['run-many', '-t', 'build', 'test']);
    expect(second.code).toBe(0);

    const report = reportJson(ws.root);
    expect(report.schemaVersion).toBe(1);
    expect(report.invocations).toBe(2);
    expect(report.skippedRecords).toBe(0);
    expect(report.targets).toHaveLength(40);
    for (const target of report.targets) {
      expect(target.executions, target.task).toBe(1);
      expect(target.cacheHits, target.task).toBe(1);
      expect(target.p90Ms).toBeGreaterThan(0);
    }
    const slow = report.targets.find((t) => t.task === 'lib-c:test')!;
    expect(slow.p90Ms).toBeGreaterThanOrEqual(6000);
  });

  it('marks exactly the targets slower than a small --budget as over budget, the slow test among them, first in the list', () => {
    // a budget 1 s under the slow test's own p90: it is over whatever the machine's load, and which other
    // targets are over too is read from their measured p90s, not assumed (a fixed 4.5 s let load flip it)
    const measured = reportJson(ws.root);
    const slowP90 = measured.targets.find((t) => t.task === 'lib-c:test')!.p90Ms;
    const budget = String(Math.max(1, Math.floor(slowP90 / 1000) - 1));
    const expectedOver = measured.targets.filter((t) => t.p90Ms > Number(budget) * 1000).map((t) => t.task).sort();
    expect(expectedOver).toContain('lib-c:test');

    const report = reportJson(ws.root, ['--budget', budget]);
    expect(report.budgetMs).toBe(Number(budget) * 1000);
    expect(report.targets.filter((t) => t.overBudget).map((t) => t.task).sort()).toEqual(expectedOver);
    expect(report.targets[0]!.overBudget).toBe(true);

    const text = sixty(ws.root, ['report', '--budget', budget]);
    expect(text.code).toBe(0);
    const rows = text.stdout.split('\n').filter((line) => /^\S+:\S+\s/.test(line));
    expect(rows[0]).toMatch(/^\S+ .*OVER/);
    expect(text.stdout).toMatch(/next: sixty plan \S+:test|next: sixty plan \S+:build/);

    const markdown = sixty(ws.root, ['report', '--format', 'markdown', '--budget', budget]);
    const markdownRows = markdown.stdout.split('\n').filter((line) => line.startsWith('| `'));
    expect(markdownRows.filter((line) => line.includes(':red_circle:'))).toHaveLength(expectedOver.length);
  });

  it('records a failing run too, and nx keeps its own exit code', () => {
    const failing = createWorkspace({ projects: 3, files: 2, seed: 5, fail: ['lib-b:test'] });
    try {
      const result = nx(failing.root, ['run-many', '-t', 'test']);
      expect(result.code).toBe(1);
      const report = reportJson(failing.root);
      const target = report.targets.find((t) => t.task === 'lib-b:test')!;
      // one executed run, failed: a timing sample, or an early failure when it failed in under 1 s (never succeeded)
      expect((target as { failures?: number }).failures).toBe(1);
      expect(target.executions + (target as { earlyFailures?: number }).earlyFailures!).toBe(1);
      const run = JSON.parse(historyLines(failing.root)[0]!) as { tasks: Array<{ id: string; status: string; exitCode: number }> };
      expect(run.tasks.find((t) => t.id === 'lib-b:test')).toMatchObject({ status: 'failure', exitCode: 1 });
    } finally {
      failing.remove();
    }
  });

  it('skips and counts a garbage line and a truncated last line', () => {
    const dir = join(ws.root, '.sixty', 'runs');
    const file = join(dir, readdirSync(dir)[0]!);
    const valid = readFileSync(file, 'utf8');
    const lastLine = valid.trimEnd().split('\n').at(-1)!;
    appendFileSync(file, 'this is not json\n' + lastLine.slice(0, Math.floor(lastLine.length / 2)));
    const report = reportJson(ws.root);
    expect(report.skippedRecords).toBe(2);
    expect(report.invocations).toBe(2);
    const text = sixty(ws.root, ['report']);
    expect(text.stdout.match(/skipped 2 corrupt/g)).toHaveLength(1);
    writeFileSync(file, valid);
  });
});

describe('many nx processes finishing at once', () => {
  it('keeps every record of 8 parallel `nx run` processes, none corrupt', async () => {
    const ws = createWorkspace({ projects: 8, files: 2, seed: 11 });
    try {
      nx(ws.root, ['show', 'projects']); // compute the project graph once so the 8 runs start together
      const results = await Promise.all(ws.projects.map((p) => nxAsync(ws.root, ['run', `${p.name}:test`])));
      for (const result of results) expect(result.code, result.stderr).toBe(0);
      const lines = historyLines(ws.root);
      expect(lines).toHaveLength(8);
      const report = reportJson(ws.root);
      expect(report.skippedRecords).toBe(0);
      expect(report.invocations).toBe(8);
      expect(report.targets.map((t) => t.task).sort()).toEqual(ws.projects.map((p) => `${p.name}:test`).sort());
    } finally {
      ws.remove();
    }
  });
});

describe('a plugin that cannot do its job never fails nx', () => {
  function setPluginOptions(root: string, options: Record<string, unknown>): void {
    const nxJsonPath = join(root, 'nx.json');
    const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8'));
    nxJson.plugins = [{ plugin: '@sixty/nx', options }];
    writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
  }

  it('warns once when the history dir is unwritable, and nx still succeeds', () => {
    const ws = createWorkspace({ projects: 3, files: 2, seed: 2, git: false });
    try {
      writeFileSync(join(ws.root, 'not-a-dir'), 'a file where the history dir should be');
      setPluginOptions(ws.root, { historyDir: 'not-a-dir/history' });
      const result = nx(ws.root, ['run-many', '-t', 'build']);
      expect(result.code).toBe(0);
      const output = result.stdout + result.stderr;
      expect(output.match(/\[sixty\]/g)).toHaveLength(1);
      expect(output).toContain('could not record');
      expect(output).toContain('historyDir');
    } finally {
      ws.remove();
    }
  });

  it('keeps nx\'s exit code and wall time when the history dir is under /proc, a FIFO or behind a file', () => {
    const ws = createWorkspace({ projects: 3, files: 2, seed: 6, git: false, fail: ['lib-b:test'] });
    try {
      const timedRun = (env: Record<string, string> = {}): { code: number; ms: number; output: string } => {
        const started = Date.now();
        const result = nx(ws.root, ['run', 'lib-b:test', '--skip-nx-cache'], env);
        return { code: result.code, ms: Date.now() - started, output: result.stdout + result.stderr };
      };
      const healthy = timedRun();
      expect(healthy.code).toBe(1); // lib-b:test fails on purpose: nx's own exit code is what must survive
      expect(healthy.output).not.toContain('[sixty]');

      const runs = join(ws.root, 'fifo-history', 'runs');
      mkdirSync(runs, { recursive: true });
      const today = new Date().toISOString().slice(0, 10);
      execFileSync('mkfifo', [join(runs, `${today}.jsonl`)]);
      writeFileSync(join(ws.root, 'in-the-way'), 'a file where a directory should be');
      const faults = { proc: '/proc/sixty-history', fifo: join(ws.root, 'fifo-history'), file: join(ws.root, 'in-the-way', 'history') };
      for (const [fault, historyDir] of Object.entries(faults)) {
        const faulted = timedRun({ SIXTY_HISTORY_DIR: historyDir });
        expect(faulted.code, fault).toBe(1);
        expect(faulted.output.match(/\[sixty\]/g), fault).toHaveLength(1);
        expect(faulted.output, fault).toContain('Your nx command is unaffected');
        // the probe's hang lasted 10 minutes; a factor of 3 plus 5 s no load can reach separates the two
        expect(faulted.ms, fault).toBeLessThan(3 * healthy.ms + 5000);
      }
    } finally {
      ws.remove();
    }
  });

  it('warns once about invalid options, still records with the defaults', () => {
    const ws = createWorkspace({ projects: 3, files: 2, seed: 2, git: false });
    try {
      setPluginOptions(ws.root, { budgetSeconds: 'soon', budgets: 'fast' });
      const result = nx(ws.root, ['run-many', '-t', 'build']);
      expect(result.code).toBe(0);
      const output = result.stdout + result.stderr;
      expect(output.match(/\[sixty\]/g)).toHaveLength(1);
      expect(output).toContain('budgetSeconds');
      expect(historyLines(ws.root)).toHaveLength(1);
    } finally {
      ws.remove();
    }
  });

  it('records with the nx daemon on', () => {
    const ws = createWorkspace({ projects: 3, files: 2, seed: 4 });
    const daemon = { NX_DAEMON: 'true' };
    try {
      const result = nx(ws.root, ['run-many', '-t', 'build'], daemon);
      expect(result.code, result.stderr).toBe(0);
      const affected = nx(ws.root, ['affected', '-t', 'test', '--files', 'libs/lib-a/src/mod-1.js'], daemon);
      expect(affected.code, affected.stderr).toBe(0);
      const report = reportJson(ws.root);
      expect(report.invocations).toBe(2);
      expect(report.targets.some((t) => t.task === 'lib-a:test')).toBe(true);
    } finally {
      nx(ws.root, ['daemon', '--stop'], daemon);
      ws.remove();
    }
  });
});

describe('sixty report outside a workspace and with no history', () => {
  it('exits 2 outside an Nx workspace and 0 with a hint when nothing is recorded', () => {
    const ws = createWorkspace({ projects: 2, files: 1, seed: 1, git: false });
    try {
      const empty = sixty(ws.root, ['report']);
      expect(empty.code).toBe(0);
      expect(empty.stdout).toContain('No runs recorded yet');
      const outside = sixty(join(ws.root, '..'), ['report']);
      expect(outside.code).toBe(2);
      expect(outside.stderr).toContain('not inside an Nx workspace');
      expect(outside.stderr).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      ws.remove();
    }
  });
});
