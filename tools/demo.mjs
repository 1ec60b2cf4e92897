#!/usr/bin/env node
// npm run demo [-- --keep] : the whole sixty loop on a synthetic workspace, in a temp dir:
// record, report, plan, apply, re-run, and a before/after table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorkspace, REPO_ROOT } from './synth/synth.mjs';

const keep = process.argv.includes('--keep');
// A demo must be quick: a 5 s budget stands in for the real 60 s. lib-c's tests and lib-f's
// build break it; everything else is well within.
const BUDGET_SECONDS = 5;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const SIXTY = join(REPO_ROOT, 'packages/cli/bin/sixty.js');

function step(title) {
  process.stdout.write(`\n== ${title}\n`);
}

function run(cwd, command, args, { show = false, allowFailure = false } = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [command, ...args], { cwd, env, encoding: 'utf8' });
  if (show || (result.status !== 0 && !allowFailure)) process.stdout.write(result.stdout + result.stderr);
  if (result.status !== 0 && !allowFailure) {
    console.error(`demo: ${args.join(' ')} exited ${result.status}`);
    process.exit(1);
  }
  return { seconds: ((Date.now() - started) / 1000).toFixed(1), stdout: result.stdout };
}

const fmt = (ms) => (ms === undefined ? '-' : ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`);

function reportJson(root, since) {
  const args = ['report', '--json', '--targets', 'build,test', ...(since ? ['--since', since] : [])];
  return JSON.parse(run(root, SIXTY, args).stdout);
}

/** A target's time after the change: its own p90, or the slowest of the parts it became. */
function afterMs(after, task, parts) {
  const rows = after.targets.filter((t) => t.task === task || parts.some((p) => t.task.startsWith(p)));
  return rows.length ? Math.max(...rows.map((t) => t.p90Ms)) : undefined;
}

const parent = mkdtempSync(join(tmpdir(), 'sixty-demo-'));
const root = join(parent, 'workspace');
try {
  step(`1. a synthetic Nx workspace: 10 projects that import each other, a ${BUDGET_SECONDS} s budget`);
  const { projects } = generateWorkspace({
    out: root,
    projects: 10,
    files: 4,
    seed: 7,
    budgetSeconds: BUDGET_SECONDS,
    durations: ['lib-c:test=12', 'lib-f:build=12'],
  });
  console.log(`${projects.length} projects in ${root}; lib-c:test takes ~12 s, lib-f:build ~12 s`);
  const nxBin = join(root, 'node_modules/nx/dist/bin/nx.js');

  step('2. nx run-many -t build test   (every task executes; the plugin records it)');
  console.log(`done in ${run(root, nxBin, ['run-many', '-t', 'build', 'test']).seconds} s`);
  step('   nx run-many -t build test   (again: every task from the Nx cache)');
  console.log(`done in ${run(root, nxBin, ['run-many', '-t', 'build', 'test']).seconds} s`);

  step('3. sixty report');
  run(root, SIXTY, ['report', '--targets', 'build,test'], { show: true });
  const before = reportJson(root);

  step('4. sixty plan lib-c:test   (a test target: shard its files)');
  run(root, SIXTY, ['plan', 'lib-c:test', '--out', 'lib-c-test.plan.json'], { show: true });
  step('   sixty apply lib-c-test.plan.json   (the shards go into sixty-timings.json; the plugin infers the targets)');
  run(root, SIXTY, ['apply', 'lib-c-test.plan.json'], { show: true });

  step('5. sixty plan lib-f:build   (a build: split the project)');
  run(root, SIXTY, ['plan', 'lib-f:build', '--out', 'lib-f-build.plan.json'], { show: true });
  step('   sixty apply lib-f-build.plan.json   (the @sixty/nx:decompose generator: new projects, moved files, a facade)');
  const applied = run(root, SIXTY, ['apply', 'lib-f-build.plan.json']);
  console.log(applied.stdout.split('\n').filter((l) => /^(CREATE|UPDATE|DELETE)/.test(l)).length + ' files written; ' + applied.stdout.trim().split('\n').at(-1));

  const since = new Date().toISOString();
  step('6. re-run as CI would: nx run-many -t build test--sharded, then test for the projects without shards');
  console.log(`done in ${run(root, nxBin, ['run-many', '-t', 'build', 'test--sharded', '--skip-nx-cache']).seconds} s`);
  console.log(`done in ${run(root, nxBin, ['run-many', '-t', 'test', '--exclude', 'lib-c', '--skip-nx-cache']).seconds} s`);
  const after = reportJson(root, since);

  step('7. before and after');
  const rows = [
    ['lib-c:test (p90)', before.targets.find((t) => t.task === 'lib-c:test')?.p90Ms, afterMs(after, 'lib-c:test--sharded', ['lib-c:test--shard-'])],
    ['lib-f:build (p90)', before.targets.find((t) => t.task === 'lib-f:build')?.p90Ms, afterMs(after, 'lib-f:build', ['lib-f-part-'])],
    ['targets over budget', before.targets.filter((t) => t.overBudget).length, after.targets.filter((t) => t.overBudget).length],
    ['critical path', before.criticalPath?.durationMs, after.criticalPath?.durationMs],
    ['predicted wall (--parallel 3)', before.simulation?.predictedWallMs, after.simulation?.predictedWallMs],
  ];
  for (const project of ['lib-c', 'lib-f']) {
    rows.push([`loop time of a change in ${project}`, before.loopTimes?.find((l) => l.project === project)?.ms, after.loopTimes?.find((l) => l.project === project)?.ms]);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`${'what'.padEnd(width)}  ${'before'.padStart(8)}  ${'after'.padStart(8)}`);
  for (const [what, b, a] of rows) {
    const show = (v) => (typeof v === 'number' && what.startsWith('targets') ? String(v) : fmt(v));
    console.log(`${what.padEnd(width)}  ${show(b).padStart(8)}  ${show(a).padStart(8)}`);
  }
} finally {
  if (keep) console.log(`\nkept the workspace: ${root}`);
  else rmSync(parent, { recursive: true, force: true });
}
