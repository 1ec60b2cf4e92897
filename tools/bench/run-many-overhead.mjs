// Benchmark: what registering the plugin adds to `nx run-many` wall time. Two synthetic
// workspaces are generated identically except that A registers @sixty/nx (sixty init) and B
// does not; `nx run-many -t build --skip-nx-cache` then runs in them alternately, A B A B ...,
// and the overhead is the median of the pair-by-pair ratios A/B.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace } from '../synth/synth.mjs';
import {
  NX_ENV,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  formatRatio,
  makeTempDir,
  median,
  nxBin,
  progress,
  removeTempDir,
  result,
  summarize,
  timeProcess,
  timingRow,
} from './lib.mjs';

export const id = 'runmany';
export const GOAL_RATIO = 1.03;
/** Pair ratios spread wider than this (max/min) make the wall figure inconclusive. */
const MAX_RATIO_SPREAD = 1.15;
const PROJECTS = 200;
const FILES = 2;
const SEED = 1;
const TARGETS = ['build'];

function nxArgs(workspace, extra = []) {
  return [nxBin(workspace).bin, 'run-many', '-t', ...TARGETS, '--skip-nx-cache', ...extra];
}

/** The warm-up: one project only, enough to compute and cache nx's project graph and load every plugin. */
const WARMUP_ARGS = ['-p', 'lib-a'];

function recordedRuns(workspace) {
  const dir = join(workspace, '.sixty', 'runs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line)),
  );
}

