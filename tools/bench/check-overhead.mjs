// Benchmark: what `sixty check` adds to the bare `nx affected` it wraps. A 200-project synthetic
// workspace with a git repository gets an uncommitted change in one leaf project; one untimed
// `sixty check` runs (and caches) its tasks, and one untimed bare run confirms that both sides
// then run the same cached tasks. `sixty check --json` and the exact nx command line it spawns
// (packages/cli/src/commands/check.ts) then run alternately, A B A B ..., each timed as a whole
// process, and the overhead is the median of the pair-by-pair differences A - B. A few more
// runs of `sixty check` under a preload that times each child process show where its own
// time goes (start-up, git, nx, reading the history afterwards).
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace } from '../synth/synth.mjs';
import {
  NX_ENV,
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  makeTempDir,
  nxBin,
  progress,
  removeTempDir,
  repoRequire,
  result,
  summarize,
  timeProcess,
  timeRuns,
  timingRow,
} from './lib.mjs';

export const id = 'check';
export const GOAL_MS = 300;
const PROJECTS = 200;
const FILES = 2;
const SEED = 5;
const TARGETS = ['build', 'test'];
const CLI = join(REPO_ROOT, 'packages/cli/bin/sixty.js');
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');

/**
 * A preload (node -r) that times every child process the CLI starts, and the process's own
 * exit, in ms since the process started; written as JSON to SIXTY_BENCH_TRACE at exit.
 */
const TRACE_PRELOAD = `'use strict';
const childProcess = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const events = [];
const label = (file, args) =>
  [require('node:path').basename(String(file)), ...(args || []).slice(0, 3).map((a) => String(a).replace(/\\b([0-9a-f]{7})[0-9a-f]{33}\\b/g, '$1'))].join(' ');
const spawnSync = childProcess.spawnSync;
childProcess.spawnSync = function (file, args, ...rest) {
  const start = performance.now();
  try {
    return spawnSync.call(this, file, args, ...rest);
  } finally {
    events.push({ kind: 'spawnSync', command: label(file, args), startMs: start, endMs: performance.now() });
  }
};
const spawn = childProcess.spawn;
childProcess.spawn = function (file, args, ...rest) {
  const event = { kind: 'spawn', command: label(file, args), startMs: performance.now(), endMs: null };
  events.push(event);
  const child = spawn.call(this, file, args, ...rest);
  child.on('close', () => { event.endMs = performance.now(); });
  return child;
};
process.on('exit', () => {
  writeFileSync(process.env.SIXTY_BENCH_TRACE, JSON.stringify({ exitMs: performance.now(), events }));
});
`;

/**
 * Loads the CLI bundle in a fresh process and prints, as JSON, how long it took in all and how
 * long each module it requires directly took to load (third-party packages are not bundled).
 */
const LOAD_SCRIPT = `const Module = require('node:module');
const { performance } = require('node:perf_hooks');
const load = Module._load;
const modules = {};
let depth = 0;
Module._load = function (request) {
  const start = performance.now();
  depth++;
  try {
    return load.apply(this, arguments);
  } finally {
    depth--;
    if (depth === 1) modules[request] = (modules[request] ?? 0) + performance.now() - start;
  }
};
const start = performance.now();
require(process.argv[1]);
process.stdout.write(JSON.stringify({ totalMs: performance.now() - start, modules }));
`;

/** The projects a leaf depends on, transitively (their builds run first: build dependsOn ^build). */
function dependenciesOf(projects, name) {
  const byName = new Map(projects.map((p) => [p.name, p]));
  const seen = new Set();
  const stack = [...byName.get(name).dependsOn];
  while (stack.length) {
    const dep = stack.pop();
    if (seen.has(dep)) continue;
    seen.add(dep);
    stack.push(...byName.get(dep).dependsOn);
  }
  return [...seen].sort();
}

function git(cwd, args) {
  return timeProcess('git', args, { cwd }).stdout.trim();
}

