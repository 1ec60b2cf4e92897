// Benchmark: core's graph analysis (`analyzeGraph`, what `sixty report` runs after reading nx's
// graphs) on a synthetic task graph of 10,000 tasks: 2,500 projects x build, test, lint,
// typecheck, over a layered project DAG with ^build dependencies and p90 durations. Timed
// in-process on the built core bundle, as a whole and part by part through core's exported
// functions. Runnable alone: node tools/bench/analysis.mjs [--quick]
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { seededRandom } from '../synth/synth.mjs';
import {
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  progress,
  repoRequire,
  result,
  summarize,
  timeRuns,
  timingRow,
} from './lib.mjs';

export const id = 'analysis';
export const GOAL_MS = 100;
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');
const SEED = 60;
const PARALLEL = 3;
const BUDGET_MS = 60_000;
const TARGETS = ['build', 'test', 'lint', 'typecheck'];

// 2,500 projects: 40 shared foundation libraries, 60 domains of 40 libraries, one app per domain.
const SHARED = 40;
const DOMAINS = 60;
const LIBS_PER_DOMAIN = 40;

/** Integer in [low, high]. */
function between(random, low, high) {
  return low + Math.floor(random() * (high - low + 1));
}

/** A lognormal duration around `medianMs`: most tasks near it, a tail of slow ones. */
function duration(random, medianMs, sigma = 0.7) {
  // Box-Muller on the seeded generator
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.max(50, Math.round(medianMs * Math.exp(sigma * normal)));
}

/**
 * The project graph, in dependency order (a project only depends on earlier ones):
 *  - shared libraries depend on 0-2 earlier shared ones;
 *  - a domain library depends on 1-3 of the recent libraries of its domain, on a shared
 *    library half the time, and on a library of an earlier domain one time in eight;
 *  - each domain's app depends on 6-12 libraries of its domain and 1-3 shared ones.
 */
export function planProjectGraph(random, { sharedShare = 0.5, crossDomainShare = 0.125 } = {}) {
  const projects = [];
  const dependencies = {};
  const add = (name, kind, deps) => {
    projects.push({ name, kind });
    dependencies[name] = [...new Set(deps)].sort();
  };
  const shared = [];
  for (let i = 0; i < SHARED; i++) {
    const name = `shared-${String(i).padStart(2, '0')}`;
    const deps = [];
    const count = i === 0 ? 0 : between(random, 0, Math.min(2, i));
    for (let k = 0; k < count; k++) deps.push(shared[Math.floor(random() * i)]);
    add(name, 'lib', deps);
    shared.push(name);
  }
  const domainLibs = [];
  for (let d = 0; d < DOMAINS; d++) {
    const libs = [];
    for (let i = 0; i < LIBS_PER_DOMAIN; i++) {
      const name = `d${String(d).padStart(2, '0')}-lib-${String(i).padStart(2, '0')}`;
      const deps = [];
      if (i > 0) {
        const count = between(random, 1, Math.min(3, i));
        // recent libraries of the domain are the likeliest dependencies
        for (let k = 0; k < count; k++) deps.push(libs[i - 1 - Math.floor(random() * random() * i)]);
      }
      if (random() < sharedShare) deps.push(shared[Math.floor(random() * SHARED)]);
      if (d > 0 && random() < crossDomainShare) {
        const other = domainLibs[Math.floor(random() * d)];
        deps.push(other[Math.floor(random() * other.length)]);
      }
      add(name, 'lib', deps);
      libs.push(name);
    }
    domainLibs.push(libs);
  }
  for (let d = 0; d < DOMAINS; d++) {
    const libs = domainLibs[d];
    const deps = [];
    for (let k = between(random, 6, 12); k > 0; k--) deps.push(libs[Math.floor(random() * libs.length)]);
    for (let k = between(random, 1, 3); k > 0; k--) deps.push(shared[Math.floor(random() * SHARED)]);
    add(`d${String(d).padStart(2, '0')}-app`, 'app', deps);
  }
  return { projects, dependencies };
}

