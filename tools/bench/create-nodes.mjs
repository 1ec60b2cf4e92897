#!/usr/bin/env node
// Benchmark: what the plugin's createNodes (shard targets inferred from the committed baseline)
// adds to `nx show projects` on a 1,000-project synthetic workspace. Workspace A registers the
// plugin and commits a baseline of 50 test targets over budget (25 with applied shards, 25
// planned by the plugin); workspace B is generated identically without the plugin (init: false).
// `nx show projects` runs in them alternately, A B A B ..., and the overhead is the median of
// the pair-by-pair ratios A/B. The createNodes function itself is also timed in-process, with
// and without its cache in nx's workspace data directory.
//
// Usage: node tools/bench/create-nodes.mjs [--quick]   (needs `node tools/build.mjs` first)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkspace } from '../synth/synth.mjs';
import { REPO_ROOT, formatMs, formatRatio, makeTempDir, progress, removeTempDir, repoRequire, result, summarize, timeProcess, timeRuns } from './lib.mjs';

export const id = 'createnodes';
/** Goal: the plugin adds under 5% to `nx show projects`. */
export const GOAL_RATIO = 1.05;
const PROJECTS = 1000;
const FILES = 4;
const SEED = 1;
const SHARDED_TARGETS = 50;
const NX_ENV = { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const TEST_COMMAND =
  'mkdir -p reports && node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=junit --test-reporter-destination=reports/junit.xml test/*.test.js';

/** A baseline with `count` test targets over the 60 s budget: the first half with applied shards. */
function writeBaseline(workspace, projects, count) {
  const { serializeBaseline } = repoRequire(join(REPO_ROOT, 'packages/core/dist/index.js'));
  const targets = {};
  projects.slice(0, count).forEach((project, index) => {
    const files = Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`${project.root}/test/mod-${i + 1}.test.js`, 20_000 + i * 1000]));
    const paths = Object.keys(files);
    targets[`${project.name}:test`] = {
      root: project.root,
      p90Ms: 86_000,
      files,
      ...(index < count / 2
        ? {
            shards: [
              { name: 'shard-1-of-2', files: paths.slice(0, FILES / 2) },
              { name: 'shard-2-of-2', files: paths.slice(FILES / 2) },
            ],
          }
        : {}),
      config: {
        executor: 'nx:run-commands',
        options: { cwd: project.root, command: TEST_COMMAND },
        cache: true,
        inputs: ['default', '^production', '{workspaceRoot}/scripts/**/*'],
        outputs: ['{projectRoot}/reports'],
      },
    };
  });
  writeFileSync(join(workspace, 'sixty-timings.json'), serializeBaseline({ schemaVersion: 1, budgetMs: 60_000, targets }));
}

function row(name, summary, goal, met) {
  return { name, medianMs: summary.median, minMs: summary.min, maxMs: summary.max, goal, met };
}

