// Benchmark: the shard cost model against real shard runs. A one-project synthetic workspace
// whose vitest target has a real per-process fixed cost (a global setup that takes FIXED_MS, on
// top of vitest's own start-up) and test files that sleep for known times runs unsharded once;
// `sixty baseline`, `sixty plan` and `sixty apply` make shards from that run (fixed cost: its
// wall time minus its files); the shards run once (the calibration run), `sixty baseline`
// recalibrates, and `sixty report --json` gives each shard's estimate. The shards then run
// again, and each shard's measured time is compared with the estimate made before that run.
// Shards run one at a time (--parallel=1), as CI jobs on machines of their own would.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace } from '../synth/synth.mjs';
import { NX_ENV, REPO_ROOT, formatMs, makeTempDir, nxBin, progress, recordedRuns, removeTempDir, result, timeProcess } from './lib.mjs';

export const id = 'shardcost';
/** Goals: estimated vs measured shard time within 25%; machine time of all shards at most 1.3x the unsharded run. */
export const GOAL_ERROR = 0.25;
export const GOAL_MACHINE_RATIO = 1.3;
const PROJECT = 'lib-a';
const FILES = 12;
const FILES_SECONDS = 40;
const FIXED_MS = 2000;
const BUDGET_SECONDS = 20;
const CLI = join(REPO_ROOT, 'packages/cli/bin/sixty.js');

const percent = (error) => `${error >= 0 ? '+' : ''}${(error * 100).toFixed(1)}%`;

