#!/usr/bin/env node
// npm run bench [-- --quick] [-- --only hook|report|reportwall|runmany|analysis|imports|planners|createnodes|check|selection|prediction|shardcost[,...]] [-- --pairs N] [-- --out FILE] [-- --no-write]
//
// Runs sixty's benchmarks on the built packages (node tools/build.mjs first), prints each figure
// as it is measured (progress on stderr, results on stdout) and writes docs/BENCHMARKS.md.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import * as analysis from './analysis.mjs';
import * as checkOverhead from './check-overhead.mjs';
import * as checkSelection from './check-selection.mjs';
import * as createNodes from './create-nodes.mjs';
import * as hookCost from './hook-cost.mjs';
import * as importGraph from './import-graph.mjs';
import {
  REPO_ROOT,
  cleanupTempDirs,
  machineInfo,
  progress,
  renderMarkdown,
  result,
  verdict,
  writeMarkdown,
} from './lib.mjs';
import * as planners from './planners.mjs';
import * as prediction from './prediction.mjs';
import * as reportHistory from './report-history.mjs';
import * as reportWall from './report-wall.mjs';
import * as runManyOverhead from './run-many-overhead.mjs';
import * as shardCost from './shard-cost.mjs';

const BENCHMARKS = [hookCost, reportHistory, reportWall, runManyOverhead, analysis, importGraph, planners, createNodes, checkOverhead, checkSelection, prediction, shardCost];
const DEFAULT_OUT = join(REPO_ROOT, 'docs', 'BENCHMARKS.md');

const HELP = `Usage: npm run bench [-- options]

Measures sixty on this machine and writes docs/BENCHMARKS.md:
  hook     the nx postTasksExecution hook with 100 and 5,000 task results (goal: 5,000 under 20 ms)
  report   sixty report --json over 100,000 history records (goal: under 1 s)
  runmany  nx run-many on 200 projects with the plugin vs without (goal: ratio <= 1.03)
  analysis analyzeGraph on a synthetic 10,000-task graph (goal: under 100 ms)
  imports  readImportGraph vs madge and dependency-cruiser on 1,000 and 10,000 TS files and a real library (goal: 10,000 under 1 s, 10x madge; the library under 200 ms)
  planners planSplit on 5,000 files and planShards quality (goal: under 2 s; largest shard / even share <= 1.05)
  createnodes nx show projects on 1,000 projects with the plugin's shard targets vs without (goal: ratio < 1.05)
  reportwall sixty report vs nx show projects, 40 projects (goal: ratio < 1.2)
  check    sixty check vs the bare nx affected it runs, 200 projects (goal: under 300 ms more)
  selection sixty check (test selection) vs nx affected -t build,test on random one-file changes (goal: 0 missed failures, p90 3x lower)
  prediction sixty's predicted run-many wall time vs measured at --parallel 1, 2, 4 (goal: within 15%)
  shardcost the shard cost model: each shard's estimate after one calibration run vs its measured time
           (goal: within 25%; the shards' machine time at most 1.3x the unsharded run)

  --quick          fewer runs (a quick look; the spread is wider)
  --only NAMES     run only these benchmarks, comma-separated (hook, report, reportwall,
                   runmany, analysis, imports, planners, createnodes, check, selection, prediction, shardcost);
                   docs/BENCHMARKS.md is then left as it is unless --out is given
  --pairs N        A/B pairs for runmany (default 4, 1 with --quick), createnodes
                   (default 5, 3), reportwall (default 10, 3) and check (default 8, 3)
  --out FILE       write the Markdown here instead of docs/BENCHMARKS.md
  --no-write       print the figures only
  -h, --help       this help

SIXTY_BENCH_HOOK_BASELINE=<another checkout>/plugins/nx/dist/index.js adds to hook an A/B of that
build's plugin against this one (5,000 results, alternating, pair-by-pair ratio).

Needs the built packages: run \`npm run build\` first.
`;

function fail(message) {
  process.stderr.write(`bench: ${message}\n\n${HELP}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      pairs: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

const known = BENCHMARKS.map((b) => b.id);
const only = values.only === undefined ? known : values.only.split(',').map((s) => s.trim()).filter(Boolean);
for (const name of only) {
  if (!known.includes(name)) fail(`unknown benchmark "${name}" in --only; expected ${known.join(', ')}`);
}
let pairs;
if (values.pairs !== undefined) {
  pairs = Number(values.pairs);
  if (!Number.isInteger(pairs) || pairs < 1) fail(`--pairs must be a whole number of at least 1, got "${values.pairs}"`);
}
const outPath = values['no-write'] ? undefined : values.out ? resolve(values.out) : values.only === undefined ? DEFAULT_OUT : undefined;

for (const built of ['plugins/nx/dist/index.js', 'packages/core/dist/index.js', 'packages/cli/dist/cli.js']) {
  if (!existsSync(join(REPO_ROOT, built))) fail(`${built} is missing: run \`npm run build\` first`);
}

const machine = machineInfo();
const started = performance.now();
progress(`machine: ${machine.cpuModel}, ${machine.cpuCount} CPUs, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}, Nx ${machine.nx}`);
progress(`running: ${only.join(', ')}${values.quick ? ' (quick)' : ''}`);

const sections = [];
let failed = 0;
for (const bench of BENCHMARKS) {
  if (!only.includes(bench.id)) continue;
  const benchStart = performance.now();
  const loadBefore = os.loadavg()[0];
  try {
    const section = await bench.run({ quick: values.quick, pairs });
    section.load = { before: loadBefore, after: os.loadavg()[0] };
    sections.push(section);
    progress(`${bench.id}: done in ${((performance.now() - benchStart) / 1000).toFixed(1)} s`);
  } catch (error) {
    failed++;
    process.stderr.write(`[bench] ${bench.id} failed: ${error.stack ?? error.message}\n`);
  }
}
cleanupTempDirs();
const totalSeconds = (performance.now() - started) / 1000;

result('');
result('summary');
for (const s of sections) {
  result(`  ${verdict(s.goal.met).toUpperCase().padEnd(12)}  ${s.title}: ${s.goal.figure} (goal: ${s.goal.text})`);
}
result(`  total bench time ${totalSeconds.toFixed(0)} s`);

if (failed > 0) {
  process.stderr.write(`[bench] ${failed} benchmark(s) failed; ${outPath ? `${relative(process.cwd(), outPath)} not written` : 'nothing written'}\n`);
  process.exit(1);
}
if (outPath) {
  const markdown = renderMarkdown({
    machine,
    date: new Date().toISOString().slice(0, 10),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    quick: values.quick,
    totalSeconds,
    sections,
  });
  writeMarkdown(outPath, markdown);
  progress(`wrote ${relative(process.cwd(), outPath) || outPath}`);
}
