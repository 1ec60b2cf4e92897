// Benchmark: core's local planners on generated inputs, in-process on the built core bundle.
//  - planSplit (the budgeted acyclic partition) on the import graph of a generated project of
//    1,000, 5,000 and 10,000 files (the same generator as the import-graph benchmark) with
//    build costs from file sizes and co-change weights from a synthetic git log, as
//    `sixty plan --kind split` gathers them; each plan is checked with validatePlan.
//  - planShards (LPT + rebalancing) on 40, 400 and 4,000 test files with skewed costs, into
//    several shard counts: time and quality (largest shard against an even share).
// Runnable alone: node tools/bench/planners.mjs [--quick]
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { seededRandom } from '../synth/synth.mjs';
import { importTreeGraph } from './import-graph.mjs';
import {
  REPO_ROOT,
  TIMING_COLUMNS,
  describeSummary,
  formatMs,
  formatRatio,
  progress,
  repoRequire,
  result,
  timeRuns,
  timingRow,
} from './lib.mjs';

export const id = 'planners';
export const SPLIT_GOAL_MS = 2000;
export const SHARD_GOAL_RATIO = 1.05;
/** The shard quality goal applies from this many files per shard up. */
const SHARD_GOAL_MIN_FILES_PER_SHARD = 4;
const CORE_PATH = join(REPO_ROOT, 'packages/core/dist/index.js');
const PROJECT_ROOT = 'libs/big';
const PROJECT = 'big';
const SPLIT_SIZES = [1_000, 5_000, 10_000];
const SPLIT_GOAL_FILES = 5_000;
/** Build time per module: 5,000 files (3,750 modules) take 7.5 minutes against a 1-minute budget, about 9 parts. */
const BUILD_MS_PER_FILE = 120;
const BUDGET_MS = 60_000;
const GIT_LOG_COMMITS = 500; // what the CLI reads (gather-planning-input.ts)
const SEED = 5;
const EXISTING_PROJECTS = ['big', 'big-account', 'shell', 'ui-kit', 'api'];

// ---------------------------------------------------------------- split input

/**
 * A git log over the project as `git log --name-only` would give it (parsed): each commit
 * touches a module, often its test and a few neighbours in its folder, sometimes a file of
 * another folder; one commit in 25 is a mass change of 60-200 files (a rename, a format run)
 * that coChangeWeights skips.
 */
function syntheticCommits(graph, random, count = GIT_LOG_COMMITS) {
  const byFolder = new Map();
  for (const file of graph.files) {
    const folder = file.path.slice(0, file.path.lastIndexOf('/'));
    if (!byFolder.has(folder)) byFolder.set(folder, []);
    byFolder.get(folder).push(file.path);
  }
  const folders = [...byFolder.keys()];
  const paths = graph.files.map((file) => file.path);
  const known = new Set(paths);
  const commits = [];
  for (let c = 0; c < count; c++) {
    const files = new Set();
    if (random() < 0.04) {
      for (let k = 60 + Math.floor(random() * 140); k > 0; k--) files.add(paths[Math.floor(random() * paths.length)]);
    } else {
      // folders that change often change more: a skewed pick
      const folder = byFolder.get(folders[Math.floor(random() * random() * folders.length)]);
      const start = Math.floor(random() * folder.length);
      for (let k = 1 + Math.floor(random() * 6); k > 0; k--) files.add(folder[(start + Math.floor(random() * 5)) % folder.length]);
      for (const file of [...files]) {
        const test = file.replace(/\.ts$/, '.test.ts');
        if (random() < 0.6 && known.has(test)) files.add(test);
      }
      if (random() < 0.2) files.add(paths[Math.floor(random() * paths.length)]);
    }
    commits.push({ hash: (0x10000000 + c).toString(16).padStart(40, '0'), files: [...files] });
  }
  return commits;
}

