// sixty installed as a user installs it: `npm run pack`'s tarballs added to fresh workspaces with
// plain `npm i -D <dir>/*.tgz` and `pnpm add -D <dir>/*.tgz` (strict node_modules, an ajv 6
// hoisted at the root as real workspaces have), on nx 22 and nx 24; then the whole loop with the
// installed bin. Packages come from the local npm cache / pnpm store, else the registry.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packAll } from '../../tools/pack.mjs';
// @ts-expect-error: plain ESM tool without type declarations
import { generateWorkspace } from '../../tools/synth/synth.mjs';
import { NX_ENV, REPO_ROOT, nx, runAsync, type CommandResult } from './workspace';

type PackageManager = 'npm' | 'pnpm';
interface Install {
  pm: PackageManager;
  nxMajor: '22' | '24';
  root: string;
  result: CommandResult;
  projects: Array<{ name: string; kind: string; root: string }>;
}

const repoRequire = createRequire(join(REPO_ROOT, 'package.json'));
const versionOf = (name: string) => (repoRequire(`${name}/package.json`) as { version: string }).version;
/** The versions this repo's `npm ci` installed, so both are in the local npm cache. */
const NX_VERSIONS = { '22': versionOf('nx'), '24': versionOf('nx-latest') };
const PNPM_BIN = join(REPO_ROOT, 'node_modules/pnpm/bin/pnpm.cjs');
/** pnpm's store and metadata cache outlive a run (node_modules/.cache is never committed). */
const PNPM_CACHE = join(REPO_ROOT, 'node_modules/.cache/sixty-install-e2e');
// Seed 2's lib-c: 8 modules whose build takes ~6 s, so a split for a 4 s budget has room for
// esbuild's start-up in each part (as in decompose.test.ts, with more margin).
const SEED = 2;
const BUDGET_SECONDS = 4;
// Every workspace installs and records; the planning half of the loop (plan, validate, apply
// --dry-run, check: ~4 nx start-ups) runs on the diagonal, which covers both package managers and
// both nx majors at half the cost.
const CASES = [
  { pm: 'npm', nxMajor: '22', wholeLoop: true },
  { pm: 'npm', nxMajor: '24', wholeLoop: false },
  { pm: 'pnpm', nxMajor: '22', wholeLoop: false },
  { pm: 'pnpm', nxMajor: '24', wholeLoop: true },
] as const;

let parent: string;
let tarballs: string[] = [];
const installs = new Map<string, Install>();

/** The environment of a user's shell: no npm_* variables of the `npm test` running us, no CI, pnpm on PATH. */
function userEnv(binDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...NX_ENV, PATH: `${binDir}:${process.env.PATH ?? ''}` };
  for (const key of Object.keys(env)) if (key.startsWith('npm_') || key === 'CI' || key === 'FORCE_COLOR' || env[key] === undefined) delete env[key];
  return env;
}

/** A synthetic workspace with its own package.json (nx, esbuild, ajv 6) and nothing installed yet. */
function writeWorkspace(pm: PackageManager, nxMajor: '22' | '24'): Omit<Install, 'result'> {
  const root = join(parent, `${pm}-nx${nxMajor}`);
  const { projects } = generateWorkspace({ out: root, projects: 4, files: 8, seed: SEED, durations: ['lib-c:build=6'], git: false, link: false }) as {
    projects: Install['projects'];
  };
  const manifestPath = join(root, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  const roots = ['apps/*', 'libs/*'];
  manifest.devDependencies = { nx: NX_VERSIONS[nxMajor], esbuild: versionOf('esbuild'), ajv: '6.12.6' };
  if (pm === 'npm') manifest.workspaces = roots;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  if (pm === 'pnpm') {
    // catalogMode: prefer (as angular-eslint has) sends a plain `pnpm add` of a tarball into the catalog
    // as a `file:` entry, which every later `pnpm install` refuses; the README's flag keeps it out
    writeFileSync(join(root, 'pnpm-workspace.yaml'), `packages:\n${roots.map((r) => `  - '${r}'\n`).join('')}catalogMode: prefer\ncatalog:\n  ajv: 6.12.6\n`);
    // pnpm links workspace packages only when asked to
    for (const project of projects) {
      const path = join(root, project.root, 'package.json');
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as { dependencies: Record<string, string> };
      pkg.dependencies = Object.fromEntries(Object.keys(pkg.dependencies).map((dep) => [dep, 'workspace:*']));
      writeFileSync(path, JSON.stringify(pkg, null, 2) + '\n');
    }
  }
  return { pm, nxMajor, root, projects };
}

/** The user's one command: add every tarball of the pack folder as a dev dependency. */
function installTarballs(workspace: Omit<Install, 'result'>): Promise<CommandResult> {
  const env = userEnv(join(parent, 'bin'));
  if (workspace.pm === 'npm') {
    return runAsync('npm', ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs], workspace.root, env);
  }
  const store = ['--store-dir', join(PNPM_CACHE, 'store'), '--cache-dir', join(PNPM_CACHE, 'cache')];
  // -w: the root of a pnpm workspace; CI=false above, so no frozen lockfile either
  return runAsync('pnpm', ['add', '-D', '-w', '--config.catalog-mode=manual', '--prefer-offline', ...store, ...tarballs], workspace.root, env);
}

