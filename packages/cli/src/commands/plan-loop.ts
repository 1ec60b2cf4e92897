import {
  buildWeightedTaskGraph,
  budgetMsFor,
  cheapestRemedySet,
  formatDuration,
  inputsRemedies,
  LOOP_REMEDY_COST,
  loopBudgetMsOf,
  loopGraphFor,
  loopRemedies,
  plural,
  rankLoopRemedies,
  readHistory,
  selectedRunTimes,
  simulateLoop,
  SixtyError,
  type RankedLoopRemedy,
  type RemedySet,
} from '@sixty/core';
import { NX_DEFAULT_PARALLEL, readMeasuredTaskGraph } from '../measured-task-graph';
import { declarationNarrowingsOf } from '../planning/declaration-inputs';
import { openWorkspace } from '../workspace';
import { EXIT, type Output } from '../output';

export interface PlanLoopOptions {
  cwd: string;
  project: string;
  targets?: string[];
  parallel?: number;
  /** --budget: overrides the loop budget (and every target budget shards are sized from). */
  budget?: number;
  json: boolean;
}

/** `sixty plan <project> --loop --json` (schema 1). */
export interface PlanLoopOutcome {
  schemaVersion: 1;
  project: string;
  targets: string[];
  parallel: number;
  /** The loop's predicted wall time now (the simulation over measured p90s). */
  loopMs: number;
  loopBudgetMs: number;
  taskCount: number;
  /** Tasks of the analysed targets left out because they never ran. */
  unmeasuredTasks: string[];
  largestTask: { id: string; durationMs: number } | null;
  /** Each remedy alone, by predicted saving (estimates). */
  remedies: RankedLoopRemedy[];
  /** The cheapest set bringing the loop under budget (or the closest); null when it already fits. */
  plan: RemedySet | null;
  /** The commands that carry the plan out, in order. */
  next: string[];
}

/**
 * Plans the cheapest set of remedies that brings a project's loop (the wall time of a change to
 * it: every task it affects at --parallel N) under the loop budget, by the same simulation as
 * the report. Exit 0 with a plan that fits, or nothing to do; 1 when no set of the remedies fits.
 */
export function runPlanLoop(options: PlanLoopOptions, output: Output): number {
  const workspace = openWorkspace(options.cwd);
  for (const problem of workspace.problems) output.err(`warning: ${problem}`);
  const history = readHistory(workspace.historyDir);
  if (history.runs.length === 0) {
    throw new SixtyError('INVALID_ARGUMENT', `no runs recorded in ${workspace.historyDir}: there is no loop time to plan from`, 'run the targets once (e.g. nx run-many -t build test), then sixty plan <project> --loop again');
  }
  const measured = readMeasuredTaskGraph(workspace, history, options.targets ? { targets: options.targets } : {});
  if (!measured) throw new SixtyError('INVALID_ARGUMENT', 'no target recorded yet', 'run the targets once (e.g. nx run-many -t build test)');
  const projects = Object.keys(measured.projectDependencies).sort();
  if (!projects.includes(options.project)) {
    throw new SixtyError('INVALID_ARGUMENT', `"${options.project}" is not a project of this workspace`, `give a project name (--loop plans a project's loop, not a target), e.g. ${projects.slice(0, 5).join(', ')}`);
  }
  const parallel = options.parallel ?? workspace.nxParallel ?? NX_DEFAULT_PARALLEL;
  const loopBudgetMs = loopBudgetMsOf(workspace.options, options.budget);
  const loop = loopGraphFor(buildWeightedTaskGraph(measured.taskGraph, measured.p90ByTask), measured.projectDependencies, options.project, parallel);
  const outcome: PlanLoopOutcome = {
    schemaVersion: 1,
    project: options.project,
    targets: measured.targets,
    parallel,
    loopMs: 0,
    loopBudgetMs,
    taskCount: loop?.tasks.length ?? 0,
    unmeasuredTasks: measured.leftOut,
    largestTask: null,
    remedies: [],
    plan: null,
    next: [],
  };
  if (loop) {
    outcome.loopMs = simulateLoop(loop);
    const largest = loop.tasks.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    outcome.largestTask = { id: largest.id, durationMs: largest.durationMs };
    const remedies = loopRemedies(loop, {
      budgetMsFor: (task) => budgetMsFor(workspace.options, task, options.budget),
      selectedMsByTask: selectedRunTimes(readHistory(workspace.historyDir, { keepSelections: true }).runs),
      providers: [inputsRemedies(declarationNarrowingsOf(workspace.root, measured.targets, measured.projectDependencies))],
    });
    outcome.remedies = rankLoopRemedies(loop, remedies, outcome.loopMs);
    if (outcome.loopMs > loopBudgetMs) {
      outcome.plan = cheapestRemedySet(loop, remedies, loopBudgetMs);
      outcome.next = [...new Set(outcome.plan.remedies.map((remedy) => remedy.command))];
    }
  }
  output.out(options.json ? JSON.stringify(outcome, null, 2) : renderPlanLoop(outcome).join('\n'));
  return outcome.plan && !outcome.plan.underBudget ? EXIT.failed : EXIT.ok;
}

