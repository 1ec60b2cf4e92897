#!/usr/bin/env node
// npm run realrepos -- [repo...] [--mirror DIR] [--scratch DIR] [--tarballs DIR] [--no-docs]
//
// Runs sixty's whole loop, as a user would, on real public Nx monorepos at pinned commits
// (tools/realrepos/repos.mjs): check out, install with the repo's own package manager, install
// sixty from packed tarballs, init, one real run, report, plan, validate, apply on a branch,
// verify the affected projects, check. Each step's outcome, exit code, wall time and first error
// lines go to <scratch>/results/<repo>.json; docs/REAL-REPOS.md is regenerated from them.
// Needs the repos as git snapshots (--mirror, SIXTY_REALREPOS_MIRROR; default /work/.mirror,
// <owner>+<name>/repo) and the npm registry. Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorExcerpt, passingTests, run } from './exec.mjs';
import { removeDependencies } from './lockfile.mjs';
import { renderDoc } from './render.mjs';
import { REPOS } from './repos.mjs';
import { nodeFor, packageManagerFor } from './toolchain.mjs';

const SIXTY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MIN = 60_000;

function parseArgs(argv) {
  const options = {
    mirror: process.env.SIXTY_REALREPOS_MIRROR ?? '/work/.mirror',
    scratch: process.env.SIXTY_REALREPOS_SCRATCH ?? '/work/realrepos-scratch',
    tarballs: process.env.SIXTY_REALREPOS_TARBALLS,
    docs: true,
    repos: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mirror' || arg === '--scratch' || arg === '--tarballs') options[arg.slice(2)] = resolve(argv[++i] ?? '');
    else if (arg === '--no-docs') options.docs = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 10).join('\n').replace(/^\/\/ ?/gm, ''));
      process.exit(0);
    } else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else options.repos.push(arg);
  }
  const known = REPOS.map((r) => r.name);
  for (const name of options.repos) if (!known.includes(name)) usage(`unknown repo ${name} (known: ${known.join(', ')})`);
  if (!options.repos.length) options.repos = known;
  return options;
}

function usage(message) {
  console.error(`realrepos: ${message}\nusage: node tools/realrepos/run.mjs [repo...] [--mirror DIR] [--scratch DIR] [--tarballs DIR] [--no-docs]`);
  process.exit(2);
}

const git = (cwd, args, log, env = process.env) => run('git', args, { cwd, env, log, timeoutMs: 10 * MIN });

async function sixtyCommit() {
  const log = '/dev/null';
  const head = (await git(SIXTY_ROOT, ['rev-parse', 'HEAD'], log)).output.trim();
  const subject = (await git(SIXTY_ROOT, ['log', '-1', '--format=%s'], log)).output.trim();
  const dirty = (await git(SIXTY_ROOT, ['status', '--porcelain', '--', 'packages', 'plugins'], log)).output.trim() !== '';
  return { commit: head, subject, dirty };
}

/**
 * The four sixty tarballs in one folder: --tarballs DIR if given; else `npm run pack` when the
 * repo has it (the project's own packing); else `npm pack` of each workspace package.
 */
async function packSixty(scratch, log) {
  const out = join(scratch, 'tarballs');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const scripts = JSON.parse(readFileSync(join(SIXTY_ROOT, 'package.json'), 'utf8')).scripts ?? {};
  const env = process.env;
  if (scripts.pack) {
    const packed = await run('npm', ['run', 'pack', '--', '--out', out], { cwd: SIXTY_ROOT, env, log, timeoutMs: 20 * MIN });
    return { ...packed, dir: out, how: 'npm run pack' };
  }
  const built = await run('npm', ['run', 'build'], { cwd: SIXTY_ROOT, env, log, timeoutMs: 20 * MIN });
  if (built.code !== 0) return { ...built, dir: out, how: 'npm run build' };
  const workspaces = ['packages/core', 'packages/agent', 'packages/cli', 'plugins/nx'].flatMap((w) => ['-w', w]);
  const packed = await run('npm', ['pack', ...workspaces, '--pack-destination', out], { cwd: SIXTY_ROOT, env, log, timeoutMs: 20 * MIN });
  return { ...packed, wallMs: packed.wallMs + built.wallMs, dir: out, how: 'npm run build + npm pack -w (4 packages)' };
}