/**
 * The task graph of `nx run-many -t build test lint typecheck` over that project graph, as core's
 * TaskGraphInput: build depends on ^build, test on its own build, typecheck on ^build, lint on
 * nothing. p90 durations per task; 1% of the tasks have none (never executed: estimated).
 */
export function syntheticAnalysisInput({ seed = SEED, shape } = {}) {
  const random = seededRandom(seed);
  const { projects, dependencies } = planProjectGraph(random, shape);
  const tasks = [];
  const taskDependencies = {};
  const p90ByTask = new Map();
  const medianMs = { build: 8_000, test: 20_000, lint: 5_000, typecheck: 10_000 };
  for (const { name, kind } of projects) {
    const upstreamBuilds = dependencies[name].map((dependency) => `${dependency}:build`);
    for (const target of TARGETS) {
      const taskId = `${name}:${target}`;
      tasks.push({ id: taskId, project: name, target });
      const deps = target === 'build' || target === 'typecheck' ? upstreamBuilds : target === 'test' ? [`${name}:build`] : [];
      if (deps.length > 0) taskDependencies[taskId] = deps;
      if (random() < 0.01) continue;
      let ms = duration(random, medianMs[target] * (kind === 'app' ? 6 : 1));
      if (target === 'test' && random() < 0.03) ms *= 4; // the slow suites that break the budget
      p90ByTask.set(taskId, ms);
    }
  }
  const taskGraph = { tasks, dependencies: taskDependencies };
  // what-ifs: the slowest test task in 4 parts, and the build of the most depended-on shared library in 2
  const slowestTest = tasks
    .filter((task) => task.target === 'test' && p90ByTask.has(task.id))
    .reduce((best, task) => (p90ByTask.get(task.id) > p90ByTask.get(best.id) ? task : best)).id;
  return {
    projects,
    input: {
      taskGraph,
      projectDependencies: dependencies,
      p90ByTask,
      parallel: PARALLEL,
      budgetMsFor: () => BUDGET_MS,
      whatIf: [
        { task: slowestTest, parts: 4 },
        { task: 'shared-00:build', parts: 2 },
      ],
    },
  };
}

/** Every project reachable from `start` along `edges` (project -> projects), `start` included. */
function reach(start, edges) {
  const seen = new Set([start]);
  const pending = [start];
  while (pending.length > 0) {
    for (const next of edges.get(pending.pop()) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        pending.push(next);
      }
    }
  }
  return seen;
}

/**
 * Figures of the generated graph that say how much work the analysis has. A loop (a change in
 * project P) simulates the tasks of P and of every project depending on it, so the work of
 * loop times is the sum of those task counts ("task placements"), not the task count.
 */
function graphFigures(input) {
  const edges = Object.values(input.taskGraph.dependencies).reduce((sum, deps) => sum + deps.length, 0);
  const dependentsOf = new Map();
  let projectEdges = 0;
  for (const [project, deps] of Object.entries(input.projectDependencies)) {
    for (const dependency of deps) {
      projectEdges++;
      if (!dependentsOf.has(dependency)) dependentsOf.set(dependency, []);
      dependentsOf.get(dependency).push(project);
    }
  }
  const tasksOf = new Map();
  for (const task of input.taskGraph.tasks) tasksOf.set(task.project, (tasksOf.get(task.project) ?? 0) + 1);
  /** Tasks the loop of a change in each project simulates. */
  const loopTasks = new Map();
  const dependentCounts = [];
  for (const project of Object.keys(input.projectDependencies)) {
    const reached = reach(project, dependentsOf);
    dependentCounts.push(reached.size - 1);
    let tasks = 0;
    for (const affected of reached) tasks += tasksOf.get(affected) ?? 0;
    loopTasks.set(project, tasks);
  }
  dependentCounts.sort((a, b) => a - b);
  const dependencyEdges = new Map(Object.entries(input.projectDependencies));
  /** Loops a split of this task's project re-simulates (its project and every project it depends on) and their task placements. */
  const resimulation = (project) => {
    let loops = 0;
    let placements = 0;
    for (const running of reach(project, dependencyEdges)) {
      loops++;
      placements += loopTasks.get(running);
    }
    return { loops, placements };
  };
  return {
    tasks: input.taskGraph.tasks.length,
    projects: dependentCounts.length,
    edges,
    projectEdges,
    medianDependents: dependentCounts[dependentCounts.length >> 1],
    p90Dependents: dependentCounts[Math.floor(0.9 * (dependentCounts.length - 1))],
    maxDependents: dependentCounts[dependentCounts.length - 1],
    loopPlacements: [...loopTasks.values()].reduce((sum, n) => sum + n, 0),
    resimulation,
  };
}