export async function run({ quick, pairs: pairsOption }) {
  const pairs = pairsOption ?? (quick ? 1 : 4);
  const env = { ...process.env, ...NX_ENV };
  const a = makeTempDir('runmany-plugin');
  const b = makeTempDir('runmany-plain');
  try {
    progress(`runmany: generating two ${PROJECTS}-project workspaces (seed ${SEED}, ${FILES} files per project)`);
    generateWorkspace({ out: a, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: true });
    generateWorkspace({ out: b, projects: PROJECTS, files: FILES, seed: SEED, init: false, git: true });
    if (!readFileSync(join(a, 'nx.json'), 'utf8').includes('@sixty/nx')) throw new Error('workspace A does not register @sixty/nx');
    if (readFileSync(join(b, 'nx.json'), 'utf8').includes('@sixty/nx')) throw new Error('workspace B registers @sixty/nx');

    const timeNx = (workspace, label, extra) => {
      const { ms, cpuMs } = timeProcess(process.execPath, nxArgs(workspace, extra), { cwd: workspace, env, cpu: true });
      progress(`runmany: ${label} ${formatMs(ms)} wall${cpuMs === undefined ? '' : `, ${formatMs(cpuMs)} CPU`}`);
      return { ms, cpuMs };
    };
    progress(`runmany: warm-up, \`${WARMUP_ARGS.join(' ')}\` in each workspace (not counted)`);
    const warmA = timeNx(a, 'warm-up A (plugin)', WARMUP_ARGS);
    const warmB = timeNx(b, 'warm-up B (no plugin)', WARMUP_ARGS);

    const samplesA = [];
    const samplesB = [];
    const ratios = [];
    const cpuA = [];
    const cpuB = [];
    const cpuRatios = [];
    for (let i = 0; i < pairs; i++) {
      progress(`runmany: pair ${i + 1} of ${pairs}`);
      const runA = timeNx(a, `pair ${i + 1} A (plugin)`);
      const runB = timeNx(b, `pair ${i + 1} B (no plugin)`);
      samplesA.push(runA.ms);
      samplesB.push(runB.ms);
      ratios.push(runA.ms / runB.ms);
      let cpuText = '';
      if (runA.cpuMs !== undefined && runB.cpuMs !== undefined) {
        cpuA.push(runA.cpuMs);
        cpuB.push(runB.cpuMs);
        cpuRatios.push(runA.cpuMs / runB.cpuMs);
        cpuText = `  CPU A ${formatMs(runA.cpuMs)}  B ${formatMs(runB.cpuMs)}  A/B ${formatRatio(runA.cpuMs / runB.cpuMs)}`;
      }
      result(`runmany  pair ${i + 1}: wall A ${formatMs(runA.ms)}  B ${formatMs(runB.ms)}  A/B ${formatRatio(runA.ms / runB.ms)}${cpuText}`);
    }

    // the plugin must have recorded every run in A (warm-up included), and nothing in B
    const runsA = recordedRuns(a);
    const expectedTasks = PROJECTS * TARGETS.length;
    const fullRuns = runsA.filter((r) => r.tasks.length === expectedTasks).length;
    if (runsA.length !== pairs + 1 || fullRuns !== pairs) {
      throw new Error(`workspace A recorded ${runsA.length} runs (${runsA.map((r) => r.tasks.length).join(', ')} tasks); expected the warm-up and ${pairs} runs of ${expectedTasks}`);
    }
    if (existsSync(join(b, '.sixty'))) throw new Error('workspace B has a .sixty history without the plugin');

    const summaryA = summarize(samplesA);
    const summaryB = summarize(samplesB);
    const ratio = summarize(ratios);
    const hasCpu = cpuRatios.length === pairs;
    const cpuRatio = hasCpu ? summarize(cpuRatios) : undefined;
    const describeRatio = (r) => `median ${formatRatio(r.median)} (min ${formatRatio(r.min)}, max ${formatRatio(r.max)}, n=${r.n})`;
    result(`runmany  A, plugin registered      wall ${describeSummary(summaryA)}`);
    result(`runmany  B, plugin not registered  wall ${describeSummary(summaryB)}`);
    result(`runmany  A/B wall, pair by pair  ${describeRatio(ratio)}`);
    if (cpuRatio) result(`runmany  A/B CPU, pair by pair   ${describeRatio(cpuRatio)}`);

    // a pair-to-pair spread far wider than the 3% being tested says the machine, not the plugin, set the figure
    const spread = ratio.max / ratio.min;
    const conclusive = spread <= MAX_RATIO_SPREAD;
    const met = conclusive ? ratio.median <= GOAL_RATIO : null;
    const notes = [
      `Warm-up runs (\`${WARMUP_ARGS.join(' ')}\`, not counted): A ${formatMs(warmA.ms)}, B ${formatMs(warmB.ms)} wall.`,
      `Check: A's history holds the warm-up and ${fullRuns} runs of ${expectedTasks} tasks, one per timed run; B has none.`,
      `Difference of the wall medians: ${formatMs(summaryA.median - summaryB.median)} per run of ${expectedTasks} tasks.`,
    ];
    if (!conclusive) {
      notes.push(
        `Inconclusive: the wall ratios of the pairs span ${formatRatio(ratio.min)} to ${formatRatio(ratio.max)}, far wider than the ` +
          `${Math.round((GOAL_RATIO - 1) * 100)}% being tested, so other load on the machine set them` +
          (cpuRatio ? `; the CPU ratio (${formatRatio(cpuRatio.min)} to ${formatRatio(cpuRatio.max)}, median ${formatRatio(cpuRatio.median)}) is the usable figure.` : '.') +
          ' Run `npm run bench -- --only runmany` on a quiet machine for a wall figure.',
      );
    }
    if (pairs < 3) notes.push(`Only ${pairs} pair(s): the ratio is indicative, not a measurement.`);
    if (met === false) notes.push(`The median wall ratio ${formatRatio(ratio.median)} is over the ${GOAL_RATIO} goal.`);

    const timeRows = [timingRow('A: plugin registered, wall', summaryA), timingRow('B: plugin not registered, wall', summaryB)];
    if (hasCpu) {
      timeRows.push(timingRow('A: plugin registered, CPU (user+sys)', summarize(cpuA)));
      timeRows.push(timingRow('B: plugin not registered, CPU (user+sys)', summarize(cpuB)));
    }
    const pairColumns = [{ title: 'Pair' }, { title: 'A wall', right: true }, { title: 'B wall', right: true }, { title: 'A/B wall', right: true }];
    if (hasCpu) pairColumns.push({ title: 'A CPU', right: true }, { title: 'B CPU', right: true }, { title: 'A/B CPU', right: true });
    const pairRow = (label, i) => {
      const row = [label, formatMs(samplesA[i]), formatMs(samplesB[i]), formatRatio(ratios[i])];
      if (hasCpu) row.push(formatMs(cpuA[i]), formatMs(cpuB[i]), formatRatio(cpuRatios[i]));
      return row;
    };
    const medianRow = ['median', formatMs(summaryA.median), formatMs(summaryB.median), formatRatio(ratio.median)];
    if (hasCpu) medianRow.push(formatMs(median(cpuA)), formatMs(median(cpuB)), formatRatio(cpuRatio.median));

    return {
      id,
      title: `nx run-many overhead, ${PROJECTS} projects`,
      about: [
        `Two synthetic workspaces (tools/synth, ${PROJECTS} projects, ${FILES} files per project, seed ${SEED}, default ` +
          'target durations, a git repository each) are generated identically, except that A registers the plugin ' +
          '(`sixty init`) and B does not. Each gets one warm-up run on a single project (`' + WARMUP_ARGS.join(' ') + '`: nx ' +
          'computes and caches its project graph and loads every plugin), then `nx run-many -t build --skip-nx-cache` runs ' +
          `alternately A B A B ... for ${pairs} pair(s); every run is timed as a whole process, spawn to exit. ` +
          'The overhead figure is the median of the per-pair ratios A/B, so drift between pairs cancels out. ' +
          (hasCpu
            ? 'Beside wall time, each run\'s CPU time (user + system of nx and every task process it waited for, from ' +
              'the shell\'s `times`) is given, because other load on the machine moves it far less than wall time.'
            : ''),
      ],
      setup: [
        `command: \`nx run-many -t ${TARGETS.join(' ')} --skip-nx-cache\` (${expectedTasks} tasks, \`parallel: 3\` from the synthetic nx.json)`,
        `nx ${nxBin(a).version} (the workspace's \`nx\` package)`,
        `environment: ${Object.entries(NX_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`,
      ],
      tables: [
        { title: 'Per run', columns: TIMING_COLUMNS, rows: timeRows },
        { title: 'Pairs (A then B)', columns: pairColumns, rows: [...ratios.map((_, i) => pairRow(String(i + 1), i)), medianRow] },
      ],
      goal: {
        text: `run-many wall time with the plugin at most ${GOAL_RATIO}x without it (median of pair ratios)`,
        figure:
          `wall ratio ${formatRatio(ratio.median)} (A ${formatMs(summaryA.median)}, B ${formatMs(summaryB.median)})` +
          (cpuRatio ? `; CPU ratio ${formatRatio(cpuRatio.median)}` : ''),
        met,
      },
      notes,
    };
  } finally {
    removeTempDir(a);
    removeTempDir(b);
  }
}