function renderPlanLoop(outcome: PlanLoopOutcome): string[] {
  const budget = formatDuration(outcome.loopBudgetMs);
  const left = outcome.unmeasuredTasks.length > 0 ? [`left out ${plural(outcome.unmeasuredTasks.length, 'task')} that never ran (no measure)`] : [];
  if (outcome.taskCount === 0) {
    return [`a change to ${outcome.project} runs no measured task of ${outcome.targets.join(', ')}: nothing to plan`, ...left];
  }
  const lines = [
    `loop of ${outcome.project}: a change to it runs ${plural(outcome.taskCount, 'task')} (${outcome.targets.join(', ')}) at --parallel ${outcome.parallel}, predicted ${formatDuration(outcome.loopMs)}; loop budget ${budget}`,
    ...left,
  ];
  if (outcome.largestTask) lines.push(`largest contributor: ${outcome.largestTask.id} ${formatDuration(outcome.largestTask.durationMs)}`);
  if (!outcome.plan) {
    lines.push(`within the loop budget: nothing to plan`);
    return lines;
  }
  if (outcome.remedies.length > 0) {
    lines.push('remedies, each alone, by predicted saving (estimates of the simulation):');
    const width = Math.max(...outcome.remedies.map((r) => r.summary.length));
    for (const remedy of outcome.remedies) lines.push(`  ${remedy.summary.padEnd(width)}  -${formatDuration(remedy.savingMs)}  (loop ~${formatDuration(remedy.loopMsAfter)}, cost ${remedy.cost})`);
  }
  const plan = outcome.plan;
  const searched = plan.exhaustive ? `${plural(plan.simulations, 'set')} simulated` : `the search stopped after ${plural(plan.simulations, 'simulated set')}: the best found, not proven cheapest`;
  if (plan.underBudget) {
    lines.push(`cheapest set that brings the loop under ${budget} (cost ${plan.cost}, loop ~${formatDuration(plan.loopMsAfter)} estimated; ${searched}):`);
  } else {
    lines.push(`no set of these remedies brings the loop under ${budget} (${searched}); the closest (cost ${plan.cost}, loop ~${formatDuration(plan.loopMsAfter)} estimated):`);
  }
  for (const remedy of plan.remedies) lines.push(`  ${remedy.summary}   (${remedy.command})`);
  if (plan.remedies.length === 0) lines.push('  none: no remedy shortens this loop');
  const cost = LOOP_REMEDY_COST;
  lines.push(`costs (effort units): test selection ${cost.selection}, shard ${cost.shard}, inputs ${cost.inputs}, project split ${cost.split}, ${cost.perExtraWorker} per extra worker`);
  for (const command of outcome.next) lines.push(`next: ${command}`);
  return lines;
}
