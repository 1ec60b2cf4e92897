// Benchmark: `sixty report --json` over a history of 100,000 task records (1,000 nx invocations
// of 100 tasks each, spread over 10 day files, 500 distinct targets) in a real synthetic Nx
// workspace whose projects the history names, so the report's task-graph analysis (which asks
// nx for the task graph) runs too. Timed as a whole CLI process, with and without the graph,
// and in-process step by step to show where the time goes.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateWorkspace, planProjects, seededRandom } from '../synth/synth.mjs';
import {
  NX_ENV,
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatBytes,
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

export const id = 'report';
export const GOAL_MS = 1000;
const INVOCATIONS = 1000;
const TASKS_PER_INVOCATION = 100;
const DAYS = 10;
const PROJECTS = 250;
const SEED = 3;
const TARGETS = ['build', 'test'];
const DAY_MS = 24 * 60 * 60 * 1000;
const CLI = join(REPO_ROOT, 'packages/cli/bin/sixty.js');
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');

/** 500 targets: the synthetic workspace's 250 projects x build/test, each with a typical duration. */
function planTargets(random) {
  const targets = [];
  for (const { name: project } of planProjects({ projects: PROJECTS, seed: SEED })) {
    for (const target of TARGETS) {
      // most targets take seconds, a few take minutes (the ones over budget)
      const scale = target === 'test' ? 8000 : 6000;
      const baseMs = Math.round(scale * Math.exp((random() - 0.5) * 3) * (random() < 0.03 ? 12 : 1));
      targets.push({ project, target, id: `${project}:${target}`, baseMs });
    }
  }
  return targets;
}

function statusOf(random) {
  const r = random();
  if (r < 0.6) return ['success', 'none'];
  if (r < 0.9) return ['local-cache', 'local'];
  if (r < 0.94) return ['remote-cache', 'remote'];
  if (r < 0.97) return ['failure', 'none'];
  return ['skipped', 'none'];
}

/**
 * Writes the history as JSONL in the exact RunRecord schema (core's run-record.ts), one file per
 * UTC day. Returns the history directory, its size and the record counts.
 */
export function writeHistory(workspaceRoot, { schemaVersion, seed = 7 }) {
  const random = seededRandom(seed);
  const targets = planTargets(random);
  const runsDir = join(workspaceRoot, '.sixty', 'runs');
  mkdirSync(runsDir, { recursive: true });
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const perDay = INVOCATIONS / DAYS;
  let bytes = 0;
  let tasksWritten = 0;
  for (let d = DAYS; d >= 1; d--) {
    const dayStart = today - d * DAY_MS;
    const lines = [];
    for (let i = 0; i < perDay; i++) {
      // working hours, UTC, so no run crosses midnight; the runs of a day in time order
      let clock = dayStart + 8 * 3600_000 + Math.floor(((i + random()) / perDay) * 9 * 3600_000);
      const runStart = clock;
      // 100 distinct targets: a partial Fisher-Yates shuffle of the 500
      const chosen = targets.slice();
      for (let k = 0; k < TASKS_PER_INVOCATION; k++) {
        const j = k + Math.floor(random() * (chosen.length - k));
        [chosen[k], chosen[j]] = [chosen[j], chosen[k]];
      }
      const tasks = [];
      let runEnd = runStart;
      for (let k = 0; k < TASKS_PER_INVOCATION; k++) {
        const t = chosen[k];
        const [status, cache] = statusOf(random);
        const durationMs =
          cache !== 'none' ? Math.floor(5 + random() * 60) : status === 'skipped' ? 0 : Math.round(t.baseMs * (0.7 + random() * 0.6));
        const startMs = clock + Math.floor(random() * 30);
        const endMs = startMs + durationMs;
        clock += Math.floor(durationMs / 3); // three tasks in parallel, roughly
        runEnd = Math.max(runEnd, endMs);
        const task = { id: t.id, project: t.project, target: t.target };
        task.hash = String(Math.floor(random() * 9e18) + 1e18);
        Object.assign(task, { status, cache, startMs, endMs, durationMs, exitCode: status === 'failure' ? 1 : status === 'skipped' ? null : 0 });
        tasks.push(task);
      }
      const run = {
        schemaVersion,
        id: `${runStart}-${Math.floor(random() * 2 ** 32).toString(36)}`,
        nxVersion: '22.7.12',
        command: random() < 0.5 ? 'nx affected -t build test' : 'nx run-many -t build test',
        startMs: runStart,
        endMs: runEnd + 200,
        tasks,
      };
      tasksWritten += tasks.length;
      lines.push(JSON.stringify(run));
    }
    const file = join(runsDir, `${new Date(dayStart).toISOString().slice(0, 10)}.jsonl`);
    writeFileSync(file, lines.join('\n') + '\n');
    bytes += statSync(file).size;
  }
  return { historyDir: join(workspaceRoot, '.sixty'), bytes, tasks: tasksWritten, targets: targets.length };
}

/** What the CLI does with nx's --graph file (packages/cli/src/nx-graph.ts), for the in-process step. */
function graphInput(data) {
  const tasks = Object.values(data.tasks?.tasks ?? {}).map((task) => ({
    id: task.id,
    project: task.target.project,
    target: task.target.target,
    ...(task.target.configuration ? { configuration: task.target.configuration } : {}),
  }));
  const projectDependencies = {};
  for (const project of Object.keys(data.graph?.nodes ?? {})) {
    projectDependencies[project] = (data.graph?.dependencies?.[project] ?? []).map((d) => d.target).filter((t) => !t.startsWith('npm:'));
  }
  // task dependencies are ids (nx 22) or { id } edges (nx 24)
  const dependencies = Object.fromEntries(
    Object.entries(data.tasks?.dependencies ?? {}).map(([task, deps]) => [task, deps.map((d) => (typeof d === 'string' ? d : d.id))]),
  );
  return { taskGraph: { tasks, dependencies }, projectDependencies };
}

export async function run({ quick }) {
  const runs = quick ? 3 : 5;
  const core = repoRequire(CORE_PATH);
  const env = { ...process.env, ...NX_ENV };
  const workspaceRoot = makeTempDir('report');
  const emptyRoot = makeTempDir('report-empty');
  const scratch = makeTempDir('report-graph');
  try {
    progress(`report: generating a ${PROJECTS}-project workspace and writing ${INVOCATIONS} invocations x ${TASKS_PER_INVOCATION} tasks over ${DAYS} day files`);
    generateWorkspace({ out: workspaceRoot, projects: PROJECTS, files: 1, seed: SEED, init: true, git: false });
    writeFileSync(join(emptyRoot, 'nx.json'), readFileSync(join(workspaceRoot, 'nx.json')));
    const history = writeHistory(workspaceRoot, { schemaVersion: core.RUN_RECORD_SCHEMA_VERSION });
    const nx = nxBin(workspaceRoot);

    // the history must read back whole, or the figures would be of a smaller job
    const check = core.readHistory(history.historyDir);
    const readTasks = check.runs.reduce((sum, r) => sum + r.tasks.length, 0);
    if (check.runs.length !== INVOCATIONS || readTasks !== history.tasks || check.skippedRecords !== 0) {
      throw new Error(`history did not read back: ${check.runs.length} runs, ${readTasks} tasks, ${check.skippedRecords} skipped`);
    }
    result(`report  history: ${history.tasks.toLocaleString('en-US')} task records, ${INVOCATIONS} invocations, ${history.targets} targets, ${check.files.length} files, ${formatBytes(history.bytes)}`);

    const rows = [];
    const timeCli = (label, args, { validate, cwd = REPO_ROOT, before } = {}) => {
      progress(`report: ${label}, 1 warm-up + ${runs} runs`);
      const samples = [];
      for (let i = 0; i <= runs; i++) {
        if (before) before();
        const { ms, stdout, stderr } = timeProcess(process.execPath, args, { cwd, env });
        if (i === 0 && validate) validate(stdout, stderr);
        if (i > 0) samples.push(ms);
      }
      const summary = summarize(samples);
      result(`report  ${label}  ${describeSummary(summary)}`);
      rows.push(timingRow(label, summary));
      return summary;
    };
    const validateReport = (expectGraph) => (stdout, stderr) => {
      const report = JSON.parse(stdout);
      if (report.invocations !== INVOCATIONS || report.targets.length !== history.targets) {
        throw new Error(`unexpected report: ${report.invocations} invocations, ${report.targets.length} targets`);
      }
      if (expectGraph && (!report.criticalPath || !report.simulation)) {
        throw new Error(`the report has no graph analysis: ${report.analysisNote ?? stderr.trim()}`);
      }
    };

    // nx first, from no cache each time: what the report pays when it must ask nx. Its last run leaves
    // the project graph cached, as any nx run that recorded history would have.
    const nxData = join(workspaceRoot, '.nx');
    const graphFile = join(scratch, 'graph.json');
    const nxGraph = timeCli(`\`nx run-many -t build,test --graph=<file>\` alone, no nx cache (nx ${nx.version})`, [nx.bin, 'run-many', '-t', TARGETS.join(','), `--graph=${graphFile}`], {
      cwd: workspaceRoot,
      before: () => rmSync(nxData, { recursive: true, force: true }),
    });
    const reportArgs = [CLI, 'report', '--json', '--cwd', workspaceRoot];
    const full = timeCli('`sixty report --json`, nx project graph cached (history + task graph analysis)', reportArgs, { validate: validateReport(true) });
    const cold = timeCli('`sixty report --json`, no nx cache (the report runs nx for the graph)', reportArgs, {
      validate: validateReport(true),
      before: () => rmSync(nxData, { recursive: true, force: true }),
    });
    const noGraph = timeCli('`sixty report --json --no-graph` (history statistics only)', [CLI, 'report', '--json', '--no-graph', '--cwd', workspaceRoot], {
      validate: validateReport(false),
    });
    const empty = timeCli('`sixty report --json`, empty history', [CLI, 'report', '--json', '--cwd', emptyRoot]);
    const nodeOnly = timeCli('`node -e 0` (Node start-up alone)', ['-e', '0']);

    // in-process: the same work without process start-up, step by step
    progress(`report: in-process steps, 1 warm-up + ${runs} runs each`);
    const options = core.normalizeOptions({ budgetSeconds: 60 }).options;
    let read;
    let stats;
    let report;
    const steps = [
      ['readHistory (read + JSON.parse + schema check)', () => (read = core.readHistory(history.historyDir))],
      ['computeTargetStats (group, percentiles)', () => (stats = core.computeTargetStats(read.runs))],
      ['buildReport (history statistics only)', () => (report = core.buildReport({ history: read, options }))],
    ];
    if (typeof core.analyzeGraph === 'function') {
      const input = graphInput(JSON.parse(readFileSync(graphFile, 'utf8')));
      steps.push([
        `analyzeGraph (${input.taskGraph.tasks.length} tasks, parallel 3)`,
        () =>
          core.analyzeGraph({
            ...input,
            p90ByTask: new Map(stats.filter((t) => t.executions > 0).map((t) => [t.task, t.p90Ms])),
            parallel: 3,
            budgetMsFor: (task) => core.budgetMsFor(options, task),
          }),
      ]);
    }
    steps.push(['JSON render', () => core.rendererFor('json').render(report)]);
    const inProcessRows = [];
    let inProcessTotal = 0;
    for (const [label, fn] of steps) {
      const step = await timeRuns(fn, { runs, warmup: 1 });
      if (!label.startsWith('computeTargetStats')) inProcessTotal += step.median; // buildReport computes the stats itself
      inProcessRows.push(timingRow(label, step));
      result(`report  in-process ${label}  ${describeSummary(step)}`);
    }

    const met = full.median < GOAL_MS;
    const notes = [
      `Where the time goes: the CLI's fixed cost is ${formatMs(empty.median)} (empty history; Node's own start-up is ${formatMs(nodeOnly.median)}); ` +
        `reading and summarizing 100,000 records is about ${formatMs(inProcessTotal)} in-process (the steps above, without computeTargetStats, which buildReport includes).`,
      `With nx's project graph cached (.nx/workspace-data, written by the nx runs that recorded the history) the report computes the task graph itself; ` +
        `without that cache it runs nx for it: ${formatMs(cold.median)} instead of ${formatMs(full.median)} (nx alone, from no cache: ${formatMs(nxGraph.median)}).`,
      `With \`--no-graph\` the report takes ${formatMs(noGraph.median)}.`,
    ];
    if (!met) notes.push(`The report takes ${formatMs(full.median)}, over the ${formatMs(GOAL_MS)} goal.`);
    return {
      id,
      title: 'Report over 100,000 history records',
      about: [
        `A synthetic workspace (tools/synth, ${PROJECTS} projects, plugin registered) gets a history written directly as JSONL in ` +
          'the exact `RunRecord` schema: 1,000 nx invocations of 100 distinct tasks each, spread over 10 day files, drawn ' +
          `from its ${history.targets} targets (${PROJECTS} projects x build/test), with 60% executed, 34% cache hits, 3% ` +
          'failures, 3% skipped. The history is read back once to check that all 100,000 records are valid, then ' +
          '`sixty report --json` is timed as a whole process (spawn to exit): as run by default, which also analyses ' +
          'the task graph of the recorded targets, with nx\'s project graph cache in place (as after any nx run) and ' +
          'without it (the report then runs nx), and with `--no-graph`. The same work is then timed in-process, step by step.',
      ],
      setup: [
        `history: ${history.tasks.toLocaleString('en-US')} task records, ${INVOCATIONS} invocations, ${check.files.length} files, ${formatBytes(history.bytes)}`,
        `command: \`node packages/cli/bin/sixty.js report --json --cwd <workspace>\`; 1 warm-up, then ${runs} timed runs per case`,
        `nx ${nx.version} (the workspace's \`nx\` package, as the report resolves it); environment ${Object.entries(NX_ENV).map(([k, v]) => `\`${k}=${v}\``).join(', ')}`,
      ],
      tables: [
        { title: 'Whole process', columns: TIMING_COLUMNS, rows },
        { title: 'In-process (core bundle), 100,000 records', columns: TIMING_COLUMNS, rows: inProcessRows },
      ],
      goal: {
        text: `\`sixty report --json\` over 100,000 records in under ${formatMs(GOAL_MS)}`,
        figure: `${formatMs(full.median)} median (nx graph cached; ${formatMs(cold.median)} without nx's cache, ${formatMs(noGraph.median)} with \`--no-graph\`)`,
        met,
      },
      notes,
    };
  } finally {
    removeTempDir(workspaceRoot);
    removeTempDir(emptyRoot);
    removeTempDir(scratch);
  }
}