class Recorder {
  constructor(repo, file) {
    this.repo = repo;
    this.file = file;
    this.steps = [];
    this.meta = {};
  }
  save() {
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify({ repo: this.repo, ...this.meta, steps: this.steps }, null, 2)}\n`);
  }
  /** Records one step. `fn` returns { ok, code, wallMs, figure?, output?, error? }. */
  async step(id, label, fn) {
    const started = Date.now();
    let result;
    try {
      result = await fn();
    } catch (error) {
      result = { ok: false, code: null, error: [String(error?.message ?? error)] };
    }
    const entry = {
      id,
      label,
      outcome: result.skipped ? 'skipped' : result.ok ? 'works' : 'fails',
      exitCode: result.code ?? null,
      wallMs: result.wallMs ?? Date.now() - started,
      figure: result.figure ?? null,
      error: result.ok || result.skipped ? null : (result.error ?? errorExcerpt(result.output ?? '')),
      log: result.log ?? null,
      ...(result.extra ? { details: result.extra } : {}),
    };
    if (result.skipped) entry.figure = result.skipped;
    this.steps.push(entry);
    this.save();
    const status = entry.outcome === 'works' ? 'works' : entry.outcome.toUpperCase();
    console.log(`[${this.repo}] ${label}: ${status} (exit ${entry.exitCode}, ${(entry.wallMs / 1000).toFixed(1)} s)${entry.figure ? ` ${entry.figure}` : ''}`);
    if (entry.error) for (const line of entry.error) console.log(`    ${line}`);
    return { ...result, entry };
  }
  skip(id, label, why) {
    return this.step(id, label, async () => ({ skipped: why, wallMs: 0 }));
  }
}

/** Clones the snapshot at the pinned commit; blobs absent from the snapshot are left out. */
async function checkout(repo, mirror, dir, log) {
  const source = join(mirror, repo.mirror, 'repo');
  if (!existsSync(source)) return { ok: false, code: 2, error: [`no snapshot at ${source} (fetch github:${repo.source} first)`] };
  rmSync(dir, { recursive: true, force: true });
  const cloned = await git(dirname(dir), ['clone', '--quiet', '--no-checkout', source, dir], log);
  if (cloned.code !== 0) return { ok: false, ...cloned };
  const tree = await git(dir, ['ls-tree', '-r', repo.commit], log);
  const blobs = [...tree.output.matchAll(/^\d+ blob ([0-9a-f]+)\t(.*)$/gm)].map((m) => ({ sha: m[1], path: m[2] }));
  const present = spawnSync('git', ['cat-file', '--batch-check'], { cwd: dir, input: blobs.map((b) => b.sha).join('\n'), encoding: 'utf8', maxBuffer: 1 << 28 });
  const absent = new Set(present.stdout.split('\n').filter((l) => l.endsWith(' missing')).map((l) => l.split(' ')[0]));
  const missing = blobs.filter((b) => absent.has(b.sha)).map((b) => b.path);
  if (missing.length) await git(dir, ['sparse-checkout', 'set', '--no-cone', '/*', ...missing.map((p) => `!/${p}`)], log);
  const nxJson = JSON.parse((await git(dir, ['show', `${repo.commit}:nx.json`], log)).output);
  const base = nxJson.defaultBase ?? 'main';
  const checked = await git(dir, ['checkout', '--quiet', '-B', base, repo.commit], log);
  if (checked.code !== 0 && !existsSync(join(dir, 'nx.json'))) return { ok: false, ...checked };
  await git(dir, ['config', 'user.name', 'realrepos'], log);
  await git(dir, ['config', 'user.email', 'realrepos@localhost'], log);
  await git(dir, ['config', 'commit.gpgsign', 'false'], log);
  await git(dir, ['config', 'core.hooksPath', '/dev/null'], log);
  if (missing.length) {
    await git(dir, ['rm', '--quiet', '--cached', '--sparse', '--', ...missing], log);
    await git(dir, ['commit', '--quiet', '--no-verify', '-m', `realrepos: leave out ${missing.length} file(s) absent from the snapshot`], log);
  }
  return { ok: true, code: 0, base, missing, figure: `${repo.commit.slice(0, 10)} on ${base}${missing.length ? `, ${missing.length} blob(s) absent from the snapshot left out: ${missing.join(', ')}` : ''}` };
}

/** pnpm-workspace.yaml `overrides` mapping each @sixty/* package name to its tarball. */
function addPnpmOverrides(dir, files) {
  const file = join(dir, 'pnpm-workspace.yaml');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const entries = files
    .map((f) => JSON.parse(spawnSync('tar', ['xzOf', f, 'package/package.json'], { encoding: 'utf8' }).stdout).name)
    .map((name, i) => `  '${name}': 'file:${files[i]}'`);
  const lines = text.split('\n');
  const at = lines.findIndex((l) => /^overrides:\s*$/.test(l));
  if (at >= 0) lines.splice(at + 1, 0, ...entries);
  else lines.push('overrides:', ...entries);
  writeFileSync(file, lines.join('\n'));
}

/**
 * With `catalogMode: prefer` in pnpm-workspace.yaml, `pnpm add <tarball>` writes the tarball into
 * the catalog as a `file:` entry, which pnpm itself then refuses on every later install
 * (ERR_PNPM_CATALOG_ENTRY_INVALID_SPEC). Moves such entries to the root package.json's
 * devDependencies, where `file:` is allowed. Returns the names moved.
 */
function moveTarballsOutOfCatalog(dir) {
  const file = join(dir, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return [];
  const specs = {};
  const text = readFileSync(file, 'utf8').replace(/^ {2}(['"]?)([@\w/.-]+)\1: ['"]?(file:[^'"\n]+\.tgz)['"]?\n/gm, (line, quote, name, spec) => {
    specs[name] = spec;
    return '';
  });
  const names = Object.keys(specs);
  if (!names.length) return [];
  writeFileSync(file, text);
  const manifestFile = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.devDependencies = { ...manifest.devDependencies, ...specs };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return names;
}

/** The commands of an apply's `next:` lines before its build (`pnpm install`, `nx sync`), as the user runs them. */
function setupCommandsOf(next) {
  return (next ?? []).flatMap((line) => line.split(', then ')).filter((command) => !command.startsWith('nx run-many') && !command.startsWith('sixty '));
}

function jsonFrom(output) {
  const start = output.search(/^[[{]/m);
  return JSON.parse(output.slice(start));
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function runRepo(repo, options, sixty, tarballs) {
  const dir = join(options.scratch, repo.name);
  const logDir = join(options.scratch, 'logs', repo.name);
  rmSync(logDir, { recursive: true, force: true });
  const rec = new Recorder(repo.name, join(options.scratch, 'results', `${repo.name}.json`));
  rec.meta = { source: repo.source, commit: repo.commit, projectsSubset: repo.projects, targets: repo.targets, install: repo.install.scripts, startedAt: new Date().toISOString(), sixty };
  const log = (id) => join(logDir, `${id}.log`);

  const nodeDir = await nodeFor(repo.node, options.scratch, log('toolchain'));
  const pm = await packageManagerFor(repo.packageManager, options.scratch, log('toolchain'));
  const env = {
    ...process.env,
    PATH: `${join(nodeDir, 'bin')}:${pm.bin}:${process.env.PATH}`,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NX_INTERACTIVE: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    CI: 'true',
    HUSKY: '0',
    ...repo.install.env,
  };
  const nodeVersion = (await run('node', ['-v'], { cwd: options.scratch, env, log: log('toolchain') })).output.trim();
  rec.meta.toolchain = { node: nodeVersion, packageManager: repo.packageManager };
  const exec = (id, command, args, timeoutMs = 30 * MIN) => run(command, args, { cwd: dir, env, log: log(id), timeoutMs });
  // A user's shell has no CI=true: with it pnpm installs frozen, skipping what a user's install checks and updates.
  const userEnv = { ...env };
  delete userEnv.CI;
  const userExec = (id, command, args, timeoutMs = 30 * MIN) => run(command, args, { cwd: dir, env: userEnv, log: log(id), timeoutMs });
  const nx = (id, args, timeoutMs) => exec(id, join(dir, 'node_modules/.bin/nx'), args, timeoutMs);
  const sixtyCmd = (id, args, timeoutMs) => exec(id, join(dir, 'node_modules/.bin/sixty'), args, timeoutMs);
  const withLog = (id, result, more = {}) => ({ ok: result.code === 0, ...result, log: log(id), ...more });

  const co = await rec.step('checkout', 'checkout', () => checkout(repo, options.mirror, dir, log('checkout')));
  if (!co.ok) return rec;
  const base = co.base;

  const install = await rec.step('install', `install (${repo.packageManager}, node ${nodeVersion})`, async () => {
    const removed = repo.install.removeDependencies ?? [];
    let repair = '';
    if (removed.length) {
      // Scripted lockfile repair: packages this registry cannot serve leave package.json and
      // pnpm-lock.yaml, then the install is frozen as usual.
      const dropped = removeDependencies(dir, removed, repo.install.dropFromLockfile ?? removed);
      repair = `lockfile repaired: removed ${removed.join(', ')} (404 on this registry; ${dropped} lockfile entries); `;
    }
    const first = await exec('install', pm.name, repo.install.args, 90 * MIN);
    if (first.code === 0) return withLog('install', first, { figure: `${seconds(first.wallMs)}; ${repair}scripts: ${repo.install.scripts}` });
    // The lockfile may name what this registry cannot serve as locked: let the package manager
    // repair it (scripted, recorded), never by hand.
    const repaired = await exec('install', pm.name, ['install', '--no-frozen-lockfile'], 90 * MIN);
    return withLog('install', repaired, { figure: `frozen install failed (exit ${first.code}); lockfile repaired by \`${pm.name} install --no-frozen-lockfile\`` });
  });
  if (!install.ok) return rec;
  await git(dir, ['add', '-A'], log('install'));
  await git(dir, ['commit', '--quiet', '--no-verify', '-m', 'realrepos: lockfile as installed here'], log('install'));

  const projectsOf = async (id) => {
    const shown = await nx(id, ['show', 'projects', '--json'], 15 * MIN);
    return { ...shown, projects: shown.code === 0 ? jsonFrom(shown.output) : undefined };
  };
  const before = await rec.step('projects', 'nx show projects', async () => {
    const shown = await projectsOf('projects');
    return withLog('projects', shown, { figure: shown.projects ? `${shown.projects.length} projects` : null, projects: shown.projects });
  });

  const files = tarballs.code === 0 ? readdirSync(tarballs.dir).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs.dir, f)) : [];
  // as the README says: the catalog-mode flag keeps the tarballs out of a pnpm catalog (catalogMode: prefer)
  const addArgs = pm.name === 'pnpm' ? ['add', '-D', '-w', '--config.catalog-mode=manual', ...files] : pm.name === 'yarn' ? ['add', '-D', ...files] : ['install', '-D', ...files];
  const addFigure = `\`${pm.name} ${addArgs.slice(0, addArgs.length - files.length).join(' ')} <${files.length} tarballs>\` (${tarballs.how})`;
  // As the README says: the package manager's plain add of every tarball in the folder.
  const added = await rec.step('add-sixty', 'install sixty from the tarballs', async () => {
    if (tarballs.code !== 0) return { ok: false, code: tarballs.code, error: ['packing sixty failed', ...errorExcerpt(tarballs.output)] };
    const result = await exec('add-sixty', pm.name, addArgs, 30 * MIN);
    return withLog('add-sixty', result, { figure: addFigure });
  });
  if (!added.ok && pm.name === 'pnpm' && files.length) {
    // The known workaround (#14): pnpm overrides mapping sixty's own packages to the tarballs,
    // recorded as its own step so the rest of the loop still runs.
    const worked = await rec.step('add-sixty-overrides', 'install sixty with pnpm overrides (workaround)', async () => {
      addPnpmOverrides(dir, files);
      const result = await exec('add-sixty', pm.name, addArgs, 30 * MIN);
      return withLog('add-sixty', result, { figure: `overrides for @sixty/* in pnpm-workspace.yaml, then ${addFigure}` });
    });
    if (!worked.ok) return rec;
  } else if (!added.ok) return rec;

  const init = await rec.step('init', 'sixty init', async () => {
    const result = await sixtyCmd('init', ['init']);
    if (result.code !== 0) return withLog('init', result);
    const after = await projectsOf('init');
    const same = before.projects && after.projects && after.projects.length === before.projects.length;
    return withLog('init', { ...result, code: after.code }, {
      ok: Boolean(same),
      figure: after.projects ? `${before.projects?.length ?? '?'} projects before, ${after.projects.length} after` : null,
      error: same ? null : [`project count changed: ${before.projects?.length} before, ${after.projects?.length ?? 'nx failed'} after`, ...errorExcerpt(after.output)],
    });
  });
  if (!init.ok) return rec;
  await git(dir, ['add', '-A'], log('init'));
  await git(dir, ['commit', '--quiet', '--no-verify', '-m', 'realrepos: install sixty and run sixty init'], log('init'));

  const { build: buildTarget, test: testTarget, typecheck: typecheckTarget } = repo.targets;
  const subset = repo.projects.filter((p) => before.projects.includes(p));
  const firstRun = await rec.step('run', `nx run-many -t ${buildTarget},${testTarget} (${subset.length} projects)`, async () => {
    const result = await nx('run', ['run-many', '-t', `${buildTarget},${testTarget}`, '-p', subset.join(','), '--outputStyle=static'], 90 * MIN);
    const tests = passingTests(result.output);
    const tasks = result.output.match(/Successfully ran targets? .*? for (\d+) projects?(?: and (\d+) tasks? they depend on)?/);
    const taskCount = tasks ? `${Number(tasks[1]) * 2 + Number(tasks[2] ?? 0)} tasks` : 'tasks';
    return withLog('run', result, { figure: `${taskCount} in ${seconds(result.wallMs)}, ${tests ?? '?'} tests passed`, error: result.code === 0 ? null : errorExcerpt(result.output, 6) });
  });

  // Passing tests per project before any change: nx replays the cached output of the run above.
  const testsBefore = {};
  for (const project of subset) {
    const replay = await nx('tests-before', ['run', `${project}:${testTarget}`, '--outputStyle=static'], 30 * MIN);
    testsBefore[project] = replay.code === 0 ? passingTests(replay.output) : undefined;
  }
  rec.meta.testsBefore = testsBefore;

  let reportJson;
  await rec.step('report-text', 'sixty report', async () => {
    const result = await sixtyCmd('report-text', ['report']);
    return withLog('report-text', result, { figure: result.output.split('\n').find((l) => /recorded run/.test(l)) ?? null });
  });
  await rec.step('report-json', 'sixty report --json', async () => {
    const result = await sixtyCmd('report-json', ['report', '--json']);
    if (result.code !== 0) return withLog('report-json', result);
    reportJson = jsonFrom(result.output);
    return withLog('report-json', result, { figure: `${reportJson.targets.length} targets, ${reportJson.violations?.length ?? 0} over budget, critical path ${seconds(reportJson.criticalPath?.durationMs ?? 0)}` });
  });
  await rec.step('report-html', 'sixty report --format html', async () => {
    const out = join(options.scratch, 'reports', `${repo.name}.html`);
    mkdirSync(dirname(out), { recursive: true });
    rmSync(out, { force: true });
    const result = await sixtyCmd('report-html', ['report', '--format', 'html', '--out', out]);
    const size = existsSync(out) ? statSync(out).size : 0;
    return withLog('report-html', result, { ok: result.code === 0 && size > 0, figure: size ? `${Math.round(size / 1024)} KB self-contained page` : 'no file written' });
  });

  // The slowest executed task of each kind, from the report; a budget of half its p90 so that
  // sixty has real work to plan (these repos mostly fit 60 s on a fast machine).
  const slowest = (target) =>
    (reportJson?.targets ?? []).filter((t) => t.target === target && t.executions > 0).sort((a, b) => b.p90Ms - a.p90Ms)[0];
  const plans = [];
  for (const [kind, target] of [['test', testTarget], ['build', buildTarget]]) {
    const id = `plan-${kind}`;
    const pick = slowest(target);
    if (!pick) {
      await rec.skip(id, `sixty plan <slowest ${kind}>`, reportJson ? `no executed ${target} task in the report` : 'no report');
      continue;
    }
    const budget = Math.max(1, Math.floor(pick.p90Ms / 2000));
    const file = join(options.scratch, 'plans', repo.name, `${kind}.json`);
    mkdirSync(dirname(file), { recursive: true });
    rmSync(file, { force: true });
    let refusal = '';
    const planAt = (stepId, atBudget) =>
      rec.step(stepId, `sixty plan ${pick.task} --budget ${atBudget}`, async () => {
        const result = await sixtyCmd(stepId, ['plan', pick.task, '--budget', String(atBudget), '--out', file]);
        refusal = result.code === 0 ? '' : result.output;
        const summary = result.output.split('\n').find((l) => l.startsWith('plan ')) ?? null;
        return withLog(stepId, result, { ok: result.code === 0 && existsSync(file), figure: summary ? `${summary} (p90 ${seconds(pick.p90Ms)})` : null });
      });
    let planned = await planAt(id, budget);
    let plannedBudget = budget;
    // A refusal that names its floor (a module or import cycle no split can cut, "takes 44.6 s on
    // its own"): a user's second try is a budget just above that floor, recorded as its own step.
    const floor = /takes ([\d.]+) s on its own/.exec(refusal);
    if (!planned.ok && floor) {
      plannedBudget = Math.ceil(Number(floor[1]) * 1.15);
      planned = await planAt(`${id}-floor`, plannedBudget);
    }
    if (planned.ok) plans.push({ kind, task: pick.task, project: pick.project, target, budget: plannedBudget, file });
  }

  for (const plan of plans) {
    const id = `validate-${plan.kind}`;
    await rec.step(id, `sixty plan --validate (${plan.kind})`, async () => {
      const result = await sixtyCmd(id, ['plan', '--validate', plan.file]);
      return withLog(id, result, { figure: result.output.trim().split('\n')[0] ?? null });
    });
  }
  for (const plan of plans) {
    const id = `dry-run-${plan.kind}`;
    await rec.step(id, `sixty apply --dry-run (${plan.kind})`, async () => {
      const result = await sixtyCmd(id, ['apply', plan.file, '--dry-run', '--budget', String(plan.budget)]);
      return withLog(id, result, { figure: result.output.trim().split('\n')[0] ?? null });
    });
  }

  await git(dir, ['checkout', '--quiet', '-b', 'sixty-apply'], log('apply'));
  const applied = [];
  for (const plan of plans) {
    const id = `apply-${plan.kind}`;
    const result = await rec.step(id, `sixty apply on branch sixty-apply (${plan.kind})`, async () => {
      const applying = await sixtyCmd(id, ['apply', plan.file, '--budget', String(plan.budget), '--json']);
      let details;
      try {
        details = jsonFrom(applying.output);
      } catch {
        details = undefined;
      }
      const summary = details?.output?.split('\n')[0];
      return withLog(id, applying, { figure: summary ?? applying.output.trim().split('\n').find((l) => !l.startsWith('{')) ?? null, next: details?.kind === 'split' ? details.next : undefined });
    });
    if (result.ok) applied.push({ ...plan, next: result.next });
  }
  // The steps each apply printed before its build (`next: pnpm install, then nx sync, then ...`),
  // run as printed from a user's shell.
  const setupCommands = [...new Set(applied.flatMap((plan) => setupCommandsOf(plan.next)))];
  if (setupCommands.length) {
    await rec.step('setup', `after apply: ${setupCommands.join(', then ')}`, async () => {
      let wallMs = 0;
      const repairs = [];
      for (const command of setupCommands) {
        const [program, ...args] = command.split(' ');
        const runIt = () => userExec('setup', program === 'nx' ? join(dir, 'node_modules/.bin/nx') : program, args);
        let result = await runIt();
        wallMs += result.wallMs;
        // the tarballs pnpm add wrote into a catalog (catalogMode: prefer) fail the first install that resolves: scripted repair, recorded
        const moved = result.code !== 0 && program === 'pnpm' && /ERR_PNPM_CATALOG_ENTRY_INVALID_SPEC/.test(result.output) ? moveTarballsOutOfCatalog(dir) : [];
        if (moved.length) {
          repairs.push(`${command} failed: ${errorExcerpt(result.output, 1)[0] ?? `exit ${result.code}`}`, `repaired (scripted): ${moved.join(', ')} moved from the pnpm catalog (catalogMode: prefer) to the root devDependencies, then ${command} again`);
          result = await runIt();
          wallMs += result.wallMs;
        }
        if (result.code !== 0) return withLog('setup', result, { error: [...repairs, `${command}: exit ${result.code}`, ...errorExcerpt(result.output, 4)] });
      }
      // a repair means the steps did not work as printed: the step fails, and the loop goes on with the repaired workspace
      return { ok: repairs.length === 0, code: repairs.length ? 1 : 0, wallMs, log: log('setup'), figure: `${setupCommands.join(', then ')} (as printed by sixty apply)`, error: repairs.length ? repairs : null };
    });
  }
  await git(dir, ['add', '-A'], log('apply'));
  await git(dir, ['commit', '--quiet', '--no-verify', '-m', 'realrepos: sixty apply'], log('apply'));

  if (!applied.length) {
    await rec.skip('verify', 'build, typecheck, test of the affected projects', 'nothing applied');
  } else {
    await rec.step('verify', 'build, typecheck, test of the affected projects', async () => {
      const after = await projectsOf('verify');
      if (!after.projects) return withLog('verify', after);
      const affected = await nx('verify', ['show', 'projects', '--affected', '--base', base, '--head', 'HEAD', '--json'], 15 * MIN);
      const affectedList = affected.code === 0 ? jsonFrom(affected.output) : [];
      const created = after.projects.filter((p) => !before.projects.includes(p));
      // Bounded like the first run: the affected projects of the subset, the planned ones and the
      // projects the apply created (a change to a core library affects the whole workspace).
      const planned = applied.map((p) => p.project);
      const verifySet = [...new Set([...affectedList.filter((p) => subset.includes(p)), ...planned, ...created])];
      const outcomes = [];
      let ok = true;
      for (const target of [buildTarget, typecheckTarget].filter(Boolean)) {
        const ran = await nx('verify', ['run-many', '-t', target, '-p', verifySet.join(','), '--outputStyle=static'], 60 * MIN);
        outcomes.push(`${target} ${ran.code === 0 ? 'ok' : `FAILED (exit ${ran.code})`}`);
        if (ran.code !== 0) {
          ok = false;
          outcomes.push(...errorExcerpt(ran.output, 4));
        }
      }
      const sharded = applied.find((p) => p.kind === 'test');
      let testsAfter = 0;
      let testsBeforeSum = 0;
      const plain = verifySet.filter((p) => p !== sharded?.project);
      const ranTests = plain.length
        ? await nx('verify', ['run-many', '-t', testTarget, '-p', plain.join(','), '--outputStyle=static', '--skip-nx-cache'], 60 * MIN)
        : { code: 0, output: '' };
      if (ranTests.code !== 0) {
        ok = false;
        outcomes.push(`${testTarget} FAILED (exit ${ranTests.code})`, ...errorExcerpt(ranTests.output, 4));
      }
      testsAfter += passingTests(ranTests.output) ?? 0;
      for (const p of verifySet) if (before.projects.includes(p)) testsBeforeSum += testsBefore[p] ?? 0;
      if (sharded) {
        const shardedRun = await nx('verify', ['run', `${sharded.project}:${testTarget}--sharded`, '--outputStyle=static', '--skip-nx-cache'], 60 * MIN);
        if (shardedRun.code !== 0) {
          ok = false;
          outcomes.push(`${sharded.project}:${testTarget}--sharded FAILED (exit ${shardedRun.code})`, ...errorExcerpt(shardedRun.output, 4));
        }
        testsAfter += passingTests(shardedRun.output) ?? 0;
      }
      const sameTests = testsAfter === testsBeforeSum;
      if (!sameTests) ok = false;
      const figure = `${affectedList.length} affected, verified ${verifySet.length} (${verifySet.join(', ')}): ${outcomes.filter((o) => /^\S+ (ok|FAILED)/.test(o)).join(', ')}; tests passing ${testsBeforeSum} before, ${testsAfter} after${sharded ? ` (${sharded.project} through ${testTarget}--sharded)` : ''}`;
      return { ok, code: ok ? 0 : 1, wallMs: undefined, log: log('verify'), figure, error: ok ? null : [...outcomes.filter((o) => !/ ok$/.test(o)), ...(sameTests ? [] : [`tests passing: ${testsBeforeSum} before, ${testsAfter} after`])].slice(0, 8) };
    });
  }

  await rec.step('check', `sixty check --base HEAD after touching ${repo.touch}`, async () => {
    appendFileSync(join(dir, repo.touch), '\n// touched by tools/realrepos\n');
    // --base HEAD: the change is the touched file (the apply is committed), as in an agent's loop.
    const result = await sixtyCmd('check', ['check', '--base', 'HEAD', '--targets', `${buildTarget},${testTarget}`], 60 * MIN);
    const lines = result.output.trim().split('\n');
    const figure = lines.find((l) => l.startsWith('sixty check')) ?? lines[0];
    // A check that reports a failed task is right when nx alone fails that task too: the repo's
    // own failure, told truly (the step works); when nx alone passes it, the check was wrong.
    const failed = result.code === 1 ? /^FAILED (\S+)/m.exec(result.output)?.[1] : undefined;
    if (failed) {
      const alone = await nx('check', ['run', failed, '--skip-nx-cache'], 30 * MIN);
      if (alone.code !== 0) return withLog('check', result, { ok: true, code: result.code, figure: `${figure}; \`nx run ${failed}\` alone fails too (exit ${alone.code}): the repo's own failure, reported`, error: null });
      return withLog('check', result, { figure, error: [...lines.slice(0, 4), `but \`nx run ${failed}\` alone passes: the check's failure is not the repo's`] });
    }
    return withLog('check', result, { figure, error: result.code === 0 ? null : lines.slice(0, 6) });
  });
  rec.meta.finishedAt = new Date().toISOString();
  rec.save();
  return rec;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(options.scratch, { recursive: true });
  if (options.scratch.startsWith(`${SIXTY_ROOT}/`)) usage('--scratch must be outside the sixty repo');
  const sixty = await sixtyCommit();
  const packLog = join(options.scratch, 'logs', 'pack.log');
  rmSync(packLog, { force: true });
  const tarballs = options.tarballs
    ? { code: 0, dir: options.tarballs, how: `--tarballs ${options.tarballs}`, output: '' }
    : await packSixty(options.scratch, packLog);
  console.log(`sixty ${sixty.commit.slice(0, 10)}${sixty.dirty ? ' (uncommitted changes)' : ''}; tarballs: ${tarballs.how} -> ${tarballs.dir} (exit ${tarballs.code})`);
  for (const name of options.repos) {
    const repo = REPOS.find((r) => r.name === name);
    await runRepo(repo, options, sixty, tarballs);
  }
  if (options.docs) {
    const out = join(SIXTY_ROOT, 'docs/REAL-REPOS.md');
    writeFileSync(out, renderDoc({ resultsDir: join(options.scratch, 'results'), repos: REPOS, previous: existsSync(out) ? readFileSync(out, 'utf8') : '', machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30) } }));
    console.log(`wrote ${out}`);
  }
}

await main();