/** Throws unless the analysis found what the graph holds: a benchmark must never time an empty answer. */
function validate(analysis, input, figures, core) {
  const problems = [];
  if (!(analysis.criticalPath.tasks.length > 1 && analysis.criticalPath.durationMs > 0)) problems.push('no critical path');
  const graph = core.buildWeightedTaskGraph(input.taskGraph, input.p90ByTask);
  const path = core.findCriticalPath(graph);
  if (path.durationMs !== analysis.criticalPath.durationMs) problems.push(`critical path ${analysis.criticalPath.durationMs} ms, findCriticalPath ${path.durationMs} ms`);
  if (analysis.simulation.tasks.length !== figures.tasks) problems.push(`simulation scheduled ${analysis.simulation.tasks.length} of ${figures.tasks} tasks`);
  if (!(analysis.simulation.predictedWallMs >= analysis.criticalPath.durationMs)) problems.push('predicted wall time below the critical path');
  if (analysis.loopTimes.length !== figures.projects) problems.push(`${analysis.loopTimes.length} loop times for ${figures.projects} projects`);
  if (analysis.violations.length === 0) problems.push('no budget violations ranked');
  if (analysis.whatIf.length !== input.whatIf.length) problems.push(`${analysis.whatIf.length} what-ifs of ${input.whatIf.length}`);
  if (analysis.estimatedTasks.length === 0) problems.push('no estimated tasks');
  if (problems.length > 0) throw new Error(`analysis: the result is wrong: ${problems.join('; ')}`);
}

/**
 * timeRuns with as many runs as fit in `budgetMs` (judged by the warm-up), between minRuns and
 * maxRuns: a case that takes seconds still gets a median of several runs without taking minutes.
 */
async function timeAdaptive(fn, { minRuns, maxRuns, budgetMs, warmup = 1 }) {
  let slowest = 0;
  for (let i = 0; i < warmup; i++) {
    const start = performance.now();
    await fn();
    slowest = Math.max(slowest, performance.now() - start);
  }
  const runs = Math.max(minRuns, Math.min(maxRuns, Math.floor(budgetMs / Math.max(slowest, 0.001))));
  return timeRuns(fn, { runs, warmup: 0 });
}

/**
 * The first analysis of a fresh process, as a one-shot `sixty report` runs it (cold code, nx's
 * graphs read first: a 0.5 s pause stands in).
 */
function oneShotFigures(quick) {
  const code = `
    import { createRequire } from 'node:module';
    import { execFileSync } from 'node:child_process';
    import { syntheticAnalysisInput } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'tools/bench/analysis.mjs')).href)};
    const core = createRequire(${JSON.stringify(CORE_PATH)})(${JSON.stringify(CORE_PATH)});
    const { input } = syntheticAnalysisInput();
    execFileSync('sleep', ['0.5']);
    const start = performance.now();
    core.analyzeGraph(input);
    process.stdout.write(String(performance.now() - start));`;
  const runs = quick ? 3 : 7;
  const times = [];
  progress(`analysis: first analysis of a fresh process, ${runs} runs`);
  for (let k = 0; k < runs; k++) {
    times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })));
  }
  return summarize(times);
}

/** Other project graph shapes over the same 10,000 tasks: how the figure moves with the loops' work. */
const SHAPES = [
  { label: 'default (above): 50% of libraries use a shared one, 12.5% one of an earlier domain', shape: {} },
  { label: 'domains independent: no library uses another domain\'s', shape: { crossDomainShare: 0 } },
  { label: 'domains independent, 20% of libraries use a shared one', shape: { crossDomainShare: 0, sharedShare: 0.2 } },
];

