import type { LoopTime } from './analysis-types';
import { loopGraphOf } from './loop-graph';
import { loopRemedies, rankLoopRemedies, type LoopRemedyContext, type RankedLoopRemedy } from './loop-remedies';
import type { LoopTimeModel } from './loop-times';

/** A project whose loop (the wall time of a change to it) is over the loop budget, with what would shorten it. */
export interface LoopViolation {
  project: string;
  /** The loop's predicted wall time (the simulation; as in loopTimes). */
  loopMs: number;
  loopBudgetMs: number;
  parallel: number;
  taskCount: number;
  /** How many of the loop's tasks never ran (their times are estimates); absent when none. */
  estimatedTaskCount?: number;
  /** The loop's longest task: its largest contributor. */
  largestTask: { id: string; durationMs: number; estimated: boolean };
  /** Each remedy alone, by predicted saving; estimates of the simulation. Empty past MAX_LOOPS_WITH_REMEDIES. */
  remedies: RankedLoopRemedy[];
  /** The command that plans the cheapest set of remedies bringing it under budget. */
  planCommand: string;
}

/** Remedies are simulated for the slowest loops over budget only (each costs a few dozen loop simulations). */
export const MAX_LOOPS_WITH_REMEDIES = 10;

export interface LoopViolationOptions extends LoopRemedyContext {
  loopBudgetMs: number;
  parallel: number;
  /** The command that plans a project's loop (`sixty plan <project> --loop` with the caller's flags). */
  planCommand: (project: string) => string;
}

/** The loops over budget, slowest first, each with its largest contributor and its remedies ranked by predicted saving. */
export function loopViolationsOnModel(model: LoopTimeModel, loopTimes: readonly LoopTime[], options: LoopViolationOptions): LoopViolation[] {
  const violations: LoopViolation[] = [];
  const over = loopTimes.filter((loop) => loop.taskCount > 0 && loop.ms > options.loopBudgetMs).sort((a, b) => b.ms - a.ms || (a.project < b.project ? -1 : 1));
  for (const loopTime of over) {
    const loop = loopGraphOf(model, loopTime.project, options.parallel);
    if (!loop) continue;
    const largest = loop.tasks.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    violations.push({
      project: loopTime.project,
      loopMs: loopTime.ms,
      loopBudgetMs: options.loopBudgetMs,
      parallel: options.parallel,
      taskCount: loopTime.taskCount,
      ...(loopTime.estimatedTaskCount ? { estimatedTaskCount: loopTime.estimatedTaskCount } : {}),
      largestTask: { id: largest.id, durationMs: largest.durationMs, estimated: largest.estimated },
      remedies: violations.length < MAX_LOOPS_WITH_REMEDIES ? rankLoopRemedies(loop, loopRemedies(loop, options), loopTime.ms) : [],
      planCommand: options.planCommand(loopTime.project),
    });
  }
  return violations;
}