/** Everything planSplit and validatePlan take, as `sixty plan big:build --kind split` gathers it. */
export function splitInput(core, files, seed = SEED) {
  const graph = importTreeGraph({ files, projectRoot: PROJECT_ROOT });
  const random = seededRandom(seed + files);
  const modules = graph.files.filter((file) => !file.isTest);
  const tests = graph.files.filter((file) => file.isTest);
  const p90Ms = modules.length * BUILD_MS_PER_FILE;
  const fileCosts = Object.fromEntries([
    ...core.estimateModuleCosts(modules, p90Ms).map((cost) => [cost.path, cost.costMs]),
    ...tests.map((file) => [file.path, 0]),
  ]);
  const coChange = core.coChangeWeights(syntheticCommits(graph, random), graph.files.map((file) => file.path));
  const options = {
    task: `${PROJECT}:build`,
    projectName: PROJECT,
    projectRoot: PROJECT_ROOT,
    graph,
    fileCosts,
    budgetMs: BUDGET_MS,
    coChange,
    existingProjects: EXISTING_PROJECTS,
  };
  const context = {
    projectRoot: PROJECT_ROOT,
    projectFiles: graph.files.map((file) => file.path),
    existingProjects: EXISTING_PROJECTS,
    budgetMs: BUDGET_MS,
    publicExports: graph.publicModules,
    symlinksOutside: [],
    importEdges: graph.edges,
    task: `${PROJECT}:build`,
  };
  return { graph, options, context, p90Ms, coChange };
}

/** The plan must be valid, place every file, and actually split (more than one part). */
function checkSplitPlan(plan, validation, graph, files) {
  const problems = [];
  if (!validation.valid) problems.push(`validatePlan: ${validation.problems.slice(0, 3).join('; ')}`);
  const placed = plan.projects.reduce((sum, part) => sum + part.files.length, 0) + plan.keptFiles.length;
  if (placed !== graph.files.length) problems.push(`${placed} files placed of ${graph.files.length}`);
  if (plan.projects.length < 2) problems.push(`${plan.projects.length} part(s)`);
  if (problems.length > 0) throw new Error(`planners: the split plan of ${files} files is wrong: ${problems.join('; ')}`);
}

// ---------------------------------------------------------------- shard input

/** Cost profiles of test files: lognormal around 2 s with a spread `sigma`; `slow` of them `slowFactor` times slower. */
const PROFILES = {
  skewed: { sigma: 0.8, slow: 0.02, slowFactor: 5, text: 'skewed: lognormal around 2 s (sigma 0.8), one file in 50 five times slower' },
  mild: { sigma: 0.3, slow: 0, slowFactor: 1, text: 'mild: lognormal around 2 s (sigma 0.3)' },
};

/** Test files of one profile, named as a project's tests would be. */
export function shardFiles(count, profile = 'skewed', seed = SEED) {
  const { sigma, slow, slowFactor } = PROFILES[profile];
  const random = seededRandom(seed * 1000 + count + (profile === 'mild' ? 7 : 0));
  const files = [];
  for (let i = 0; i < count; i++) {
    const u = Math.max(random(), 1e-12);
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    let costMs = Math.round(2000 * Math.exp(sigma * normal));
    if (random() < slow) costMs *= slowFactor;
    files.push({ path: `${PROJECT_ROOT}/src/area-${String(i % 37).padStart(2, '0')}/suite-${String(i).padStart(4, '0')}.test.ts`, costMs: Math.max(20, costMs) });
  }
  return files;
}

/**
 * The mixes: file count, cost profile and the shard count aimed at. The budget is set so that
 * count is the fewest that fits under budget x 0.85 with 3% to spare; the planner picks the
 * count itself.
 */
const SHARD_MIXES = [
  { files: 40, profile: 'skewed', shards: 4 },
  { files: 40, profile: 'skewed', shards: 10 },
  { files: 40, profile: 'skewed', shards: 20 },
  { files: 400, profile: 'skewed', shards: 10 },
  { files: 400, profile: 'skewed', shards: 40 },
  { files: 4_000, profile: 'skewed', shards: 40 },
  { files: 4_000, profile: 'skewed', shards: 400 },
  { files: 40, profile: 'mild', shards: 10 },
  { files: 400, profile: 'mild', shards: 100 },
  { files: 4_000, profile: 'mild', shards: 1_000 },
];

