// Benchmark: the cost of the postTasksExecution hook that records a run, called in-process on
// the built plugin (plugins/nx/dist) with synthetic Nx contexts of 100 and 5,000 task results.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { seededRandom } from '../synth/synth.mjs';
import {
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatBytes,
  formatMs,
  formatRatio,
  makeTempDir,
  progress,
  removeTempDir,
  repoRequire,
  result,
  timeProcess,
  timeRuns,
  summarize,
  timingRow,
} from './lib.mjs';

export const id = 'hook';
export const GOAL_MS = 20;
const SIZES = [100, 5000];
const PLUGIN_PATH = join(REPO_ROOT, 'plugins/nx/dist/index.js');
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');
const TARGETS = ['build', 'test', 'lint', 'typecheck'];
const STATUSES = [
  ['success', 0.6],
  ['local-cache', 0.3],
  ['remote-cache', 0.04],
  ['failure', 0.03],
  ['skipped', 0.03],
];

function pick(random, weighted) {
  let r = random();
  for (const [value, weight] of weighted) {
    if ((r -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

/** A context like the one Nx passes to postTasksExecution, with `count` distinct tasks. */
export function syntheticContext(count, workspaceRoot, seed = 42) {
  const random = seededRandom(seed);
  const startTime = Date.now() - 10 * 60 * 1000;
  const taskResults = {};
  let clock = startTime;
  for (let i = 0; i < count; i++) {
    const project = `${i % 10 < 7 ? 'lib' : 'app'}-${Math.floor(i / TARGETS.length).toString(36).padStart(3, '0')}`;
    const target = TARGETS[i % TARGETS.length];
    const configuration = target === 'build' && project.startsWith('app') ? 'production' : undefined;
    const taskId = configuration ? `${project}:${target}:${configuration}` : `${project}:${target}`;
    const status = pick(random, STATUSES);
    const duration = status.endsWith('cache') ? Math.floor(random() * 40) : Math.floor(200 + random() * 20_000);
    const taskStart = clock + Math.floor(random() * 50);
    clock += Math.floor(random() * 100);
    taskResults[taskId] = {
      task: {
        id: taskId,
        target: configuration ? { project, target, configuration } : { project, target },
        hash: String(Math.floor(random() * 9e18) + 1e18),
        startTime: taskStart,
        endTime: taskStart + duration,
      },
      status,
      code: status === 'failure' ? 1 : 0,
    };
  }
  return {
    id: `bench-${count}`,
    workspaceRoot,
    taskResults,
    argv: [process.execPath, join(workspaceRoot, 'node_modules/.bin/nx'), 'run-many', '-t', 'build', 'test'],
    startTime,
    endTime: clock + 21_000,
  };
}

function historyBytes(workspaceRoot) {
  const dir = join(workspaceRoot, '.sixty', 'runs');
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

export async function run({ quick }) {
  const runs = quick ? 5 : 30;
  const warmup = quick ? 2 : 5;
  const plugin = repoRequire(PLUGIN_PATH);
  const core = repoRequire(CORE_PATH);
  const options = { budgetSeconds: 60 };
  const rows = [];
  const breakdownRows = [];
  const sizeRows = [];
  const figures = {};
  const notes = [];

  for (const size of SIZES) {
    const workspaceRoot = makeTempDir(`hook-${size}`);
    try {
      const context = syntheticContext(size, workspaceRoot);
      let call = 0;
      progress(`hook: postTasksExecution with ${size} task results, ${warmup} warm-up + ${runs} runs`);
      const summary = await timeRuns(() => plugin.postTasksExecution(options, context), {
        runs,
        warmup,
        before: () => {
          context.id = `bench-${size}-${call++}`; // one invocation id per call, as from nx
        },
      });
      const written = historyBytes(workspaceRoot);
      const lines = warmup + runs;
      figures[size] = summary;
      rows.push(timingRow(`postTasksExecution, ${size.toLocaleString('en-US')} task results`, summary));
      result(`hook  ${String(size).padStart(5)} results  ${describeSummary(summary)}`);

      // where the time goes: the same work, step by step, through the core bundle
      const record = core.recordFromTaskResults(context, '22.7.12', Date.now());
      const line = JSON.stringify(record);
      const lineBytes = Buffer.byteLength(line) + 1;
      sizeRows.push([
        `${size.toLocaleString('en-US')} task results`,
        formatBytes(lineBytes),
        `${Math.round(lineBytes / size)} B`,
        `${formatBytes(Math.round(written / lines))} (${lines} lines)`,
      ]);
      result(`hook  ${String(size).padStart(5)} results  record line ${formatBytes(lineBytes)} (${Math.round(lineBytes / size)} B per task)`);

      const steps = [
        ['recordFromTaskResults', () => core.recordFromTaskResults(context, '22.7.12', Date.now())],
        ['JSON.stringify(record)', () => JSON.stringify(record)],
        ['appendRun (write + prune)', () => core.appendRun(join(workspaceRoot, '.sixty'), record)],
        ['pruneHistory alone', () => core.pruneHistory(join(workspaceRoot, '.sixty'), core.DEFAULT_RETENTION)],
      ];
      for (const [label, fn] of steps) {
        const step = await timeRuns(fn, { runs, warmup });
        breakdownRows.push(timingRow(`${size.toLocaleString('en-US')}: ${label}`, step));
        result(`hook  ${String(size).padStart(5)} results  ${label}: ${describeSummary(step)}`);
      }
    } finally {
      removeTempDir(workspaceRoot);
    }
  }

  // the call that prints the budget line: one executed task over its budget, so the hook also
  // reads the history for its p90 and looks for the nx process that owns the run (a /proc scan
  // that finds none here, as in the daemon's worst case); the terminal write itself is stubbed out
  {
    const workspaceRoot = makeTempDir('hook-announce');
    try {
      const context = syntheticContext(100, workspaceRoot);
      const over = Object.values(context.taskResults).find((item) => item.status === 'success' && !item.task.target.configuration);
      const announceOptions = { ...options, budgets: { [over.task.id]: 0.001 } };
      let call = 0;
      let printed = '';
      const write = process.stderr.write;
      progress(`hook: postTasksExecution with 100 task results, ${over.task.id} over its budget, ${warmup} warm-up + ${runs} runs`);
      process.stderr.write = (text) => {
        printed += String(text);
        return true;
      };
      let summary;
      try {
        summary = await timeRuns(() => plugin.postTasksExecution(announceOptions, context), {
          runs,
          warmup,
          before: () => {
            context.id = `bench-announce-${call++}`;
          },
        });
      } finally {
        process.stderr.write = write;
      }
      if (!printed.includes(`[sixty] over budget: ${over.task.id}`)) throw new Error('the hook did not print the budget line');
      figures.announce = summary;
      rows.push(timingRow('postTasksExecution, 100 task results, one over budget (prints the budget line)', summary));
      result(`hook    100 results, one over budget (budget line)  ${describeSummary(summary)}`);
    } finally {
      removeTempDir(workspaceRoot);
    }
  }

  // what loading the plugin bundle costs a fresh process (nx loads it in each invocation)
  progress('hook: plugin bundle load time in a fresh node process, 1 warm-up + 5 runs');
  const loadScript = `const { performance } = require('node:perf_hooks'); const t = performance.now(); require(${JSON.stringify(PLUGIN_PATH)}); process.stdout.write(String(performance.now() - t));`;
  const loadSamples = [];
  for (let i = 0; i < 6; i++) {
    const { stdout } = timeProcess(process.execPath, ['-e', loadScript], { cwd: REPO_ROOT });
    if (i > 0) loadSamples.push(Number(stdout));
  }
  const load = summarize(loadSamples);
  result(`hook  plugin bundle require() in a fresh process  ${describeSummary(load)}`);
  rows.push(timingRow('require(plugins/nx/dist/index.js), fresh process', load));

  // SIXTY_BENCH_HOOK_BASELINE=<another build's plugins/nx/dist/index.js>: that plugin and this one
  // take turns on the same 5,000-result context (each with its own history), so what a change to
  // the hook costs shows as a pair-by-pair ratio that the machine's load does not move
  const baselinePath = process.env.SIXTY_BENCH_HOOK_BASELINE;
  if (baselinePath) {
    const baseline = repoRequire(resolve(baselinePath));
    const roots = { base: makeTempDir('hook-ab-base'), now: makeTempDir('hook-ab-now') };
    try {
      const contexts = { base: syntheticContext(5000, roots.base), now: syntheticContext(5000, roots.now) };
      const plugins = { base: baseline, now: plugin };
      const samples = { base: [], now: [] };
      const ratios = [];
      progress(`hook: A/B against ${baselinePath}, 5,000 results, ${warmup} warm-up + ${runs} pairs`);
      for (let i = -warmup; i < runs; i++) {
        const pair = {};
        for (const side of i % 2 ? ['now', 'base'] : ['base', 'now']) {
          contexts[side].id = `bench-ab-${side}-${i}`;
          const start = performance.now();
          await plugins[side].postTasksExecution(options, contexts[side]);
          pair[side] = performance.now() - start;
        }
        if (i < 0) continue;
        samples.base.push(pair.base);
        samples.now.push(pair.now);
        ratios.push(pair.now / pair.base);
      }
      const ratio = summarize(ratios);
      result(`hook   5000 results  baseline ${describeSummary(summarize(samples.base))}`);
      result(`hook   5000 results  this build ${describeSummary(summarize(samples.now))}`);
      result(`hook   5000 results  this build / baseline, pair by pair ${describeSummary(ratio, formatRatio)}`);
      rows.push(timingRow(`postTasksExecution, 5,000 task results, baseline plugin (${baselinePath})`, summarize(samples.base)));
      rows.push(timingRow('postTasksExecution, 5,000 task results, this build, alternating with the baseline', summarize(samples.now)));
      rows.push(timingRow('this build / baseline, pair by pair', ratio, formatRatio));
    } finally {
      removeTempDir(roots.base);
      removeTempDir(roots.now);
    }
  }

  const big = figures[5000];
  const met = big.median < GOAL_MS;
  if (!met) notes.push(`5,000 results take ${formatMs(big.median)}, over the ${GOAL_MS} ms goal; see the step-by-step table.`);
  return {
    id,
    title: 'Hook cost (postTasksExecution)',
    about: [
      'The built plugin (`plugins/nx/dist/index.js`) is loaded in-process and its `postTasksExecution(options, context)` ' +
        'is called with a synthetic Nx context: distinct tasks over four targets, a realistic mix of statuses ' +
        '(60% executed, 34% restored from cache, 3% failed, 3% skipped), numeric hashes, start/end times. Each call ' +
        'appends one JSONL line to a temporary history directory and checks retention, exactly as in an nx run; the ' +
        'history file grows by one line per call. One more row gives one executed task a 1 ms budget: that call also ' +
        'reads the history for the p90 and looks in /proc for the nx process that owns the run, then prints the budget line ' +
        '(written to a stub, not a terminal).',
    ],
    setup: [`${warmup} warm-up calls, then ${runs} timed calls per size`, `plugin options: \`${JSON.stringify(options)}\``],
    tables: [
      { title: 'Whole hook call', columns: TIMING_COLUMNS, rows },
      { title: 'Step by step (core bundle, same context)', columns: TIMING_COLUMNS, rows: breakdownRows },
      {
        title: 'Record line written per invocation',
        columns: [{ title: 'Context' }, { title: 'Line size', right: true }, { title: 'Per task', right: true }, { title: 'Average line on disk', right: true }],
        rows: sizeRows,
      },
    ],
    goal: {
      text: `5,000 task results recorded in under ${GOAL_MS} ms`,
      figure: `${formatMs(big.median)} median for 5,000 results (${formatMs(figures[100].median)} for 100)`,
      met,
    },
    notes,
  };
}
