import { DEFAULT_SAFETY_MARGIN } from '../config/sixty-options';
import { defaultPlanKind } from '../decompose/planning-input';
import type { WeightedTask } from './analysis-types';
import { simulateLoop, type LoopEdit, type LoopGraph } from './loop-graph';

/**
 * What can shorten the loop of a change: shard a test target, split a project, narrow build
 * inputs to declarations, let `sixty check` run only the tests a change reaches, more workers.
 */
export type LoopRemedyKind = 'shard' | 'split' | 'inputs' | 'selection' | 'workers';

/**
 * The effort of a remedy, in units: what it changes in the workspace, not machine time. A
 * check option costs least, a baseline entry or a project's inputs more, moving code most;
 * each extra worker is one unit (it is paid on every run).
 */
export const LOOP_REMEDY_COST: Readonly<Record<Exclude<LoopRemedyKind, 'workers'>, number>> & { perExtraWorker: number } = {
  selection: 1,
  shard: 2,
  inputs: 2,
  split: 5,
  perExtraWorker: 1,
};

/** One remedy for one loop, before it is simulated. */
export interface LoopRemedy {
  kind: LoopRemedyKind;
  /** Remedies of one slot exclude each other: one task sharded 2 or 4 ways, one worker count. */
  slot: string;
  /** What it does, in words: `shard lib-c:test in 4`. */
  summary: string;
  /** Effort units (LOOP_REMEDY_COST): a whole number >= 0. */
  cost: number;
  edits: LoopEdit[];
  /** The command that plans it (or, for the check's own options, does it). */
  command: string;
}

/** A remedy with its predicted effect on the loop, alone. Always an estimate of the simulation. */
export interface RankedLoopRemedy extends LoopRemedy {
  loopMsAfter: number;
  savingMs: number;
}

/**
 * Adds remedies the built-in ones do not know: the extension point for more kinds (the `inputs`
 * plan kind: dependents' builds cached after an implementation-only change). A provider returns
 * remedies for the loop, each with the edits that simulate it.
 */
export type LoopRemedyProvider = (loop: LoopGraph) => LoopRemedy[];

export interface LoopRemedyContext {
  /** The budget of a task, in ms: shards and parts are sized from it. */
  budgetMsFor: (task: WeightedTask) => number;
  /**
   * A test task's time when `sixty check` ran only some of its files (recorded selected runs);
   * absent: not known. A function is called only when some loop needs it (reading them costs a history read).
   */
  selectedMsByTask?: ReadonlyMap<string, number> | (() => ReadonlyMap<string, number>);
  /** More remedy kinds (see LoopRemedyProvider). */
  providers?: readonly LoopRemedyProvider[];
}

/** A part shorter than this is mostly start-up: no remedy cuts a task finer. */
export const MIN_PART_MS = 1000;
/** Remedies are offered for the loop's longest tasks only: the search stays small, and short tasks save little. */
export const MAX_TASKS_WITH_REMEDIES = 6;

const seconds = (ms: number): string => String(Math.ceil(ms / 100) / 10);