// ---------------------------------------------------------------- run

export async function run({ quick }) {
  const runs = quick ? 3 : 10;
  const warmup = quick ? 1 : 2;
  const core = repoRequire(CORE_PATH);
  const splitRows = [];
  const splitQualityRows = [];
  const splitSetup = [];
  let goalSplit;

  for (const files of SPLIT_SIZES) {
    const { graph, options, context, p90Ms, coChange } = splitInput(core, files);
    const plan = core.planSplit(options);
    const validation = core.validatePlan(plan, context);
    checkSplitPlan(plan, validation, graph, files);
    progress(`planners: planSplit on ${files} files (${graph.edges.length} edges, ${coChange.pairs.length} co-change pairs), ${warmup} warm-up + ${runs} runs`);
    const split = await timeRuns(() => core.planSplit(options), { runs, warmup });
    const validate = await timeRuns(() => core.validatePlan(plan, context), { runs, warmup });
    if (files === SPLIT_GOAL_FILES) goalSplit = split;
    splitRows.push(timingRow(`planSplit, ${files.toLocaleString('en-US')} files`, split));
    splitRows.push(timingRow(`validatePlan on that split plan`, validate));
    result(`planners  planSplit ${String(files).padStart(5)} files  ${describeSummary(split)}`);
    result(`planners  validatePlan (split) ${String(files).padStart(5)} files  ${describeSummary(validate)}`);
    const capacityMs = BUDGET_MS * core.DEFAULT_SAFETY_MARGIN;
    const largest = Math.max(...plan.projects.map((part) => part.estimatedMs));
    splitQualityRows.push([
      `${files.toLocaleString('en-US')} files`,
      `${graph.edges.length.toLocaleString('en-US')} / ${coChange.pairs.length.toLocaleString('en-US')}`,
      `${formatMs(p90Ms)} / ${formatMs(BUDGET_MS)}`,
      String(plan.projects.length),
      String(Math.ceil(p90Ms / capacityMs)),
      `${formatMs(largest)} (${Math.round((largest / capacityMs) * 100)}% of capacity)`,
      plan.cutEdges.toLocaleString('en-US'),
      `${plan.keptFiles.length}`,
      validation.valid ? 'yes' : 'no',
    ]);
    if (files === SPLIT_GOAL_FILES) {
      splitSetup.push(
        `split: the import graph of the generated project (the import-graph benchmark's generator, in memory): ${graph.files.length.toLocaleString('en-US')} files, ` +
          `${graph.edges.length.toLocaleString('en-US')} import edges, src/index.ts as entry re-exporting ${graph.publicModules.length} modules; build costs from file sizes ` +
          `(estimateModuleCosts, p90 ${formatMs(p90Ms)}, tests 0); co-change from ${GIT_LOG_COMMITS} synthetic commits through coChangeWeights ` +
          `(${coChange.commitsUsed} used, ${coChange.commitsSkipped} mass changes skipped, ${coChange.pairs.length.toLocaleString('en-US')} pairs); budget ${formatMs(BUDGET_MS)}`,
      );
    }
  }

  const shardRows = [];
  const shardTimingRows = [];
  let worstGoalRatio = 0;
  let worstGoalCase = '';
  let worstBoundRatio = 0;
  let goalMixes = 0;
  for (const mix of SHARD_MIXES) {
    const files = shardFiles(mix.files, mix.profile);
    const totalMs = files.reduce((sum, file) => sum + file.costMs, 0);
    const budgetMs = Math.ceil((totalMs / (mix.shards * core.DEFAULT_SAFETY_MARGIN)) * 1.03);
    const options = { task: `${PROJECT}:test`, files, budgetMs };
    const plan = core.planShards(options);
    const context = { projectRoot: PROJECT_ROOT, projectFiles: files.map((file) => file.path), existingProjects: EXISTING_PROJECTS, budgetMs, task: `${PROJECT}:test` };
    const validation = core.validatePlan(plan, context);
    // a file longer than the budget alone is reported by the plan itself (oversizedFiles) and by the validator: no shard count fixes it
    const problems = validation.problems.filter((line) => !line.includes(' alone takes '));
    if (problems.length > 0) throw new Error(`planners: the shard plan of ${mix.files} files in ${plan.shards.length} is invalid: ${problems.slice(0, 3).join('; ')}`);
    const placed = plan.shards.reduce((sum, shard) => sum + shard.files.length, 0);
    if (placed !== files.length) throw new Error(`planners: the shard plan of ${mix.files} files places ${placed}`);
    const count = plan.shards.length;
    const ideal = totalMs / count;
    const largest = Math.max(...plan.shards.map((shard) => shard.estimatedMs));
    const bound = Math.max(ideal, ...files.map((file) => file.costMs));
    const ratio = largest / ideal;
    const filesPerShard = files.length / count;
    worstBoundRatio = Math.max(worstBoundRatio, largest / bound);
    // the goal applies where it can be met: enough files per shard and no file longer than 1.05 even shares
    const attainable = bound / ideal <= SHARD_GOAL_RATIO;
    const inGoal = filesPerShard >= SHARD_GOAL_MIN_FILES_PER_SHARD && attainable;
    if (inGoal) {
      goalMixes++;
      if (ratio > worstGoalRatio) {
        worstGoalRatio = ratio;
        worstGoalCase = `${mix.files.toLocaleString('en-US')} ${mix.profile} files in ${count}`;
      }
    }
    progress(`planners: planShards ${mix.files} ${mix.profile} files into ${count} shards, ${warmup} warm-up + ${runs} runs`);
    const timing = await timeRuns(() => core.planShards(options), { runs, warmup });
    const validate = await timeRuns(() => core.validatePlan(plan, context), { runs, warmup });
    const label = `${mix.files.toLocaleString('en-US')} ${mix.profile} files, ${count} shards`;
    shardTimingRows.push(timingRow(`planShards, ${label}`, timing));
    shardTimingRows.push(timingRow(`validatePlan, ${label}`, validate));
    shardRows.push([
      label,
      filesPerShard.toFixed(1),
      formatMs(ideal),
      formatMs(largest),
      formatRatio(ratio),
      formatRatio(bound / ideal),
      formatRatio(largest / bound),
      String(plan.oversizedFiles?.length ?? 0),
      inGoal
        ? ratio <= SHARD_GOAL_RATIO
          ? 'yes'
          : '**no**'
        : filesPerShard < SHARD_GOAL_MIN_FILES_PER_SHARD
          ? `n/a (< ${SHARD_GOAL_MIN_FILES_PER_SHARD} files per shard)`
          : 'n/a (a file is longer than 1.05 even shares)',
    ]);
    result(
      `planners  planShards ${label}  largest/ideal ${formatRatio(ratio)}, bound/ideal ${formatRatio(bound / ideal)}  ${describeSummary(timing)}; validatePlan ${describeSummary(validate)}`,
    );
  }
  if (goalMixes === 0) throw new Error('planners: no shard mix the quality goal applies to');

  const splitMet = goalSplit.median < SPLIT_GOAL_MS;
  const shardMet = worstGoalRatio <= SHARD_GOAL_RATIO;
  const notes = [
    'Shard quality: "ideal" is an even share (total / shard count), "bound" the least any plan could reach (the larger of the ideal and the longest file). ' +
      `The quality goal is judged on the mixes with at least ${SHARD_GOAL_MIN_FILES_PER_SHARD} files per shard where it can be met (no file longer than ` +
      `${SHARD_GOAL_RATIO} even shares: ${goalMixes} of the ${SHARD_MIXES.length} mixes); on the others one long file decides the largest shard, ` +
      `and the planner's largest shard is within ${formatRatio(worstBoundRatio)}x of the bound on every mix.`,
    'Files longer than the budget alone get a shard of their own and are listed in the plan\'s oversizedFiles (the validator reports them too, and nothing else is accepted).',
    'The shard budgets are chosen so that the aimed-at count is the fewest under budget x 0.85 with 3% to spare; the planner chooses the count itself (the table shows its choice).',
    'Every plan timed here is checked first: validatePlan must accept it (files placed exactly once, budgets, names, acyclic parts, public exports kept) and it must place every file.',
  ];
  if (!splitMet) notes.push(`planSplit on ${SPLIT_GOAL_FILES.toLocaleString('en-US')} files takes ${formatMs(goalSplit.median)}, over the ${formatMs(SPLIT_GOAL_MS)} goal.`);
  if (!shardMet) notes.push(`The largest shard is ${formatRatio(worstGoalRatio)}x the even share (${worstGoalCase}), over the ${SHARD_GOAL_RATIO} goal.`);
  return {
    id,
    title: 'Planners (planSplit, planShards)',
    about: [
      'Core\'s local planners, called in-process on the built core bundle with generated inputs in the shapes `sixty plan` passes them ' +
        '(`planSplit` options as in core\'s plan-split tests: the import graph, per-file costs, co-change weights; `planShards` files with costs). ' +
        'Each plan is then checked with `validatePlan` against the facts the CLI would use, and that check is timed too.',
    ],
    setup: [
      ...splitSetup,
      `shards: 40, 400 and 4,000 test files into several shard counts, costs ${PROFILES.skewed.text}, or ${PROFILES.mild.text}`,
      `${warmup} warm-up + ${runs} timed runs per case`,
    ],
    tables: [
      { title: 'Split planner: time', columns: TIMING_COLUMNS, rows: splitRows },
      {
        title: 'Split planner: the plans',
        columns: [
          { title: 'Project' },
          { title: 'Edges / co-change pairs', right: true },
          { title: 'Build p90 / budget', right: true },
          { title: 'Parts', right: true },
          { title: 'Fewest possible', right: true },
          { title: 'Largest part', right: true },
          { title: 'Cut weight', right: true },
          { title: 'Kept files', right: true },
          { title: 'Valid', right: true },
        ],
        rows: splitQualityRows,
      },
      {
        title: 'Shard planner: quality',
        columns: [
          { title: 'Mix' },
          { title: 'Files per shard', right: true },
          { title: 'Ideal (even share)', right: true },
          { title: 'Largest shard', right: true },
          { title: 'Largest / ideal', right: true },
          { title: 'Bound / ideal', right: true },
          { title: 'Largest / bound', right: true },
          { title: 'Files over budget', right: true },
          { title: `Goal (<= ${SHARD_GOAL_RATIO})`, right: true },
        ],
        rows: shardRows,
      },
      { title: 'Shard planner and validatePlan: time', columns: TIMING_COLUMNS, rows: shardTimingRows },
    ],
    goal: {
      text: `planSplit on ${SPLIT_GOAL_FILES.toLocaleString('en-US')} files in under ${SPLIT_GOAL_MS / 1000} s; largest shard / even share <= ${SHARD_GOAL_RATIO} with at least ${SHARD_GOAL_MIN_FILES_PER_SHARD} files per shard`,
      figure: `planSplit ${formatMs(goalSplit.median)} median; largest shard / even share at most ${formatRatio(worstGoalRatio)} (${worstGoalCase}) over the ${goalMixes} mixes it applies to`,
      met: splitMet && shardMet,
    },
    notes,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const section = await run({ quick: process.argv.includes('--quick') });
  result(`${section.title}: ${section.goal.figure} (goal: ${section.goal.text}) ${section.goal.met ? 'met' : 'NOT met'}`);
}