export async function run() {
  const env = { ...process.env, ...NX_ENV };
  const workspace = makeTempDir('shardcost');
  try {
    progress(`shardcost: generating a workspace: ${PROJECT}:test, ${FILES} vitest files sleeping ${FILES_SECONDS} s in all, a ${FIXED_MS} ms global setup, budget ${BUDGET_SECONDS} s`);
    generateWorkspace({ out: workspace, projects: 1, files: FILES, seed: 5, runner: 'vitest', durations: [`${PROJECT}:test=${FILES_SECONDS}`], budgetSeconds: BUDGET_SECONDS, git: false, init: true });
    const root = join(workspace, 'libs', PROJECT);
    if (!existsSync(root)) throw new Error(`the synthetic workspace has no ${root}`);
    // the per-process fixed cost: vitest runs a global setup once per process, before any file
    writeFileSync(join(root, 'global-setup.mjs'), `const cell = new Int32Array(new SharedArrayBuffer(4));\nexport default function setup() {\n  Atomics.wait(cell, 0, 0, ${FIXED_MS});\n}\n`);
    writeFileSync(join(root, 'vitest.config.mjs'), "export default { test: { globalSetup: ['./global-setup.mjs'] } };\n");
    const nx = nxBin(workspace);
    const runNx = (args) => timeProcess(process.execPath, [nx.bin, ...args], { cwd: workspace, env });
    const sixty = (args, okCodes = [0]) => timeProcess(process.execPath, [CLI, ...args], { cwd: workspace, env, okCodes });
    const lastRunTasks = () => recordedRuns(workspace).at(-1)?.tasks ?? [];
    const durationOf = (task) => task.endMs - task.startMs;

    progress(`shardcost: the unsharded run, nx run ${PROJECT}:test --skip-nx-cache`);
    runNx(['run', `${PROJECT}:test`, '--skip-nx-cache']);
    const unsharded = lastRunTasks().find((task) => task.id === `${PROJECT}:test`);
    if (!unsharded || unsharded.status !== 'success') throw new Error('the unsharded run was not recorded as a success');
    const unshardedMs = durationOf(unsharded);

    sixty(['baseline']);
    const planned = JSON.parse(sixty(['plan', `${PROJECT}:test`, '--json']).stdout);
    sixty(['apply', planned.planFile]);
    const shardCount = planned.plan.shards.length;
    result(`shardcost  unsharded ${formatMs(unshardedMs)}; planned ${shardCount} shards: ${planned.plan.shards.map((s) => formatMs(s.estimatedMs)).join(', ')} (est.)`);

    const runSharded = (label) => {
      progress(`shardcost: ${label}, nx run ${PROJECT}:test--sharded --parallel=1 --skip-nx-cache`);
      runNx(['run', `${PROJECT}:test--sharded`, '--parallel=1', '--skip-nx-cache']);
      const shards = lastRunTasks().filter((task) => /--shard-\d+-of-\d+$/.test(task.id));
      if (shards.length !== shardCount || shards.some((task) => task.status !== 'success')) throw new Error(`${label}: expected ${shardCount} successful shards, got ${shards.length}`);
      return new Map(shards.map((task) => [task.id, durationOf(task)]));
    };
    const firstEstimates = new Map(planned.plan.shards.map((shard) => [`${PROJECT}:test--${shard.name}`, shard.estimatedMs]));
    const calibration = runSharded('the calibration run');
    sixty(['baseline']);
    const report = JSON.parse(sixty(['report', '--json', '--no-graph']).stdout);
    const target = (report.shardEstimates ?? []).find((entry) => entry.task === `${PROJECT}:test`);
    if (!target) throw new Error('sixty report --json has no shardEstimates for the sharded target');
    const estimates = new Map(target.shards.map((shard) => [shard.task, shard.estimatedMs]));
    const second = runSharded('the run after calibration');

    const rows = [...second.keys()].sort().map((task) => {
      const measured = second.get(task);
      const before = firstEstimates.get(task);
      const after = estimates.get(task);
      return { task, before, first: calibration.get(task), after, measured, errorBefore: (measured - before) / before, errorAfter: (measured - after) / after };
    });
    for (const row of rows) {
      result(`shardcost  ${row.task}: est. before calibration ${formatMs(row.before)} (${percent(row.errorBefore)}), after ${formatMs(row.after)} (${percent(row.errorAfter)}), measured ${formatMs(row.measured)}`);
    }
    const worst = rows.reduce((a, b) => (Math.abs(b.errorAfter) > Math.abs(a.errorAfter) ? b : a));
    const machineMs = [...second.values()].reduce((sum, ms) => sum + ms, 0);
    const ratio = machineMs / unshardedMs;
    const fixedShare = target.fixedMs / unshardedMs;
    result(`shardcost  model: fixed ${formatMs(target.fixedMs)} + ${target.perFileScale.toFixed(2)} x files; machine time of the shards ${formatMs(machineMs)} = ${ratio.toFixed(2)}x the unsharded ${formatMs(unshardedMs)}`);
    const met = Math.abs(worst.errorAfter) <= GOAL_ERROR && (fixedShare >= 0.1 || ratio <= GOAL_MACHINE_RATIO);
    return {
      id,
      title: 'Shard cost model: estimated vs measured shard time',
      about: [
        `A one-project synthetic workspace (tools/synth, plugin registered, budget ${BUDGET_SECONDS} s): \`${PROJECT}:test\` runs vitest over ${FILES} files that ` +
          `sleep ${FILES_SECONDS} s in all, with a global setup of ${FIXED_MS} ms (a real per-process fixed cost, on top of vitest's own start-up). ` +
          'It runs unsharded once; `sixty baseline`, `sixty plan` and `sixty apply` shard it (the fixed cost learned as that run\'s wall time minus its files); ' +
          'the shards run once (calibration, `--parallel=1`: each shard alone, as a CI job would be), `sixty baseline` recalibrates, `sixty report --json` gives ' +
          'each shard\'s estimate, and the shards run again: the error is that run\'s measured shard time against the estimate made before it.',
      ],
      setup: [`nx ${nx.version}; vitest from the repository; shard durations from the runs the plugin recorded (task start to end)`],
      tables: [
        {
          title: 'Per shard',
          columns: [
            { title: 'Shard' },
            { title: 'Est. before calibration', right: true },
            { title: 'Calibration run', right: true },
            { title: 'Est. after', right: true },
            { title: 'Measured', right: true },
            { title: 'Error after', right: true },
          ],
          rows: rows.map((row) => [row.task, `${formatMs(row.before)} (${percent(row.errorBefore)})`, formatMs(row.first), formatMs(row.after), formatMs(row.measured), percent(row.errorAfter)]),
        },
      ],
      goal: {
        text: `each shard's estimate after one calibration run within ${GOAL_ERROR * 100}% of its measured time; the shards' machine time at most ${GOAL_MACHINE_RATIO}x the unsharded run (fixed cost under a tenth of it)`,
        figure: `worst error ${percent(worst.errorAfter)} (${worst.task}); machine time ${ratio.toFixed(2)}x (${shardCount} shards, fixed cost ${formatMs(target.fixedMs)} = ${(fixedShare * 100).toFixed(0)}% of the unsharded ${formatMs(unshardedMs)})`,
        met,
      },
      notes: [
        `Model after calibration: fixed ${formatMs(target.fixedMs)} per shard + ${target.perFileScale.toFixed(2)} x the files' JUnit times (${target.modelSource}).`,
        'One run per measurement: the figures move with machine load (see the load column of the machine line).',
      ],
    };
  } finally {
    removeTempDir(workspace);
  }
}
