import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendRun, RUN_RECORD_SCHEMA_VERSION, type RunRecord, type TaskRecord } from '@sixty/core';
import { main } from '../src/main';
import type { Output } from '../src/output';

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function sixty(...argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const output: Output = { out: (text) => out.push(text), err: (text) => err.push(text) };
  const code = await main(argv, output);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function task(id: string, durationMs: number, endMs: number, cache: TaskRecord['cache'] = 'none'): TaskRecord {
  const [project, target] = id.split(':') as [string, string];
  const status = cache === 'none' ? 'success' : cache === 'local' ? 'local-cache' : 'remote-cache';
  return { id, project, target, status, cache, startMs: endMs - durationMs, endMs, durationMs, exitCode: 0 };
}

function run(id: string, endMs: number, tasks: TaskRecord[]): RunRecord {
  return { schemaVersion: RUN_RECORD_SCHEMA_VERSION, id, nxVersion: null, command: 'nx run-many -t build test', startMs: endMs - 100_000, endMs, tasks };
}

let temp: string;
let workspace: string;

beforeEach(() => {
  temp = mkdtempSync(join(tmpdir(), 'sixty-cli-'));
  workspace = join(temp, 'workspace');
  mkdirSync(join(workspace, 'apps', 'web'), { recursive: true });
  writeFileSync(join(workspace, 'nx.json'), '{\n  "$schema": "./node_modules/nx/schemas/nx-schema.json"\n}\n');
  vi.stubEnv('SIXTY_BUDGET_SECONDS', undefined);
  vi.stubEnv('SIXTY_HISTORY_DIR', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(temp, { recursive: true, force: true });
});

const read = (file: string): string => readFileSync(join(workspace, file), 'utf8');
const writeNxJson = (value: unknown): void => writeFileSync(join(workspace, 'nx.json'), JSON.stringify(value, null, 2));

/** Two recent runs: app:test executed 90s and 70s (over the 60s default), lib:build 2s then a cache hit. */
async function writeHistory(historyDir = join(workspace, '.sixty')): Promise<void> {
  const now = Date.now();
  await appendRun(historyDir, run('r1', now - 2 * 3_600_000, [task('app:test', 90_000, now - 2 * 3_600_000), task('lib:build', 2000, now - 2 * 3_600_000)]));
  await appendRun(historyDir, run('r2', now - 3_600_000, [task('app:test', 70_000, now - 3_600_000), task('lib:build', 5, now - 3_600_000, 'local')]));
}

describe('sixty init', () => {
  it('registers the plugin and ignores .sixty/, then says it is already registered', async () => {
    const first = await sixty('init', '--cwd', workspace);
    expect(first).toEqual({
      code: 0,
      out: 'updated nx.json\nupdated .gitignore\nnext: run any target (e.g. `nx run-many -t build test`), then `sixty report`',
      err: '',
    });
    expect(JSON.parse(read('nx.json'))).toEqual({
      $schema: './node_modules/nx/schemas/nx-schema.json',
      plugins: [{ plugin: '@sixty/nx', options: { budgetSeconds: 60 } }],
    });
    expect(read('.gitignore')).toBe('.sixty/\n');

    const nxJson = read('nx.json');
    const second = await sixty('init', '--cwd', workspace);
    expect(second).toEqual({ code: 0, out: '@sixty/nx is already registered in nx.json', err: '' });
    expect(read('nx.json')).toBe(nxJson);
    expect(read('.gitignore')).toBe('.sixty/\n');
  });

  it('finds the workspace root from a subdirectory and passes --budget and --history-dir', async () => {
    const result = await sixty('init', '--cwd', join(workspace, 'apps', 'web'), '--budget', '90', '--history-dir', 'tmp/sixty');
    expect(result.code).toBe(0);
    expect(JSON.parse(read('nx.json')).plugins).toEqual([{ plugin: '@sixty/nx', options: { budgetSeconds: 90, historyDir: 'tmp/sixty' } }]);
    expect(read('.gitignore')).toBe('tmp/sixty/\n');
  });

  it('only says what it would change with --dry-run', async () => {
    const before = read('nx.json');
    const result = await sixty('init', '--cwd', workspace, '--dry-run');
    expect(result).toEqual({ code: 0, out: 'would update nx.json\nwould update .gitignore', err: '' });
    expect(read('nx.json')).toBe(before);
    expect(() => read('.gitignore')).toThrow(/ENOENT/);
  });

  it('exits 2 outside a workspace', async () => {
    const result = await sixty('init', '--cwd', temp);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^sixty: no nx\.json in .* or above: not an Nx workspace\n {2}fix: /);
  });

  it('exits 2 with a message naming the file when nx.json is not valid JSON', async () => {
    writeFileSync(join(workspace, 'nx.json'), '{ "plugins": [');
    const result = await sixty('init', '--cwd', workspace);
    expect(result.code).toBe(2);
    expect(result.err).toBe('sixty: nx.json is not a valid JSON object\n  fix: fix the syntax of nx.json, then run the command again');
  });
});

describe('sixty report', () => {
  it('exits 0 with the hint to run sixty init when nothing is recorded', async () => {
    const result = await sixty('report', '--cwd', workspace);
    expect(result.code).toBe(0);
    expect(result.out).toContain('No runs recorded yet in .sixty/.');
    expect(result.out).toContain('`sixty init`');
    expect(result.err).toBe('hint: @sixty/nx is not registered in nx.json; run `sixty init` so nx records its runs');
  });

  it('does not repeat the registration hint once the plugin is registered', async () => {
    await sixty('init', '--cwd', workspace);
    const result = await sixty('report', '--cwd', workspace);
    expect(result.code).toBe(0);
    expect(result.out).toContain('`sixty init`');
    expect(result.err).toBe('');
  });

  it('prints the report as JSON with --json', async () => {
    await writeHistory();
    const result = await sixty('report', '--json', '--no-graph', '--cwd', workspace);
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    const report = JSON.parse(result.out) as Record<string, unknown>;
    expect(report).toMatchObject({ schemaVersion: 1, budgetMs: 60_000, invocations: 2, skippedRecords: 0, since: null });
    expect(report.targets).toEqual([
      expect.objectContaining({ task: 'app:test', executions: 2, cacheHits: 0, p50Ms: 70_000, p90Ms: 90_000, maxMs: 90_000, overBudget: true }),
      expect.objectContaining({ task: 'lib:build', executions: 1, cacheHits: 1, p50Ms: 2000, p90Ms: 2000, maxMs: 2000, overBudget: false }),
    ]);
  });

  it('reads the history directory and budgets configured in nx.json', async () => {
    writeNxJson({ plugins: [{ plugin: '@sixty/nx', options: { budgetSeconds: 100, historyDir: 'tmp/history', budgets: { build: 1 } } }] });
    await writeHistory(join(workspace, 'tmp', 'history'));
    const report = JSON.parse((await sixty('report', '--format', 'json', '--cwd', workspace)).out) as {
      budgetMs: number;
      targets: Array<{ task: string; budgetMs: number; overBudget: boolean }>;
    };
    expect(report.budgetMs).toBe(100_000);
    expect(report.targets.map((t) => [t.task, t.budgetMs, t.overBudget])).toEqual([
      ['lib:build', 1000, true],
      ['app:test', 100_000, false],
    ]);
  });

  it('says what is wrong with --out in a missing directory and with --json plus another --format: exit 2, no stack', async () => {
    await writeHistory();
    const missing = await sixty('report', '--format', 'html', '--out', '/nonexistent/dir/x.html', '--cwd', workspace);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('sixty: --out /nonexistent/dir/x.html: the directory /nonexistent/dir does not exist\n  fix: create it first (mkdir -p /nonexistent/dir), or write the report elsewhere');
    const both = await sixty('report', '--json', '--format', 'html', '--cwd', workspace);
    expect(both.code).toBe(2);
    expect(both.out).toBe('');
    expect(both.err).toBe('sixty: --json and --format html ask for two formats\n  fix: use one: --json (same as --format json) or --format html');
    expect((await sixty('report', '--json', '--format', 'json', '--cwd', workspace)).code).toBe(0);
  });

  it('applies --budget and --since', async () => {
    await writeHistory();
    const old = Date.now() - 10 * 86_400_000;
    await appendRun(join(workspace, '.sixty'), run('old', old, [task('app:test', 500_000, old)]));

    const all = JSON.parse((await sixty('report', '--json', '--cwd', workspace)).out) as { invocations: number };
    expect(all.invocations).toBe(3);
    const recent = JSON.parse((await sixty('report', '--json', '--since', '7d', '--budget', '80', '--cwd', workspace)).out) as {
      invocations: number;
      budgetMs: number;
      since: string;
      targets: Array<{ task: string; maxMs: number; overBudget: boolean }>;
    };
    expect(recent.invocations).toBe(2);
    expect(recent.budgetMs).toBe(80_000);
    expect(typeof recent.since).toBe('string');
    expect(recent.targets.map((t) => [t.task, t.maxMs, t.overBudget])).toEqual([
      ['app:test', 90_000, true],
      ['lib:build', 2000, false],
    ]);
  });

  it('prints text and markdown tables', async () => {
    await writeHistory();
    const text = await sixty('report', '--cwd', workspace);
    expect(text.code).toBe(0);
    expect(text.out.split('\n')[0]).toBe('2 recorded runs, 2 targets: 1 of 2 targets over budget (default 1m 00s)');
    expect(text.out).toContain('next: sixty plan app:test');
    const markdown = await sixty('report', '--format', 'markdown', '--cwd', workspace);
    expect(markdown.out).toContain('| `app:test` | 2 | 0 | 1m 10s | 1m 30s | 1m 30s | 1m 00s | :red_circle: over by 30.0s |');
  });

  it('warns about corrupt history on stderr and keeps JSON on stdout pure', async () => {
    await writeHistory();
    const [file] = readdirSync(join(workspace, '.sixty', 'runs'));
    writeFileSync(join(workspace, '.sixty', 'runs', file!), 'garbage\n', { flag: 'a' });
    const result = await sixty('report', '--json', '--no-graph', '--cwd', workspace);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ invocations: 2, skippedRecords: 1 });
    expect(result.err).toBe(`warning: skipped 1 corrupt history line(s) in ${join(workspace, '.sixty')}`);
  });

  it('warns about invalid options in nx.json and still reports', async () => {
    writeNxJson({ plugins: [{ plugin: '@sixty/nx', options: { budgetSeconds: 'soon' } }] });
    const result = await sixty('report', '--json', '--cwd', workspace);
    expect(result.code).toBe(0);
    expect(result.err).toBe('warning: option budgetSeconds is "soon": expected a positive number of seconds; using 60');
    expect(JSON.parse(result.out)).toMatchObject({ budgetMs: 60_000 });
  });

  it('exits 2 on an unknown --format, naming it and the formats there are', async () => {
    const result = await sixty('report', '--format', 'bogus', '--cwd', workspace);
    expect(result).toEqual({
      code: 2,
      out: '',
      err: 'sixty: unknown --format "bogus"\n  fix: use one of: text, markdown, json, html, trace',
    });
  });

  it('reports history statistics with a note when nx cannot give the task graph', async () => {
    await writeHistory();
    const result = await sixty('report', '--json', '--cwd', workspace);
    expect(result.code).toBe(0);
    expect(result.err).toBe(`warning: nx is not installed in ${workspace}`);
    const report = JSON.parse(result.out) as { criticalPath: unknown; analysisNote: string; targets: unknown[] };
    expect(report.criticalPath).toBeNull();
    expect(report.analysisNote).toBe(`no graph analysis: nx is not installed in ${workspace}`);
    expect(report.targets).toHaveLength(2);
  });

  it('rejects a malformed --what-if before doing any work', async () => {
    const result = await sixty('report', '--what-if', 'lib-c:test', '--cwd', workspace);
    expect(result.code).toBe(2);
    expect(result.err).toBe('sixty: --what-if "lib-c:test" is not PROJECT:TARGET=PARTS\n  fix: write e.g. --what-if lib-c:test=4 (split lib-c:test in 4 equal parts)');
  });

  it('exits 2 on a --since that is neither a duration nor a date', async () => {
    const result = await sixty('report', '--since', 'yesterday-ish-garbage', '--cwd', workspace);
    expect(result).toEqual({
      code: 2,
      out: '',
      err: 'sixty: --since "yesterday-ish-garbage" is neither a duration nor a date\n  fix: use a duration such as 12h, 7d or 2w, or a date such as 2026-11-01',
    });
  });

  it.each([['-5'], ['0'], ['abc']])('exits 2 on --budget %s', async (budget) => {
    const result = await sixty('report', '--budget', budget, '--cwd', workspace);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain(`'${budget}' is invalid`);
    expect(result.err).toContain('expected a positive number of seconds');
  });

  it('exits 2 outside an Nx workspace', async () => {
    const result = await sixty('report', '--cwd', temp);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toBe(
      `sixty: ${temp} is not inside an Nx workspace (no nx.json found here or above)\n  fix: run sixty inside an Nx workspace, or pass --cwd <workspace>`,
    );
  });
});

describe('sixty', () => {
  it('prints help and exits 0 with --help', async () => {
    const result = await sixty('--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: sixty [options] [command]');
    expect(result.out).toContain('init');
    expect(result.out).toContain('report');
    expect(result.out).toContain('Exit codes: 0 ok, 1 the checked thing failed, 2 usage or configuration error.');
  });

  it('prints command help and exits 0 with report --help', async () => {
    const result = await sixty('report', '--help');
    expect(result.code).toBe(0);
    expect(result.out).toContain('Usage: sixty report [options]');
    expect(result.out).toContain('--since <when>');
  });

  it('exits 2 on an unknown command or option', async () => {
    const command = await sixty('reprot');
    expect(command.code).toBe(2);
    expect(command.err).toContain("unknown command 'reprot'");
    expect(command.err).toContain('report');
    const option = await sixty('report', '--colour', '--cwd', workspace);
    expect(option.code).toBe(2);
    expect(option.err).toContain("unknown option '--colour'");
  });
});
