#!/usr/bin/env node
// Benchmark: what the plugin's createNodes (shard targets inferred from the committed baseline)
// adds to `nx show projects` on a 1,000-project synthetic workspace. Workspace A registers the
// plugin and commits a baseline of 50 test targets over budget (25 with applied shards, 25
// planned by the plugin); C registers the plugin without a baseline; B is generated identically
// without the plugin (init: false). `nx show projects --json` runs in them in turn, A C B A C B
// ..., and the overhead is the median of the round-by-round ratios A/B (C/B: what registering
// any plugin costs nx; A/C: the inference), and A and B once more with NX_ISOLATE_PLUGINS=false
// (plugins in nx's own process, no worker each). The createNodes function itself is also timed
// in-process, with and without its cache in nx's workspace data directory, and nx's own
// performance marks show where A's time goes.
//
// Usage: node tools/bench/create-nodes.mjs [--quick]   (needs `node tools/build.mjs` first)
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateWorkspace } from '../synth/synth.mjs';
import {
  NX_ENV,
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  formatRatio,
  makeTempDir,
  median,
  nxBin,
  progress,
  removeTempDir,
  repoRequire,
  result,
  summarize,
  timeProcess,
  timeRuns,
  timingRow,
  verdict,
} from './lib.mjs';

export const id = 'createnodes';
/** Goal: the plugin adds under 5% to `nx show projects`. */
export const GOAL_RATIO = 1.05;
/** Pair ratios spread wider than this (max/min) make the wall figure inconclusive. */
const MAX_RATIO_SPREAD = 1.15;
const PROJECTS = 1000;
const FILES = 4;
const SEED = 1;
const SHARDED_TARGETS = 50;
/**
 * `nx show projects --json`: the same graph computation as the plain listing, printed in one
 * write. The plain listing is one console.log per project followed by process.exit, and nx 22
 * then often drops lines when its stdout is a Node child-process pipe (a socket), so it cannot
 * be checked; both workspaces run the same command.
 */
const SHOW_PROJECTS = ['show', 'projects', '--json'];
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
  return Object.keys(targets);
}

/** The shard targets nx shows for one project of A: its `test--shard-*` names and `test--sharded`. */
function shardTargetsOf(nx, workspace, project, env) {
  const { stdout } = timeProcess(process.execPath, [nx, 'show', 'project', project, '--json'], { cwd: workspace, env });
  return Object.keys(JSON.parse(stdout).targets ?? {}).filter((t) => t.startsWith('test--')).sort();
}

/** nx's performance marks (NX_PERF_LOGGING=true prints "Time taken for 'NAME' 12.3ms" to stderr). */
function perfMarks(text) {
  const marks = new Map();
  for (const match of text.matchAll(/^Time taken for '(.+)' ([\d.]+)ms$/gm)) marks.set(match[1], Number(match[2]));
  return marks;
}

/** The marks that say where the plugin's share of `nx show projects` goes. */
const PERF_MARKS = [
  ['start-plugin-worker:@sixty/nx', "nx starts @sixty/nx's plugin worker (spawn node, load nx's worker code and the plugin, connect)"],
  ['Load Nx Plugin: @sixty/nx', 'loading @sixty/nx, as nx times it (in parallel with the default plugins)'],
  ['loadDefaultNxPlugins', "loading nx's own default plugins (js, package-json, project-json), each in its worker"],
  ['@sixty/nx:createNodes', "@sixty/nx's createNodes in its worker, round trip included"],
  ['nx/core/project-json:createNodes', "nx's project.json createNodes, for comparison"],
  ['createNodes:merge', 'merging every plugin\'s nodes'],
  ['createProjectGraphAsync', 'the whole project graph computation'],
];

