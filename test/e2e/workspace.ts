// Helpers for end-to-end tests: real synthetic workspaces, the real nx CLI, the built sixty CLI.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error: plain ESM tool without type declarations
import { generateWorkspace } from '../../tools/synth/synth.mjs';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const SIXTY_BIN = join(REPO_ROOT, 'packages/cli/bin/sixty.js');

/** Deterministic nx runs in tests: no daemon unless asked, no cloud, no TUI. */
export const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: undefined };

export interface SynthOptions {
  projects: number;
  files?: number;
  seed?: number;
  durations?: string[];
  fail?: string[];
  runner?: 'node' | 'vitest';
  git?: boolean;
  /** The plugin's budget in nx.json (default 60). */
  budgetSeconds?: number;
  /** Which installed nx to link: the pinned 22.x or the newest major (24.x). */
  nx?: 'workspace' | 'latest';
}

export interface SynthWorkspace {
  root: string;
  projects: Array<{ name: string; kind: string; root: string; dependsOn: string[] }>;
  remove(): void;
}

export function createWorkspace(options: SynthOptions): SynthWorkspace {
  const parent = mkdtempSync(join(tmpdir(), 'sixty-e2e-'));
  const root = join(parent, 'ws');
  const { projects } = generateWorkspace({ out: root, ...options });
  return { root, projects, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function envFor(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, ...extra };
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
  if (!('CI' in extra)) delete env.CI; // nx changes its output under CI; tests want the local behaviour unless they set it
  // under `npm test` vitest runs as a task of this repo's own nx: its NX_TASK_* variables would make
  // every nx the tests start look nested in that task; a test sets them when it means to
  for (const key of Object.keys(env)) if (key.startsWith('NX_TASK_') && !(key in extra)) delete env[key];
  // under `npm test` vitest is itself an nx task, and nx gives its tasks FORCE_COLOR=true: tests read plain text
  if (!('FORCE_COLOR' in extra)) delete env.FORCE_COLOR;
  return env;
}

function toResult(result: SpawnSyncReturns<string>): CommandResult {
  if (result.error) throw result.error;
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export function nx(cwd: string, args: string[], env: Record<string, string | undefined> = {}): CommandResult {
  return toResult(
    spawnSync(process.execPath, [join(cwd, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd, env: envFor(env), encoding: 'utf8' }),
  );
}

/**
 * Runs nx with stdout and stderr in files, as a shell redirection or a terminal gives them, not
 * node's pipes (sockets): what a daemon-side process can reopen through /proc/<pid>/fd/2.
 */
export function nxToFiles(cwd: string, args: string[], env: Record<string, string | undefined> = {}): CommandResult {
  const dir = mkdtempSync(join(tmpdir(), 'sixty-nx-out-'));
  try {
    const stdout = openSync(join(dir, 'stdout'), 'a');
    const stderr = openSync(join(dir, 'stderr'), 'a');
    const result = spawnSync(process.execPath, [join(cwd, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd, env: envFor(env), stdio: ['ignore', stdout, stderr] });
    closeSync(stdout);
    closeSync(stderr);
    if (result.error) throw result.error;
    return { code: result.status ?? 1, stdout: readFileSync(join(dir, 'stdout'), 'utf8'), stderr: readFileSync(join(dir, 'stderr'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts nx without waiting: for runs that must finish at the same time. */
export function nxAsync(cwd: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  return runAsync(process.execPath, [join(cwd, 'node_modules/nx/dist/bin/nx.js'), ...args], cwd, envFor(env));
}

/** Runs a command without waiting, its output collected. */
export function runAsync(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
}

/** Commits the work tree, so the next change stands alone against the merge-base. */
export function commitAll(root: string, message: string): void {
  spawnSync('git', ['add', '-A'], { cwd: root });
  const commit = spawnSync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=e2e', 'commit', '-qm', message], { cwd: root, encoding: 'utf8' });
  if (commit.status !== 0) throw new Error(`git commit failed: ${commit.stderr}`);
}

export function sixty(cwd: string, args: string[], env: Record<string, string | undefined> = {}): CommandResult {
  return toResult(spawnSync(process.execPath, [SIXTY_BIN, ...args], { cwd, env: envFor(env), encoding: 'utf8' }));
}

export interface ReportJson {
  schemaVersion: number;
  budgetMs: number;
  invocations: number;
  skippedRecords: number;
  targets: Array<{
    task: string;
    project: string;
    target: string;
    executions: number;
    cacheHits: number;
    p50Ms: number;
    p90Ms: number;
    maxMs: number;
    overBudget: boolean;
  }>;
}

export function reportJson(cwd: string, args: string[] = []): ReportJson {
  const result = sixty(cwd, ['report', '--json', ...args]);
  if (result.code !== 0) throw new Error(`sixty report failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as ReportJson;
}

/** Test file -> number of test cases, over a project's JUnit reports (under <project>/reports/). */
export function casesByFile(root: string, project: string, reports: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const report of reports) {
    const xml = readFileSync(join(root, project, 'reports', report), 'utf8');
    for (const suite of xml.matchAll(/<testsuite name="([^"]+)"[^>]*>([\s\S]*?)<\/testsuite>/g)) {
      counts.set(suite[1]!, (counts.get(suite[1]!) ?? 0) + (suite[2]!.match(/<testcase /g) ?? []).length);
    }
  }
  return counts;
}

/** Every run record the plugin wrote in the workspace's history, day files in order, as written. */
export function recordedRuns<Run>(root: string): Run[] {
  const dir = join(root, '.sixty', 'runs');
  return readdirSync(dir)
    .sort()
    .flatMap((file) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as Run);
}
