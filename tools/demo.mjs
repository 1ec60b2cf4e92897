#!/usr/bin/env node
// npm run demo [-- --keep] : the whole sixty loop on a synthetic workspace, in a temp dir.
// Later issues extend it (plan, apply, re-run); today: record two nx runs and report them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorkspace, REPO_ROOT } from './synth/synth.mjs';

const keep = process.argv.includes('--keep');
// A demo must be quick: a 3 s budget stands in for the real 60 s, and one target breaks it.
const BUDGET_SECONDS = 3;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };

function step(title) {
  process.stdout.write(`\n== ${title}\n`);
}

function run(cwd, command, args, { show = false } = {}) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [command, ...args], { cwd, env, encoding: 'utf8' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (show || result.status !== 0) process.stdout.write(result.stdout + result.stderr);
  if (result.status !== 0) {
    console.error(`demo: ${args.join(' ')} exited ${result.status}`);
    process.exit(1);
  }
  return seconds;
}

const parent = mkdtempSync(join(tmpdir(), 'sixty-demo-'));
const root = join(parent, 'workspace');
try {
  step('1. a synthetic Nx workspace: 12 projects that import each other; lib-c:test takes ~4 s');
  const { projects } = generateWorkspace({ out: root, projects: 12, files: 4, seed: 7, durations: ['lib-c:test=4', 'lib-f:build=1.2'] });
  console.log(`${projects.length} projects in ${root}, @sixty/nx registered by \`sixty init\``);

  const nxBin = join(root, 'node_modules/nx/dist/bin/nx.js');
  step('2. nx run-many -t build test   (first run: every task executes, the plugin records it)');
  console.log(`done in ${run(root, nxBin, ['run-many', '-t', 'build', 'test'])} s`);

  step('3. nx run-many -t build test   (second run: every task from the Nx cache)');
  console.log(`done in ${run(root, nxBin, ['run-many', '-t', 'build', 'test'])} s`);

  step(`4. sixty report --budget ${BUDGET_SECONDS}`);
  run(root, join(REPO_ROOT, 'packages/cli/bin/sixty.js'), ['report', '--budget', String(BUDGET_SECONDS)], { show: true });
} finally {
  if (keep) console.log(`\nkept the workspace: ${root}`);
  else rmSync(parent, { recursive: true, force: true });
}