export async function run({ quick = false } = {}) {
  const pairs = quick ? 2 : 5;
  const env = { ...process.env, ...NX_ENV };
  const a = makeTempDir('createnodes-plugin');
  const b = makeTempDir('createnodes-plain');
  try {
    progress(`createnodes: generating two ${PROJECTS}-project workspaces (seed ${SEED}, ${FILES} files per project)`);
    const { projects } = generateWorkspace({ out: a, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: false });
    generateWorkspace({ out: b, projects: PROJECTS, files: FILES, seed: SEED, init: false, git: false });
    writeBaseline(a, projects, SHARDED_TARGETS);

    const nxArgs = (workspace) => [join(workspace, 'node_modules/nx/dist/bin/nx.js'), 'show', 'projects'];
    // wall time, and the CPU time of nx and its plugin workers (steadier when the machine is busy)
    const showProjects = (workspace) => timeProcess(process.execPath, nxArgs(workspace), { cwd: workspace, env, cpu: true });
    // the plugin must actually infer the targets it is timed for
    const shown = timeProcess(process.execPath, [join(a, 'node_modules/nx/dist/bin/nx.js'), 'show', 'project', projects[SHARDED_TARGETS - 1].name, '--json'], { cwd: a, env });
    if (!shown.stdout.includes('test--sharded')) throw new Error('workspace A infers no shard targets: is the plugin built (node tools/build.mjs)?');

    progress('createnodes: warm-up, `nx show projects` in each workspace (not counted)');
    showProjects(a);
    showProjects(b);
    const samplesA = [];
    const samplesB = [];
    const ratios = [];
    const cpuRatios = [];
    for (let i = 0; i < pairs; i++) {
      const runA = showProjects(a);
      const runB = showProjects(b);
      samplesA.push(runA.ms);
      samplesB.push(runB.ms);
      ratios.push(runA.ms / runB.ms);
      if (runA.cpuMs !== undefined && runB.cpuMs !== undefined) cpuRatios.push(runA.cpuMs / runB.cpuMs);
      const cpu = runA.cpuMs !== undefined && runB.cpuMs !== undefined ? `  CPU A/B ${formatRatio(runA.cpuMs / runB.cpuMs)}` : '';
      progress(`createnodes: pair ${i + 1} of ${pairs}: A ${formatMs(runA.ms)}  B ${formatMs(runB.ms)}  A/B ${formatRatio(runA.ms / runB.ms)}${cpu}`);
    }
    const ratio = summarize(ratios);

    // the function itself, in this process: cold (no cache file) and from its cache
    const plugin = repoRequire(join(REPO_ROOT, 'plugins/nx/dist/index.js'));
    const [, createNodes] = plugin.createNodesV2;
    const options = { budgetSeconds: 60 };
    const context = { workspaceRoot: a, nxJsonConfiguration: {} };
    const runs = quick ? 10 : 30;
    const previous = process.env.NX_CACHE_PROJECT_GRAPH;
    process.env.NX_CACHE_PROJECT_GRAPH = 'false';
    const cold = await timeRuns(() => createNodes(['sixty-timings.json'], options, context), { runs, warmup: 2 });
    if (previous === undefined) delete process.env.NX_CACHE_PROJECT_GRAPH;
    else process.env.NX_CACHE_PROJECT_GRAPH = previous;
    const cached = await timeRuns(() => createNodes(['sixty-timings.json'], options, context), { runs, warmup: 2 });
    const inferred = await createNodes(['sixty-timings.json'], options, context);
    const projectsWithShards = Object.keys(inferred[0]?.[1]?.projects ?? {}).length;
    if (projectsWithShards !== SHARDED_TARGETS) throw new Error(`createNodes inferred shard targets for ${projectsWithShards} projects, expected ${SHARDED_TARGETS}`);

    const goal = `A/B under ${GOAL_RATIO} (under 5% overhead)`;
    return [
      row(`nx show projects, ${PROJECTS} projects, plugin not registered (B)`, summarize(samplesB), '-', true),
      row(`nx show projects, ${PROJECTS} projects, plugin + baseline of ${SHARDED_TARGETS} sharded targets (A)`, summarize(samplesA), goal, ratio.median < GOAL_RATIO),
      { name: 'A/B wall ratio, pair by pair (a ratio, not ms)', medianMs: ratio.median, minMs: ratio.min, maxMs: ratio.max, goal, met: ratio.median < GOAL_RATIO },
      ...(cpuRatios.length === pairs
        ? [(({ median, min, max }) => ({ name: 'A/B CPU ratio (user+sys of nx and its plugin workers; a ratio, not ms)', medianMs: median, minMs: min, maxMs: max, goal, met: median < GOAL_RATIO }))(summarize(cpuRatios))]
        : []),
      row(`createNodes in process, no cache (${SHARDED_TARGETS} targets: read, list test files, plan, build targets)`, cold, '-', true),
      row('createNodes in process, from its cache in the workspace data directory', cached, '-', true),
    ];
  } finally {
    removeTempDir(a);
    removeTempDir(b);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await run({ quick: process.argv.includes('--quick') });
  for (const entry of rows) {
    const isRatio = entry.name.startsWith('A/B');  // ratio rows carry a ratio in the *Ms fields
    const format = isRatio ? formatRatio : formatMs;
    result(`${entry.met ? 'met    ' : 'NOT MET'}  ${entry.name}: median ${format(entry.medianMs)} (min ${format(entry.minMs)}, max ${format(entry.maxMs)})${entry.goal === '-' ? '' : `  goal: ${entry.goal}`}`);
  }
}