export async function run({ quick, pairs: pairsOption }) {
  const pairs = pairsOption ?? (quick ? 3 : 8);
  const traceRuns = quick ? 2 : 5;
  const env = { ...process.env, ...NX_ENV };
  delete env.CI; // nx and sixty behave as on a developer's machine
  delete env.GITHUB_STEP_SUMMARY;
  const workspace = makeTempDir('check');
  const scratch = makeTempDir('check-trace');
  try {
    progress(`check: generating a ${PROJECTS}-project workspace with a git repository (seed ${SEED}, ${FILES} files per project)`);
    const { projects } = generateWorkspace({ out: workspace, projects: PROJECTS, files: FILES, seed: SEED, init: true, git: true });
    const nx = nxBin(workspace);
    const dependedOn = new Set(projects.flatMap((p) => p.dependsOn));
    const leaf = projects.find((p) => p.kind === 'app' && !dependedOn.has(p.name));
    const deps = dependenciesOf(projects, leaf.name);
    const expectedTasks = [`${leaf.name}:build`, `${leaf.name}:test`, ...deps.map((d) => `${d}:build`)].sort();
    appendFileSync(join(workspace, leaf.root, 'src', 'mod-1.js'), '// an edit by an agent\n');

    // the base sixty compares against: the merge-base of main and HEAD (resolveComparison), here HEAD
    const base = git(workspace, ['merge-base', 'main', 'HEAD']);
    const checkArgs = [CLI, 'check', '--json', '--targets', TARGETS.join(',')];
    // exactly what check.ts spawns (without --head or --parallel), with the NX_TUI it sets
    const nxArgs = [nx.bin, 'affected', '-t', TARGETS.join(','), `--base=${base}`, '--outputStyle=static'];

    const runCheck = (extraEnv = {}, extraNodeArgs = []) => {
      const run = timeProcess(process.execPath, [...extraNodeArgs, ...checkArgs], { cwd: workspace, env: { ...env, ...extraEnv } });
      const json = JSON.parse(run.stdout);
      const tasks = json.tasks.map((t) => t.task).sort();
      if (!json.ok || json.affectedProjects.join() !== leaf.name || tasks.join() !== expectedTasks.join()) {
        throw new Error(`sixty check did not run what it should: ok ${json.ok}, affected [${json.affectedProjects}], tasks [${tasks}]; expected [${expectedTasks}]`);
      }
      return { ms: run.ms, json };
    };
    const runBare = () => {
      const run = timeProcess(process.execPath, nxArgs, { cwd: workspace, env });
      const text = `${run.stdout}\n${run.stderr}`;
      // "Successfully ran targets build, test for project app-a and 34 tasks it depends on"
      const ran = /Successfully ran targets? (.+?) for (?:project (\S+)|\d+ projects)(?: and (\d+) tasks? (?:it|they) depends? on)?/.exec(text);
      const cached = /from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(text);
      if (!ran || ran[2] !== leaf.name || Number(ran[3] ?? 0) !== expectedTasks.length - 2) {
        throw new Error(`bare nx affected did not run the expected ${expectedTasks.length} tasks:\n${text.trim().split('\n').slice(-8).join('\n')}`);
      }
      return { ms: run.ms, cached: cached ? Number(cached[1]) : 0, total: cached ? Number(cached[2]) : expectedTasks.length };
    };

    progress(`check: warm-up: \`sixty check\` runs ${expectedTasks.length} tasks for the change in ${leaf.name}, then one bare \`nx affected\` (not counted)`);
    const warmCheck = runCheck();
    const executedWarm = warmCheck.json.tasks.filter((t) => t.cache === 'none').map((t) => t.task).sort();
    const warmBare = runBare();
    if (warmBare.cached !== expectedTasks.length) throw new Error(`after the warm-up, bare nx restored ${warmBare.cached} of ${warmBare.total} tasks from cache, expected all ${expectedTasks.length}`);
    result(`check  change in ${leaf.name}: ${expectedTasks.length} tasks (${leaf.name}:build, :test and ${deps.length} dependency builds); warm-up executed ${executedWarm.length}, then all from cache`);

    const samplesA = [];
    const samplesB = [];
    const diffs = [];
    let cachedEverywhere = true;
    for (let i = 0; i < pairs; i++) {
      const a = runCheck();
      const b = runBare();
      if (a.json.tasks.some((t) => t.cache === 'none') || b.cached !== expectedTasks.length) cachedEverywhere = false;
      samplesA.push(a.ms);
      samplesB.push(b.ms);
      diffs.push(a.ms - b.ms);
      result(`check  pair ${i + 1}: sixty check ${formatMs(a.ms)}  bare nx affected ${formatMs(b.ms)}  A-B ${formatMs(a.ms - b.ms)}`);
    }
    if (!cachedEverywhere) throw new Error('a timed run executed a task instead of restoring it from cache: the two sides did different work');
    const summaryA = summarize(samplesA);
    const summaryB = summarize(samplesB);
    const diff = summarize(diffs);
    result(`check  A, sixty check --json      ${describeSummary(summaryA)}`);
    result(`check  B, bare nx affected         ${describeSummary(summaryB)}`);
    result(`check  A-B, pair by pair           ${describeSummary(diff)}`);

    // where sixty's own time goes: the same command under a preload that times its child processes
    progress(`check: ${traceRuns} traced runs of sixty check (child processes timed by a preload; not in the figures above)`);
    const preload = join(scratch, 'trace.cjs');
    writeFileSync(preload, TRACE_PRELOAD);
    const traceFile = join(scratch, 'trace.json');
    const phases = { outside: [], startup: [], git: [], gitCount: [], otherBefore: [], nx: [], after: [], own: [] };
    let gitList = '';
    for (let i = 0; i < traceRuns; i++) {
      const { ms } = runCheck({ SIXTY_BENCH_TRACE: traceFile }, ['-r', preload]);
      const trace = JSON.parse(readFileSync(traceFile, 'utf8'));
      const nxEvent = trace.events.find((e) => e.kind === 'spawn');
      const before = trace.events.filter((e) => e.kind === 'spawnSync' && e.startMs < nxEvent.startMs);
      const gits = before.filter((e) => e.command.startsWith('git'));
      const gitMs = gits.reduce((sum, e) => sum + (e.endMs - e.startMs), 0);
      const first = trace.events[0].startMs;
      phases.outside.push(ms - trace.exitMs);
      phases.startup.push(first);
      phases.git.push(gitMs);
      phases.gitCount.push(gits.length);
      phases.otherBefore.push(nxEvent.startMs - first - gitMs);
      phases.nx.push(nxEvent.endMs - nxEvent.startMs);
      phases.after.push(trace.exitMs - nxEvent.endMs);
      phases.own.push(ms - (nxEvent.endMs - nxEvent.startMs));
      if (i === traceRuns - 1) {
        gitList = gits.map((e) => `\`${e.command}\` ${formatMs(e.endMs - e.startMs)}`).join(', ');
        result(`check  traced git calls (last run): ${gitList}`);
      }
    }
    const gitCalls = summarize(phases.gitCount).median;

    // the reading sixty does after nx, in-process on this workspace's history
    const core = repoRequire(CORE_PATH);
    const historyDir = join(workspace, '.sixty');
    const history = core.readHistory(historyDir);
    const readHistory = await timeRuns(() => core.readHistory(historyDir), { runs: quick ? 5 : 20, warmup: 2 });
    const graphPath = join(workspace, '.nx', 'workspace-data', 'project-graph.json');
    const readGraph = await timeRuns(() => JSON.parse(readFileSync(graphPath, 'utf8')), { runs: quick ? 5 : 20, warmup: 2 });
    const cliStart = summarize(
      Array.from({ length: quick ? 3 : 6 }, () => timeProcess(process.execPath, [CLI, '--version'], { cwd: workspace, env }).ms).slice(1),
    );
    const loads = Array.from({ length: quick ? 4 : 8 }, () =>
      JSON.parse(timeProcess(process.execPath, ['-e', LOAD_SCRIPT, join(REPO_ROOT, 'packages/cli/dist/cli.js')], { cwd: workspace, env }).stdout),
    ).slice(1);
    const bundleLoad = summarize(loads.map((l) => l.totalMs));
    const moduleLoads = [...new Set(loads.flatMap((l) => Object.keys(l.modules)))]
      .filter((name) => !name.startsWith('node:'))
      .map((name) => [name, summarize(loads.map((l) => l.modules[name] ?? 0))])
      .sort((x, y) => y[1].median - x[1].median);
    const heavy = moduleLoads.filter(([, s]) => s.median >= 5);
    result(`check  require(cli.js) in a fresh process ${describeSummary(bundleLoad)}; ${heavy.map(([n, s]) => `${n} ${formatMs(s.median)}`).join(', ')}`);
    const nodeStart = summarize(Array.from({ length: quick ? 3 : 6 }, () => timeProcess(process.execPath, ['-e', '0'], { cwd: workspace, env }).ms).slice(1));

    const breakdown = [
      ['outside node (process creation and teardown)', phases.outside],
      ['start-up: node, the CLI bundle, finding the workspace (to the first git call)', phases.startup],
      [`git calls before nx (${gitCalls} of them)`, phases.git],
      ['other work before nx starts', phases.otherBefore],
      ['nx affected (spawn to close)', phases.nx],
      ['after nx: history read twice, project graph, verdict, output', phases.after],
      ['sixty\'s own time: the whole traced process minus nx', phases.own],
    ].map(([label, samples]) => [label, summarize(samples)]);
    for (const [label, s] of breakdown) result(`check  traced ${label}: ${describeSummary(s)}`);

    const met = diff.median < GOAL_MS;
    const notes = [
      `Check: every \`sixty check --json\` reported ok, affected projects [${leaf.name}] and exactly the ${expectedTasks.length} expected tasks, all from cache ` +
        `in the timed runs; every bare run printed "Successfully ran targets ${TARGETS.join(', ')} for project ${leaf.name} and ${expectedTasks.length - 2} tasks it depends on" ` +
        `with all ${expectedTasks.length} read from the cache. The warm-up check executed ${executedWarm.length} of them (nothing was cached before).`,
      `Both sides record the run (the plugin's postTasksExecution hook is registered in the workspace), so the hook is not part of the difference. ` +
        `The history held ${history.runs.length} runs at the end.`,
      `Where sixty's time goes (traced runs, medians): outside node ${formatMs(breakdown[0][1].median)}, start-up ${formatMs(breakdown[1][1].median)} ` +
        `(\`sixty --version\` takes ${formatMs(cliStart.median)} as a whole process, \`node -e 0\` ${formatMs(nodeStart.median)}), ` +
        `${gitCalls} git calls ${formatMs(breakdown[2][1].median)}, other work before nx ${formatMs(breakdown[3][1].median)}, ` +
        `after nx ${formatMs(breakdown[5][1].median)}: ${formatMs(breakdown[6][1].median)} of its own besides nx, against the ${formatMs(diff.median)} measured A - B ` +
        `(nx itself took ${formatMs(breakdown[4][1].median)} inside sixty vs ${formatMs(summaryB.median)} bare, spawn to exit; the preload adds a little too). ` +
        `In-process, readHistory of these ${history.runs.length} runs takes ${formatMs(readHistory.median)} and parsing nx's cached project graph ${formatMs(readGraph.median)}.`,
      `Git calls of the last traced run, in order: ${gitList}. \`rev-parse --show-toplevel\` runs twice (runCheck, then changedFiles) and ` +
        '`rev-parse --verify` of the default branch twice (defaultBranch, then resolveCommit): a few ms each.',
      `Loading the CLI bundle takes ${formatMs(bundleLoad.median)} in a fresh process, ${heavy.map(([n, s]) => `\`${n}\` ${formatMs(s.median)}`).join(', ')} of it: ` +
        'the largest third-party packages it requires at load time. `openai` (the agent planner) and `ajv` (plan validation), which `sixty check` ' +
        'never uses, load only when a command needs them.',
    ];
    if (pairs < 5) notes.push(`Only ${pairs} pairs: the difference is indicative.`);
    if (!met) notes.push(`The median difference ${formatMs(diff.median)} is over the ${formatMs(GOAL_MS)} goal; see the breakdown for where it goes.`);

    return {
      id,
      title: `sixty check overhead, ${PROJECTS} projects`,
      about: [
        `A synthetic workspace (tools/synth, ${PROJECTS} projects, ${FILES} files per project, seed ${SEED}, plugin registered, a git ` +
          `repository with one commit) gets an uncommitted edit in the leaf project ${leaf.name}. One untimed \`sixty check\` runs its ` +
          `${expectedTasks.length} affected tasks (its build and test and the builds of the ${deps.length} libraries it depends on) and caches them; ` +
          'one untimed bare `nx affected` confirms that they all come from cache. Then A, `sixty check --json`, and B, the command line ' +
          `\`sixty check\` spawns for it (\`nx affected -t ${TARGETS.join(',')} --base=<merge-base> --outputStyle=static\`), run alternately ` +
          `A B A B ... for ${pairs} pairs, each timed as a whole process, spawn to exit; the overhead is the median of the per-pair differences A - B.`,
        `Then ${traceRuns} more runs of A under a preload (\`node -r\`) that times every child process it starts and its own exit split ` +
          "sixty's time into start-up, git, nx and the work after nx.",
      ],
      setup: [
        `A: \`node packages/cli/bin/sixty.js ${checkArgs.slice(1).join(' ')}\` in the workspace`,
        `B: \`nx ${nxArgs.slice(1).join(' ').replace(base, '<merge-base>')}\` in the workspace, with \`NX_TUI=false\` as sixty sets it`,
        `nx ${nx.version} (the workspace's \`nx\` package); environment ${Object.entries(NX_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`,
      ],
      tables: [
        {
          title: 'Per run',
          columns: TIMING_COLUMNS,
          rows: [timingRow('A: sixty check --json', summaryA), timingRow('B: bare nx affected', summaryB), timingRow('A - B, pair by pair', diff)],
        },
        {
          title: 'Pairs (A then B)',
          columns: [{ title: 'Pair' }, { title: 'A', right: true }, { title: 'B', right: true }, { title: 'A - B', right: true }],
          rows: [
            ...diffs.map((d, i) => [String(i + 1), formatMs(samplesA[i]), formatMs(samplesB[i]), formatMs(d)]),
            ['median', formatMs(summaryA.median), formatMs(summaryB.median), formatMs(diff.median)],
          ],
        },
        {
          title: `Where sixty check's time goes (${traceRuns} traced runs)`,
          columns: TIMING_COLUMNS,
          rows: [
            ...breakdown.map(([label, s]) => timingRow(label, s)),
            timingRow('`sixty --version`, whole process', cliStart),
            timingRow('`node -e 0`, whole process', nodeStart),
            timingRow('require(packages/cli/dist/cli.js), fresh process', bundleLoad),
            ...heavy.map(([name, s]) => timingRow(`of that, require("${name}")`, s)),
            timingRow(`readHistory in-process (${history.runs.length} runs)`, readHistory),
            timingRow("JSON.parse of nx's cached project graph, in-process", readGraph),
          ],
        },
      ],
      goal: {
        text: `\`sixty check\` adds under ${formatMs(GOAL_MS)} to the \`nx affected\` it runs (median of pair differences)`,
        figure: `${formatMs(diff.median)} (A ${formatMs(summaryA.median)}, B ${formatMs(summaryB.median)})`,
        met,
      },
      notes,
    };
  } finally {
    removeTempDir(workspace);
    removeTempDir(scratch);
  }
}