export async function run({ quick = false, pairs: pairsOption } = {}) {
  const pairs = pairsOption ?? (quick ? 3 : 5);
  const runs = quick ? 10 : 30;
  const perfRuns = quick ? 2 : 5;
  const env = { ...process.env, ...NX_ENV };
  const a = makeTempDir('createnodes-plugin');
  const c = makeTempDir('createnodes-nobaseline');
  const b = makeTempDir('createnodes-plain');
  try {
    progress(`createnodes: generating three ${PROJECTS}-project workspaces (seed ${SEED}, ${FILES} files per project)`);
    const { projects } = generateWorkspace({ out: a, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: false });
    generateWorkspace({ out: c, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: false });
    generateWorkspace({ out: b, projects: PROJECTS, files: FILES, seed: SEED, init: false, git: false });
    const baselineKeys = writeBaseline(a, projects, SHARDED_TARGETS);
    const nx = nxBin(a);

    // the plugin must infer the targets it is timed for: an applied 2-way split and a planned one
    const applied = projects[0].name;
    const planned = projects[SHARDED_TARGETS - 1].name;
    const appliedTargets = shardTargetsOf(nx.bin, a, applied, env);
    const plannedTargets = shardTargetsOf(nx.bin, a, planned, env);
    const expectedApplied = ['test--shard-1-of-2', 'test--shard-2-of-2', 'test--sharded'];
    if (appliedTargets.join() !== expectedApplied.join()) {
      throw new Error(`workspace A infers [${appliedTargets.join(', ')}] for ${applied}, expected [${expectedApplied.join(', ')}]: is the plugin built (node tools/build.mjs)?`);
    }
    if (!plannedTargets.includes('test--sharded') || plannedTargets.length < 3) {
      throw new Error(`workspace A infers [${plannedTargets.join(', ')}] for ${planned}, expected planned shards and test--sharded`);
    }
    for (const [label, workspace] of [['B', b], ['C', c]]) {
      if (shardTargetsOf(nx.bin, workspace, applied, env).length !== 0) throw new Error(`workspace ${label} infers shard targets for ${applied}`);
    }
    result(`createnodes  check: ${applied} gets ${appliedTargets.join(', ')}; ${planned} gets ${plannedTargets.join(', ')}; B and C infer none`);

    const showProjects = (workspace, label, extraEnv) => {
      const run = timeProcess(process.execPath, [nx.bin, ...SHOW_PROJECTS], { cwd: workspace, env: extraEnv ? { ...env, ...extraEnv } : env });
      const json = run.stdout.split('\n').find((line) => line.startsWith('['));
      const listed = json ? JSON.parse(json).length : 0;
      if (listed !== PROJECTS) throw new Error(`\`nx show projects --json\` in ${label} listed ${listed} projects, expected ${PROJECTS}`);
      return run;
    };
    progress('createnodes: warm-up, `nx show projects --json` in each workspace (not counted)');
    const warm = { a: showProjects(a, 'A').ms, c: showProjects(c, 'C').ms, b: showProjects(b, 'B').ms };

    // plugins loaded in nx's own process instead of a worker each: what the worker costs
    const inProcess = { NX_ISOLATE_PLUGINS: 'false' };
    showProjects(a, 'A in-process', inProcess);
    showProjects(b, 'B in-process', inProcess);

    const samples = { a: [], c: [], b: [], ai: [], bi: [] };
    const ratios = [];
    const workerRatios = [];
    const inferenceRatios = [];
    const inProcessRatios = [];
    for (let i = 0; i < pairs; i++) {
      progress(`createnodes: round ${i + 1} of ${pairs} (A, C, B, then A and B with NX_ISOLATE_PLUGINS=false)`);
      const msA = showProjects(a, 'A').ms;
      const msC = showProjects(c, 'C').ms;
      const msB = showProjects(b, 'B').ms;
      const msAi = showProjects(a, 'A in-process', inProcess).ms;
      const msBi = showProjects(b, 'B in-process', inProcess).ms;
      samples.a.push(msA);
      samples.c.push(msC);
      samples.b.push(msB);
      samples.ai.push(msAi);
      samples.bi.push(msBi);
      ratios.push(msA / msB);
      workerRatios.push(msC / msB);
      inferenceRatios.push(msA / msC);
      inProcessRatios.push(msAi / msBi);
      result(
        `createnodes  round ${i + 1}: A ${formatMs(msA)}  C ${formatMs(msC)}  B ${formatMs(msB)}  A/B ${formatRatio(msA / msB)}  C/B ${formatRatio(msC / msB)}  ` +
          `A/C ${formatRatio(msA / msC)}; plugins in-process: A ${formatMs(msAi)}  B ${formatMs(msBi)}  A/B ${formatRatio(msAi / msBi)}`,
      );
    }
    const summaryA = summarize(samples.a);
    const summaryC = summarize(samples.c);
    const summaryB = summarize(samples.b);
    const summaryAi = summarize(samples.ai);
    const summaryBi = summarize(samples.bi);
    const ratio = summarize(ratios);
    const workerRatio = summarize(workerRatios);
    const inferenceRatio = summarize(inferenceRatios);
    const inProcessRatio = summarize(inProcessRatios);
    const describeRatio = (r) => `median ${formatRatio(r.median)} (min ${formatRatio(r.min)}, max ${formatRatio(r.max)}, n=${r.n})`;
    result(`createnodes  A, plugin + baseline      ${describeSummary(summaryA)}`);
    result(`createnodes  C, plugin, no baseline    ${describeSummary(summaryC)}`);
    result(`createnodes  B, plugin not registered  ${describeSummary(summaryB)}`);
    result(`createnodes  A/B, pair by pair  ${describeRatio(ratio)}`);
    result(`createnodes  A/B with NX_ISOLATE_PLUGINS=false  ${describeRatio(inProcessRatio)}`);

    // where the time goes, as nx itself times it
    progress(`createnodes: ${perfRuns} runs of A with NX_PERF_LOGGING=true (not in the figures above)`);
    const perfSamples = new Map(PERF_MARKS.map(([name]) => [name, []]));
    for (let i = 0; i < perfRuns; i++) {
      const marks = perfMarks(showProjects(a, 'A (perf marks)', { NX_PERF_LOGGING: 'true' }).stderr);
      for (const [name] of PERF_MARKS) if (marks.has(name)) perfSamples.get(name).push(marks.get(name));
    }
    const perfRows = PERF_MARKS.filter(([name]) => perfSamples.get(name).length > 0).map(([name, label]) =>
      timingRow(`\`${name}\`: ${label}`, summarize(perfSamples.get(name))),
    );
    for (const [name] of PERF_MARKS) {
      if (perfSamples.get(name).length > 0) result(`createnodes  nx perf mark '${name}'  ${describeSummary(summarize(perfSamples.get(name)))}`);
    }

    // the function itself, in this process: cold (no cache file) and from its cache
    progress(`createnodes: createNodes in-process, 2 warm-up + ${runs} runs, without and with its cache`);
    const plugin = repoRequire(join(REPO_ROOT, 'plugins/nx/dist/index.js'));
    const [glob, createNodes] = plugin.createNodesV2;
    const options = { budgetSeconds: 60 };
    const context = { workspaceRoot: a, nxJsonConfiguration: {} };
    const previous = process.env.NX_CACHE_PROJECT_GRAPH;
    process.env.NX_CACHE_PROJECT_GRAPH = 'false'; // the plugin then neither reads nor writes its cache
    let cold;
    try {
      cold = await timeRuns(() => createNodes(['sixty-timings.json'], options, context), { runs, warmup: 2 });
    } finally {
      if (previous === undefined) delete process.env.NX_CACHE_PROJECT_GRAPH;
      else process.env.NX_CACHE_PROJECT_GRAPH = previous;
    }
    const cached = await timeRuns(() => createNodes(['sixty-timings.json'], options, context), { runs, warmup: 2 });
    const inferred = await createNodes(['sixty-timings.json'], options, context);
    const inferredProjects = inferred[0]?.[1]?.projects ?? {};
    const projectsWithShards = Object.keys(inferredProjects).length;
    const inferredTargets = Object.values(inferredProjects).reduce((sum, p) => sum + Object.keys(p.targets).length, 0);
    if (projectsWithShards !== SHARDED_TARGETS) throw new Error(`createNodes inferred shard targets for ${projectsWithShards} projects, expected ${SHARDED_TARGETS}`);
    result(`createnodes  in-process, no cache  ${describeSummary(cold)}`);
    result(`createnodes  in-process, cached    ${describeSummary(cached)}`);
    result(`createnodes  in-process: ${inferredTargets} targets inferred for ${projectsWithShards} projects`);

    const spread = ratio.max / ratio.min;
    const conclusive = spread <= MAX_RATIO_SPREAD;
    const met = conclusive ? ratio.median < GOAL_RATIO : null;
    const workerMark = perfSamples.get('start-plugin-worker:@sixty/nx');
    const createNodesMark = perfSamples.get('@sixty/nx:createNodes');
    const notes = [
      `Check: nx shows \`${expectedApplied.join('`, `')}\` for ${applied} (applied shards) and \`${plannedTargets.join('`, `')}\` ` +
        `for ${planned} (shards the plugin plans); B and C infer none; every run lists all ${PROJECTS} projects. In-process, createNodes ` +
        `returns ${inferredTargets} targets for ${projectsWithShards} projects, one per baseline target over budget.`,
      `Warm-up runs (not counted): A ${formatMs(warm.a)}, C ${formatMs(warm.c)}, B ${formatMs(warm.b)}.`,
      `Where the time goes: A - B is ${formatMs(summaryA.median - summaryB.median)} per run (medians). Registering the plugin with ` +
        `nothing to infer (C/B, median ${formatRatio(workerRatio.median)}) costs nx one more isolated plugin worker process ` +
        (workerMark.length ? `(\`start-plugin-worker:@sixty/nx\` ${formatMs(median(workerMark))}) ` : '') +
        'started beside the three of its default plugins; inferring the shard targets (A/C, median ' +
        `${formatRatio(inferenceRatio.median)}) is the rest` +
        (createNodesMark.length ? `: nx times the createNodes round trip to the worker at ${formatMs(median(createNodesMark))}` : '') +
        `, against ${formatMs(cached.median)} for the call itself in a warm process (${formatMs(cold.median)} without its cache). ` +
        `With every plugin loaded in nx's own process (\`NX_ISOLATE_PLUGINS=false\`) A/B is ${formatRatio(inProcessRatio.median)} ` +
        `(A ${formatMs(summaryAi.median)}, B ${formatMs(summaryBi.median)}).`,
      `\`--json\` because nx ${nx.version} prints the plain listing as one console.log per project and then calls process.exit: ` +
        'with stdout a Node child-process pipe (a socket, as from spawnSync or execSync) it often drops the tail of the list ' +
        '(279 to 749 of 1,000 lines in some runs while this benchmark was written, with or without the plugin), so that output ' +
        'cannot be checked. The JSON list is one write and arrives whole; the graph computation is the same.',
      "No CPU figure: nx's plugin workers are detached processes that nx does not wait for, so the shell's `times` does not " +
        "count them and A's CPU would leave out the very worker being measured.",
    ];
    if (!conclusive) {
      notes.push(
        `Inconclusive: the wall ratios of the pairs span ${formatRatio(ratio.min)} to ${formatRatio(ratio.max)}, wider than the ` +
          `${Math.round((GOAL_RATIO - 1) * 100)}% being tested, so other load on the machine set them.` +
          ' Run `npm run bench -- --only createnodes` on a quiet machine for a figure.',
      );
    }
    if (pairs < 3) notes.push(`Only ${pairs} round(s): the ratio is indicative, not a measurement.`);
    if (met === false) notes.push(`The median wall ratio ${formatRatio(ratio.median)} is over the ${GOAL_RATIO} goal.`);

    const pairColumns = ['Round', 'A', 'C', 'B', 'A/B', 'C/B', 'A/C', 'A in-process', 'B in-process', 'A/B in-process'].map((title, i) =>
      i === 0 ? { title } : { title, right: true },
    );
    const pairRows = ratios.map((r, i) => [
      String(i + 1),
      formatMs(samples.a[i]),
      formatMs(samples.c[i]),
      formatMs(samples.b[i]),
      formatRatio(r),
      formatRatio(workerRatios[i]),
      formatRatio(inferenceRatios[i]),
      formatMs(samples.ai[i]),
      formatMs(samples.bi[i]),
      formatRatio(inProcessRatios[i]),
    ]);
    const medianRow = [
      'median',
      ...[summaryA, summaryC, summaryB].map((x) => formatMs(x.median)),
      ...[ratio, workerRatio, inferenceRatio].map((x) => formatRatio(x.median)),
      formatMs(summaryAi.median),
      formatMs(summaryBi.median),
      formatRatio(inProcessRatio.median),
    ];

    return {
      id,
      title: `createNodes overhead, ${PROJECTS.toLocaleString('en-US')} projects`,
      about: [
        `Three synthetic workspaces (tools/synth, ${PROJECTS.toLocaleString('en-US')} projects, ${FILES} files per project, seed ${SEED}) ` +
          'are generated identically, except that A registers the plugin (`sixty init`) and commits a baseline ' +
          `(sixty-timings.json) of ${SHARDED_TARGETS} test targets over the 60 s budget: ${SHARDED_TARGETS / 2} with applied shards, ` +
          `${SHARDED_TARGETS / 2} that the plugin shards itself, so its createNodes infers shard targets for ${SHARDED_TARGETS} projects; ` +
          'C registers the plugin with no baseline (nothing to infer), and B does not register it. After one warm-up each, ' +
          "`nx show projects --json` (which computes the project graph, running every plugin's createNodes) runs " +
          `alternately A C B, A C B ... for ${pairs} round(s), each timed as a whole process, spawn to exit; the overhead is ` +
          'the median of the per-round ratios A/B, and C splits it into the cost of a registered plugin and the cost of its inference. ' +
          'Each round then runs A and B once more with `NX_ISOLATE_PLUGINS=false`, every plugin loaded in nx\'s own process instead of a ' +
          'worker process each, to show what the worker costs.',
        `The createNodes function is also called in-process on A's baseline: without its cache (\`NX_CACHE_PROJECT_GRAPH=false\`: ` +
          'read and parse the baseline, list the test files on disk, plan the shards, build the targets) and from its ' +
          "cache in nx's workspace data directory (the inputs are still read and hashed). Then A runs " +
          `${perfRuns} more times with \`NX_PERF_LOGGING=true\` for nx's own timings of each step.`,
      ],
      setup: [
        'command: `nx show projects --json` (the plain listing loses lines when piped, see the notes)',
        `nx ${nx.version} (the workspace's \`nx\` package), plugins isolated in worker processes (nx's default)`,
        `environment: ${Object.entries(NX_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`,
        `baseline: ${baselineKeys.length} targets (${baselineKeys[0]} ... ${baselineKeys.at(-1)}), p90 86 s against a 60 s budget; createNodes glob \`${glob}\``,
        `in-process: 2 warm-up calls, then ${runs} timed calls per case`,
      ],
      tables: [
        {
          title: '`nx show projects --json`, per run',
          columns: TIMING_COLUMNS,
          rows: [
            timingRow('A: plugin + baseline (shard targets for 50 projects)', summaryA),
            timingRow('C: plugin, no baseline', summaryC),
            timingRow('B: plugin not registered', summaryB),
            timingRow('A with NX_ISOLATE_PLUGINS=false (every plugin in nx\'s process)', summaryAi),
            timingRow('B with NX_ISOLATE_PLUGINS=false', summaryBi),
          ],
        },
        { title: 'Rounds (A, C, B in turn)', columns: pairColumns, rows: [...pairRows, medianRow] },
        {
          title: `createNodes in-process (${SHARDED_TARGETS} baseline targets)`,
          columns: TIMING_COLUMNS,
          rows: [timingRow('no cache (read, list test files, plan, build targets)', cold), timingRow('from its cache in the workspace data directory', cached)],
        },
        { title: `Where A's time goes: nx's performance marks (\`NX_PERF_LOGGING=true\`, ${perfRuns} runs)`, columns: TIMING_COLUMNS, rows: perfRows },
      ],
      goal: {
        text: `\`nx show projects\` on ${PROJECTS.toLocaleString('en-US')} projects with the plugin under ${GOAL_RATIO}x without it (median of pair ratios)`,
        figure:
          `ratio ${formatRatio(ratio.median)} (A ${formatMs(summaryA.median)}, B ${formatMs(summaryB.median)}; plugin with nothing to infer ` +
          `${formatRatio(workerRatio.median)}, inference alone ${formatRatio(inferenceRatio.median)}, plugins in-process ${formatRatio(inProcessRatio.median)})` +
          `; createNodes in-process ${formatMs(cold.median)} cold, ${formatMs(cached.median)} cached`,
        met,
      },
      notes,
    };
  } finally {
    removeTempDir(a);
    removeTempDir(c);
    removeTempDir(b);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const section = await run({ quick: process.argv.includes('--quick') });
  result(`${verdict(section.goal.met)}: ${section.goal.figure} (goal: ${section.goal.text})`);
}
