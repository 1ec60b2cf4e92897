import type { BudgetViolation, ProjectDependencies, WeightedTask } from './analysis-types';
import { indexTaskGraph } from './indexed-task-graph';
import { buildLoopTimeModel, requireBudget, type LoopTimeModel } from './loop-times';
import { requireParallel } from './simulate-schedule';
import type { SplitOverlay } from './list-scheduler';
import type { WeightedTaskGraph } from './weighted-task-graph';

export interface RankBudgetViolationsOptions {
  /** Workers, as `nx --parallel N`: an integer >= 1. */
  parallel: number;
  /** The budget of a task in ms (per-target budgets, else budgetSeconds). */
  budgetMsFor: (task: WeightedTask) => number;
  /** Task placements the exact re-simulation may spend (default EXACT_WORK_LIMIT). */
  exactWorkLimit?: number;
}

/**
 * The tasks over budget, ranked by the loop time they cost: for each task longer than its
 * budget, the loop times are simulated again with the task split in ceil(duration / budget)
 * equal parts, and the savings summed over every project whose change runs the task. A task
 * on the path of many changes thus outranks an isolated slower one. Ties: more affected
 * projects, then slower, then task id.
 */
export function rankBudgetViolations(
  graph: WeightedTaskGraph,
  projectDependencies: ProjectDependencies,
  options: RankBudgetViolationsOptions,
): BudgetViolation[] {
  const parallel = requireParallel(options.parallel);
  const model = buildLoopTimeModel(indexTaskGraph(graph), projectDependencies, parallel);
  return rankViolationsOnModel(model, options.budgetMsFor, null, options.exactWorkLimit);
}

/** At most this many violations are simulated exactly; the rest are ranked by a bound of their cost. */
export const EXACT_VIOLATIONS = 25;
/**
 * And at most about this many task placements are spent on it (one placement: one task put on
 * a worker in one simulated loop; ~0.1 us each). On a dense 10,000-task graph the 25 exact
 * violations alone would cost 17 million placements (2 s); this keeps the ranking near 35 ms.
 */
export const EXACT_WORK_LIMIT = 300_000;

/**
 * The ranking over a built model; `loopMsByProject` (per project index) when already known.
 *
 * Why a bound: simulating every project's loop again for every violation is quadratic on big
 * graphs. Splitting a task of duration d in k parts cannot save more than d - ceil(d/k) on any
 * loop, so that times the number of affected projects bounds its cost. Candidates are taken in
 * bound order and simulated, up to EXACT_VIOLATIONS of them, each only if the placements its
 * loops need still fit the work limit; the others keep their bound, marked
 * `loopCostExact: false` (renderers say "up to"). All are ranked by that cost, except that a
 * simulated split saving nothing goes last (list scheduling can even lose time when one task
 * becomes several). On graphs of a few thousand tasks every violation is simulated.
 */
export function rankViolationsOnModel(
  model: LoopTimeModel,
  budgetMsFor: (task: WeightedTask) => number,
  loopMsByProject: Float64Array | null,
  exactWorkLimit: number = EXACT_WORK_LIMIT,
  candidates: ViolationCandidate[] = violationCandidates(model, budgetMsFor, exactWorkLimit),
): BudgetViolation[] {
  const before = loopMsByProject ?? new Float64Array(model.projects.names.length).fill(-1);
  const loopBefore = (project: number): number => {
    if (before[project]! < 0) before[project] = model.loopOf(project).ms;
    return before[project]!;
  };
  for (const candidate of candidates) {
    if (!candidate.exact) continue;
    let loopCostMs = 0;
    for (const project of candidate.running) loopCostMs += loopBefore(project) - model.loopOf(project, undefined, candidate.split).ms;
    candidate.violation.loopCostMs = Math.max(0, loopCostMs); // a split that saves nothing costs nothing: never a negative cost
    candidate.violation.loopCostExact = true;
  }
  const savesNothing = (v: BudgetViolation): number => Number(v.loopCostExact === true && v.loopCostMs <= 0);
  return candidates
    .map((c) => c.violation)
    .sort(
      (a, b) =>
        savesNothing(a) - savesNothing(b) ||
        b.loopCostMs - a.loopCostMs ||
        b.affectedBy - a.affectedBy ||
        b.p90Ms - a.p90Ms ||
        (a.task < b.task ? -1 : a.task > b.task ? 1 : 0),
    );
}

/** A task over budget, the split that would bring it under, the loops that run it, and whether to simulate them. */
export interface ViolationCandidate {
  split: SplitOverlay;
  /** The projects whose change runs the task. */
  running: number[];
  /** Its violation, with the cost's bound until simulated. */
  violation: BudgetViolation;
  /** Chosen to be simulated exactly (see rankViolationsOnModel). */
  exact: boolean;
}

/**
 * Every task over budget with its bound, in bound order, and which of them the ranking
 * simulates: what loops it will ask for is known before any loop is simulated.
 */
export function violationCandidates(
  model: LoopTimeModel,
  budgetMsFor: (task: WeightedTask) => number,
  exactWorkLimit: number = EXACT_WORK_LIMIT,
): ViolationCandidate[] {
  const { graph } = model;
  const candidates: ViolationCandidate[] = [];
  for (let task = 0; task < graph.size; task++) {
    const weighted = graph.tasks[task]!;
    const budgetMs = requireBudget(budgetMsFor(weighted), `budgetMsFor(${weighted.id})`);
    if (!(weighted.durationMs > budgetMs)) continue;
    const parts = Math.ceil(weighted.durationMs / budgetMs);
    const running = model.projectsRunning(task);
    const savedPerLoop = weighted.durationMs - Math.ceil(weighted.durationMs / parts);
    candidates.push({
      split: { task, parts },
      running,
      exact: false,
      violation: {
        task: weighted.id,
        p90Ms: weighted.durationMs,
        budgetMs,
        affectedBy: running.length,
        loopCostMs: savedPerLoop * running.length,
        loopCostExact: false,
        parts,
        estimated: weighted.estimated,
      },
    });
  }
  candidates.sort((a, b) => b.violation.loopCostMs - a.violation.loopCostMs || a.split.task - b.split.task);
  const loopTasks = new Int32Array(model.projects.names.length).fill(-1);
  const tasksOfLoop = (project: number): number => {
    if (loopTasks[project]! < 0) loopTasks[project] = model.loopTaskCount(project);
    return loopTasks[project]!;
  };
  let spent = 0;
  let exact = 0;
  for (const candidate of candidates) {
    if (exact >= EXACT_VIOLATIONS) break;
    let work = 0;
    for (const project of candidate.running) work += tasksOfLoop(project) + candidate.split.parts - 1;
    if (spent + work > exactWorkLimit) continue; // too costly to simulate: it keeps its bound
    spent += work;
    candidate.exact = true;
    exact++;
  }
  return candidates;
}