const NO_EXTRAS = { whatIf: [], budgetMsFor: () => 1e12 };

export async function run({ quick }) {
  const timing = quick ? { minRuns: 3, maxRuns: 5, budgetMs: 10_000 } : { minRuns: 5, maxRuns: 20, budgetMs: 45_000 };
  const partTiming = quick ? { minRuns: 3, maxRuns: 5, budgetMs: 5_000 } : { minRuns: 5, maxRuns: 15, budgetMs: 20_000 };
  const warmup = quick ? 1 : 2;
  const core = repoRequire(CORE_PATH);
  const { input } = syntheticAnalysisInput();
  const figures = graphFigures(input);
  progress(
    `analysis: ${figures.tasks} tasks (${figures.projects} projects x ${TARGETS.length} targets), ${figures.edges} task edges, ` +
      `${figures.loopPlacements} task placements over all loops`,
  );

  const analysis = core.analyzeGraph(input);
  validate(analysis, input, figures, core);
  const overBudgetLoops = analysis.loopTimes.filter((loop) => loop.overBudget).length;
  const exactViolations = analysis.violations.filter((violation) => violation.loopCostExact);
  let violationLoops = 0;
  let violationPlacements = 0;
  for (const violation of exactViolations) {
    const { loops, placements } = figures.resimulation(violation.task.slice(0, violation.task.indexOf(':')));
    violationLoops += loops;
    violationPlacements += placements;
  }

  const rows = [];
  const timeRow = async (label, variant) => {
    progress(`analysis: ${label}, ${warmup} warm-up + ${timing.minRuns}-${timing.maxRuns} runs`);
    const summary = await timeAdaptive(() => core.analyzeGraph(variant), { ...timing, warmup });
    rows.push(timingRow(label, summary));
    result(`analysis  ${label}  ${describeSummary(summary)}`);
    return summary;
  };
  const wholeLabel = `analyzeGraph, ${figures.tasks.toLocaleString('en-US')} tasks, --parallel ${PARALLEL}, ${input.whatIf.length} what-ifs`;
  const whole = await timeRow(wholeLabel, input);
  const noWhatIf = await timeRow('the same without the what-ifs (sixty report\'s default)', { ...input, whatIf: [] });
  const bare = await timeRow('analyzeGraph, no what-if and no task over budget (no violations to rank)', { ...input, ...NO_EXTRAS });
  const oneShot = oneShotFigures(quick);

  // the parts, through core's exported functions: each indexes the graph (and builds the loop
  // model) again, which analyzeGraph does once, so their sum is more than the whole
  const graph = core.buildWeightedTaskGraph(input.taskGraph, input.p90ByTask);
  const projectDependents = core.countProjectDependents(input.projectDependencies);
  const options = { parallel: PARALLEL, budgetMsFor: input.budgetMsFor };
  const [firstWhatIf] = input.whatIf;
  const parts = [
    ['buildWeightedTaskGraph (graphology, checks, estimates)', () => core.buildWeightedTaskGraph(input.taskGraph, input.p90ByTask)],
    ['findCriticalPath', () => core.findCriticalPath(graph)],
    ['countProjectDependents', () => core.countProjectDependents(input.projectDependencies)],
    [`simulateSchedule, --parallel ${PARALLEL}`, () => core.simulateSchedule(graph, { parallel: PARALLEL, projectDependents })],
    [`computeLoopTimes, all ${figures.projects.toLocaleString('en-US')} projects`, () => core.computeLoopTimes(graph, input.projectDependencies, options)],
    [
      `rankBudgetViolations (${analysis.violations.length} over budget, ${exactViolations.length} simulated exactly)`,
      () => core.rankBudgetViolations(graph, input.projectDependencies, options),
    ],
    [`whatIf ${firstWhatIf.task} in ${firstWhatIf.parts}`, () => core.whatIf(graph, input.projectDependencies, firstWhatIf.task, firstWhatIf.parts, { parallel: PARALLEL })],
  ];
  const partRows = [];
  const partSummaries = [];
  for (const [label, fn] of parts) {
    progress(`analysis: ${label}`);
    const summary = await timeAdaptive(fn, { ...partTiming, warmup });
    partSummaries.push(summary);
    partRows.push(timingRow(label, summary));
    result(`analysis  ${label}  ${describeSummary(summary)}`);
  }

  const shapeRows = [];
  for (const { label, shape } of SHAPES) {
    let variant = { input, figures };
    if (Object.keys(shape).length > 0) {
      const generated = syntheticAnalysisInput({ shape }).input;
      variant = { input: generated, figures: graphFigures(generated) };
      validate(core.analyzeGraph(generated), generated, variant.figures, core);
      progress(`analysis: shape "${label}"`);
    }
    const isDefault = Object.keys(shape).length === 0;
    const full = isDefault ? whole : await timeAdaptive(() => core.analyzeGraph(variant.input), { ...partTiming, warmup });
    const plain = isDefault ? bare : await timeAdaptive(() => core.analyzeGraph({ ...variant.input, ...NO_EXTRAS }), { ...partTiming, warmup });
    shapeRows.push([
      label,
      `${variant.figures.medianDependents} / ${variant.figures.p90Dependents} / ${variant.figures.maxDependents}`,
      variant.figures.loopPlacements.toLocaleString('en-US'),
      `${formatMs(full.median)} (${formatMs(full.min)}-${formatMs(full.max)}, n=${full.n})`,
      `${formatMs(plain.median)} (${formatMs(plain.min)}-${formatMs(plain.max)}, n=${plain.n})`,
    ]);
    result(`analysis  shape: ${label}  all loops ${variant.figures.loopPlacements} tasks; analyzeGraph ${describeSummary(full)}; without violations/what-ifs ${describeSummary(plain)}`);
  }

  const met = whole.median < GOAL_MS;
  const notes = [
    'The parts are timed through core\'s exported functions, each of which builds its own indexed graph (and, for loop times, ' +
      'violations and what-if, its own loop model); analyzeGraph builds those once and shares them, so the parts add up to more than the whole.',
    `Loop times simulate, for each project, the tasks of the project and of every project that depends on it: ${figures.loopPlacements.toLocaleString('en-US')} ` +
      `task placements over the ${figures.projects.toLocaleString('en-US')} loops (dependent projects: median ${figures.medianDependents}, ` +
      `p90 ${figures.p90Dependents}, max ${figures.maxDependents}). That, not the task count, is what loop times, violations and what-ifs scale with.`,
    `Ranking the violations simulates every loop that runs each of the ${exactViolations.length} top candidates again with the task split ` +
      `(EXACT_VIOLATIONS): ${violationLoops.toLocaleString('en-US')} loops, ${violationPlacements.toLocaleString('en-US')} task placements, ` +
      `${(violationPlacements / figures.loopPlacements).toFixed(1)}x the work of all loop times. The top candidates are the slow tasks of apps, whose ` +
      'loops are those of every project the app depends on, the shared libraries with thousands of dependents among them.',
  ];
  notes.push(
    `Without the what-ifs (what \`sixty report\` runs unless --what-if is given) the analysis takes ${formatMs(noWhatIf.median)}.`,
    `The first analysis of a fresh process is cold code: ${formatMs(oneShot.median)}; that, not the warm figure, is what a one-shot \`sixty report\` pays. ` +
      'A helper thread that simulated half the runs on the other core measured no gain on it here (268 ms with it, 267 ms without, on this 2-core machine) ' +
      'and was removed (issue #16).',
  );
  if (!met) {
    notes.push(
      `analyzeGraph takes ${formatMs(whole.median)}, over the ${GOAL_MS} ms goal. Without violations and what-ifs it takes ${formatMs(bare.median)}, ` +
        `of which loop times are most (computeLoopTimes alone: ${formatMs(partSummaries[4].median)} for ${figures.loopPlacements.toLocaleString('en-US')} task placements, ` +
        `${((partSummaries[4].median * 1e6) / figures.loopPlacements).toFixed(0)} ns each); the violation ranking and the what-ifs re-simulate the loops that run the split task. ` +
        'analyzeGraph flattens the input without building the graphology graph (the buildWeightedTaskGraph row), which the exported functions take.',
    );
  }
  return {
    id,
    title: 'Graph analysis (analyzeGraph, 10,000 tasks)',
    about: [
      'Core\'s `analyzeGraph` (critical path, simulated `--parallel` schedule, loop time of every project, budget violations ' +
        'ranked by the loop time they cost, what-ifs) is called in-process on the built core bundle with a synthetic task graph ' +
        'in the plain-data shape the CLI passes it (`TaskGraphInput`, project dependencies, p90 per task), generated ' +
        `deterministically (seed ${SEED}).`,
    ],
    setup: [
      `${figures.projects.toLocaleString('en-US')} projects (${SHARED} shared libraries, ${DOMAINS} domains of ${LIBS_PER_DOMAIN} libraries and one app each), ` +
        `${figures.projectEdges.toLocaleString('en-US')} project dependencies, each only on earlier projects (a layered DAG): a domain library uses ` +
        '1-3 recent libraries of its domain, a shared library half the time and a library of an earlier domain one time in eight; an app uses 6-12 of its domain',
      `${figures.tasks.toLocaleString('en-US')} tasks (${TARGETS.join(', ')} per project), ${figures.edges.toLocaleString('en-US')} task dependencies: ` +
        'build and typecheck on `^build`, test on its own build',
      'p90 durations lognormal (median build 8 s, test 20 s, lint 5 s, typecheck 10 s; apps 6x), 3% of test suites 4x slower; ' +
        `${analysis.estimatedTasks.length} tasks without a p90 (estimated)`,
      `--parallel ${PARALLEL}, budget ${BUDGET_MS / 1000} s per task: ${analysis.violations.length} tasks over budget, ` +
        `${overBudgetLoops.toLocaleString('en-US')} loops over budget; what-ifs: ${input.whatIf.map((w) => `${w.task} in ${w.parts}`).join(', ')}`,
      `result checked before timing: critical path of ${analysis.criticalPath.tasks.length} tasks (${formatMs(analysis.criticalPath.durationMs)}) equal to findCriticalPath's, ` +
        `every task scheduled (predicted wall ${formatMs(analysis.simulation.predictedWallMs)}), one loop time per project, violations and what-ifs present`,
      `${warmup} warm-up run(s), then as many timed runs as fit in ${timing.budgetMs / 1000} s, between ${timing.minRuns} and ${timing.maxRuns} ` +
        `(parts and shapes: ${partTiming.budgetMs / 1000} s, ${partTiming.minRuns}-${partTiming.maxRuns})`,
    ],
    tables: [
      { title: 'Whole analysis', columns: TIMING_COLUMNS, rows },
      {
        title: 'First analysis of a fresh process (cold code; what a one-shot sixty report pays)',
        columns: TIMING_COLUMNS,
        rows: [timingRow('analyzeGraph, first call in a fresh process', oneShot)],
      },
      { title: 'Part by part (exported functions, same graph)', columns: TIMING_COLUMNS, rows: partRows },
      {
        title: 'Other project graph shapes, same 10,000 tasks',
        columns: [
          { title: 'Shape' },
          { title: 'Dependent projects (median / p90 / max)', right: true },
          { title: 'Tasks over all loops', right: true },
          { title: 'analyzeGraph median (min-max)', right: true },
          { title: 'Without violations and what-ifs', right: true },
        ],
        rows: shapeRows,
      },
    ],
    goal: {
      text: `analyzeGraph on 10,000 tasks in under ${GOAL_MS} ms (median, warm, in-process)`,
      figure: `${formatMs(whole.median)} median (min ${formatMs(whole.min)}, max ${formatMs(whole.max)})`,
      met,
    },
    notes,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  result(`${section.title}: ${section.goal.figure} (goal: ${section.goal.text}) ${section.goal.met ? 'met' : 'NOT met'}`);
}