/** Every remedy the loop could take, grouped by slot; none is simulated yet. */
export function loopRemedies(loop: LoopGraph, context: LoopRemedyContext): LoopRemedy[] {
  const remedies: LoopRemedy[] = [];
  const longest = [...loop.tasks]
    .filter((task) => task.durationMs >= 2 * MIN_PART_MS)
    .sort((a, b) => b.durationMs - a.durationMs || (a.id < b.id ? -1 : 1))
    .slice(0, MAX_TASKS_WITH_REMEDIES);
  for (const task of longest) {
    const fits = Math.ceil(task.durationMs / context.budgetMsFor(task));
    const most = Math.floor(task.durationMs / MIN_PART_MS);
    const partCounts = [...new Set([2, 4, 8, fits])].filter((parts) => parts >= 2 && parts <= most).sort((a, b) => a - b);
    const kind = defaultPlanKind(task.target) === 'shard' ? 'shard' : 'split';
    for (const parts of partCounts) {
      // the planner fills a shard to budget x safety margin: this budget asks it for about `parts`
      const budgetMs = kind === 'shard' ? task.durationMs / (parts * DEFAULT_SAFETY_MARGIN) : task.durationMs / parts;
      remedies.push({
        kind,
        slot: `${kind} ${task.id}`,
        summary: kind === 'shard' ? `shard ${task.id} in ${parts}` : `split ${task.project} so ${task.id} runs in ${parts} parts`,
        cost: LOOP_REMEDY_COST[kind],
        edits: [{ kind: 'split', task: task.id, parts }],
        command: `sixty plan ${task.id} --kind ${kind} --budget ${seconds(budgetMs)}`,
      });
    }
  }
  const selectedMsByTask = typeof context.selectedMsByTask === 'function' ? context.selectedMsByTask() : context.selectedMsByTask;
  const selected = loop.tasks.filter((task) => {
    const ms = selectedMsByTask?.get(task.id);
    return defaultPlanKind(task.target) === 'shard' && ms !== undefined && ms < task.durationMs;
  });
  if (selected.length > 0) {
    remedies.push({
      kind: 'selection',
      slot: 'selection',
      summary: `sixty check runs only the test files a change reaches (${selected.map((task) => task.id).join(', ')} at their recorded selected time)`,
      cost: LOOP_REMEDY_COST.selection,
      edits: selected.map((task) => ({ kind: 'duration' as const, task: task.id, durationMs: selectedMsByTask!.get(task.id)! })),
      command: 'sixty check',
    });
  }
  // more workers than the loop can ever run side by side (its tasks, each split in its most parts) run nothing sooner
  const mostParts = new Map<string, number>();
  for (const remedy of remedies) {
    for (const edit of remedy.edits) if (edit.kind === 'split') mostParts.set(edit.task, Math.max(mostParts.get(edit.task) ?? 1, edit.parts));
  }
  const mostSideBySide = loop.tasks.length + [...mostParts.values()].reduce((sum, parts) => sum + parts - 1, 0);
  const workerCounts = [...new Set([loop.parallel + 1, loop.parallel * 2, loop.parallel * 4])].filter((n) => n <= mostSideBySide);
  for (const workers of workerCounts) {
    remedies.push({
      kind: 'workers',
      slot: 'workers',
      summary: `run the loop on ${workers} workers (--parallel ${workers}, or CI jobs: sixty ci-matrix)`,
      cost: (workers - loop.parallel) * LOOP_REMEDY_COST.perExtraWorker,
      edits: [{ kind: 'parallel', workers }],
      command: `sixty check --parallel ${workers}`,
    });
  }
  for (const provider of context.providers ?? []) remedies.push(...provider(loop));
  return remedies;
}

/**
 * Each remedy alone, simulated; per slot the one that saves most (then the cheaper), those that
 * save time only, by predicted saving (then cheaper, then slot name).
 */
export function rankLoopRemedies(loop: LoopGraph, remedies: readonly LoopRemedy[], loopMs: number = simulateLoop(loop)): RankedLoopRemedy[] {
  const bestOfSlot = new Map<string, RankedLoopRemedy>();
  for (const remedy of remedies) {
    const loopMsAfter = simulateLoop(loop, remedy.edits);
    const ranked = { ...remedy, loopMsAfter, savingMs: loopMs - loopMsAfter };
    const known = bestOfSlot.get(remedy.slot);
    if (!known || ranked.savingMs > known.savingMs || (ranked.savingMs === known.savingMs && ranked.cost < known.cost)) bestOfSlot.set(remedy.slot, ranked);
  }
  return [...bestOfSlot.values()]
    .filter((remedy) => remedy.savingMs > 0)
    .sort((a, b) => b.savingMs - a.savingMs || a.cost - b.cost || (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
}