function sixty(install: Install, args: string[]): Promise<CommandResult> {
  return runAsync(join(install.root, 'node_modules/.bin/sixty'), args, install.root, userEnv(join(parent, 'bin')));
}

/** A step of the loop as a user types it; it must succeed. */
async function step(install: Install, args: string[]): Promise<CommandResult> {
  const result = await sixty(install, args);
  expect(result.code, `sixty ${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(0);
  return result;
}

function git(cwd: string, ...args: string[]): Promise<CommandResult> {
  return runAsync('git', ['-c', 'user.email=e2e@sixty.dev', '-c', 'user.name=sixty e2e', ...args], cwd, process.env);
}

/** The version of `name` that code in `fromPackage` (installed in root) loads. */
function versionSeenBy(root: string, fromPackage: string, name: string): string {
  const from = realpathSync(join(root, 'node_modules', fromPackage, 'package.json'));
  return (JSON.parse(readFileSync(createRequire(from).resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

function installed(root: string, name: string): boolean {
  const pnpmStore = join(root, 'node_modules/.pnpm');
  const inPnpm = existsSync(pnpmStore) && readdirSync(pnpmStore).some((entry) => entry.startsWith(`${name.replace('/', '+')}@`));
  return inPnpm || existsSync(join(root, 'node_modules', name));
}

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'sixty-install-'));
  mkdirSync(join(parent, 'bin'));
  symlinkSync(PNPM_BIN, join(parent, 'bin', 'pnpm')); // nx asks pnpm for its version in a pnpm workspace
  tarballs = packAll(join(parent, 'pack'));
  const workspaces = CASES.map(({ pm, nxMajor }) => writeWorkspace(pm, nxMajor));
  // Installs wait on disk and network more than on CPU: all four at once.
  const results = await Promise.all(workspaces.map((workspace) => installTarballs(workspace)));
  workspaces.forEach((workspace, i) => installs.set(`${workspace.pm}-${workspace.nxMajor}`, { ...workspace, result: results[i]! }));
}, 600_000);
afterAll(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
});

describe('npm run pack writes installable tarballs', () => {
  it('packs all four packages', () => {
    expect(tarballs.map((file) => file.split('/').pop()).sort()).toEqual(['sixty-0.1.0.tgz', 'sixty-agent-0.1.0.tgz', 'sixty-core-0.1.0.tgz', 'sixty-nx-0.1.0.tgz']);
  });
});

describe.each(CASES)('installed with $pm on nx $nxMajor', ({ pm, nxMajor, wholeLoop }) => {
  const get = () => installs.get(`${pm}-${nxMajor}`)!;

  it('installs from the tarballs alone: no overrides, no peer conflict, its own ajv 8 over the root ajv 6, the workspace nx', () => {
    const { root, result } = get();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/ERESOLVE|ERR_PNPM|unmet peer/i);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.overrides).toBeUndefined();
    expect(manifest.pnpm).toBeUndefined();
    expect(Object.keys(manifest.devDependencies as object).sort()).toEqual(['@sixty/agent', '@sixty/core', '@sixty/nx', 'ajv', 'esbuild', 'nx', 'sixty']);
    expect(JSON.parse(readFileSync(join(root, 'node_modules/ajv/package.json'), 'utf8')).version).toMatch(/^6\./);
    expect(versionSeenBy(root, 'sixty', 'ajv')).toMatch(/^8\./);
    expect(versionSeenBy(root, '@sixty/nx', 'ajv')).toMatch(/^8\./);
    expect(versionSeenBy(root, '@sixty/nx', 'nx')).toBe(NX_VERSIONS[nxMajor]);
    expect(installed(root, '@nx/devkit')).toBe(false);
    if (pm === 'pnpm') {
      // the tarballs went to the root manifest, not into the catalog, so later installs still resolve
      expect(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')).not.toMatch(/file:/);
      expect((manifest.devDependencies as Record<string, string>).sixty).toMatch(/^file:.*\.tgz$/);
    }
  });

  it('records: init registers the plugin, nx runs record through it, report reads them', async () => {
    const install = get();
    const { root } = install;
    await step(install, ['init', '--budget', String(BUDGET_SECONDS)]);
    expect(readFileSync(join(root, 'nx.json'), 'utf8')).toContain('@sixty/nx');
    await git(root, 'init', '-q', '-b', 'main');
    await git(root, 'add', '-A');
    await git(root, 'commit', '-q', '-m', 'workspace with sixty');

    const recorded = nx(root, ['run-many', '-t', 'build']);
    expect(recorded.code, recorded.stdout + recorded.stderr).toBe(0);
    // the hook speaks only to announce the budget break (lib-c:build is over its budget), never a warning of its own failure
    const hookLines = (recorded.stdout + recorded.stderr).split('\n').filter((line) => line.includes('[sixty]'));
    expect(hookLines.length, hookLines.join('\n')).toBeGreaterThan(0);
    for (const line of hookLines) expect(line).toMatch(/\[sixty\] (over budget: |plan the fix: sixty plan )/);
    const runsDir = join(root, '.sixty', 'runs');
    const run = JSON.parse(readFileSync(join(runsDir, readdirSync(runsDir)[0]!), 'utf8').split('\n')[0]!) as { nxVersion: string };
    expect(run.nxVersion).toBe(NX_VERSIONS[nxMajor]);

    const report = JSON.parse((await step(install, ['report', '--json'])).stdout) as { targets: Array<{ task: string; overBudget: boolean }> };
    expect(report.targets.map((target) => target.task).sort()).toEqual(install.projects.map((project) => `${project.name}:build`).sort());
    expect(report.targets.find((target) => target.task === 'lib-c:build')?.overBudget).toBe(true);
  });

  it.runIf(wholeLoop)('plans: plan, plan --validate, apply --dry-run (the installed generator), check', async () => {
    const install = get();
    const { root } = install;
    await step(install, ['plan', 'lib-c:build', '--kind', 'split', '--out', 'plan.json']);
    const plan = JSON.parse(readFileSync(join(root, 'plan.json'), 'utf8')) as { projects: Array<{ root: string }> };
    expect(plan.projects.length).toBeGreaterThanOrEqual(2);
    expect((await step(install, ['plan', '--validate', 'plan.json'])).stdout).toContain('valid');

    const dryRun = await step(install, ['apply', '--dry-run', 'plan.json']);
    for (const part of plan.projects) expect(dryRun.stdout + dryRun.stderr).toContain(`CREATE ${part.root}/project.json`);
    expect(existsSync(join(root, plan.projects[0]!.root))).toBe(false);

    const app = install.projects.find((project) => project.kind === 'app')!;
    const touched = join(root, app.root, 'src', 'index.js');
    writeFileSync(touched, readFileSync(touched, 'utf8') + '// touched\n');
    const check = await step(install, ['check', '--targets', 'build']);
    expect(check.stdout).toMatch(/^sixty check: ok/m);
  });
});
