import { isOverBudget } from '../config/budget-rule';
import { baselineRecordedTime } from '../baseline/baseline-types';
import { isSixtyError } from '../errors/sixty-error';
import type { ShardPlan } from '../plan/plan-types';
import { packLongestFirst } from './longest-first';
import { DEFAULT_SAFETY_MARGIN } from '../config/sixty-options';
import { planShards } from './plan-shards';
import { fitShardCostModel, NO_SHARD_COST_MODEL, type ShardCostModel } from './shard-cost-model';
import { compareText, type BaselineTarget } from '../baseline/baseline-types';

/** One shard as the plugin infers it: its name, files and estimated time. */
export interface ResolvedShard {
  /** `shard-<i>-of-<n>`. */
  name: string;
  /** Workspace-relative, sorted. */
  files: string[];
  estimatedMs: number;
}

export interface ResolvedShards {
  /** applied: the baseline's shards (adjusted for added and removed files); planned: computed from its file durations. */
  source: 'applied' | 'planned';
  shards: ResolvedShard[];
}

export interface ResolveShardsOptions {
  /** `project:target`. */
  task: string;
  entry: BaselineTarget;
  /** The target's budget in ms. */
  budgetMs: number;
  /** Fill computed shards to at most budget x margin. Default 0.85 (planShards' default). */
  safetyMargin?: number;
  /** The target is listed in options.shard.targets: shard it even within budget. */
  listed?: boolean;
  /** The test files on disk now (workspace-relative); undefined when they cannot be listed. */
  currentFiles?: readonly string[];
}

/**
 * The shards of a baseline target, from the baseline alone (plus the test files on disk, so a
 * test added since the baseline was written still runs, and a deleted one is not asked for):
 * the applied shards when there are some, with new files placed into the least-loaded shard;
 * otherwise, for a target over budget or listed, the fewest shards under budget x margin by
 * longest-processing-time first over the baseline's per-file durations. Undefined when the
 * target is not to be sharded or has no test files. Deterministic: equal inputs, equal shards.
 */
export function resolveShards(options: ResolveShardsOptions): ResolvedShards | undefined {
  const { entry } = options;
  const applied = entry.shards && entry.shards.length > 0;
  if (!applied && !options.listed && !isOverBudget(baselineRecordedTime(entry), options.budgetMs)) return undefined;
  const known = applied ? new Set(entry.shards!.flatMap((shard) => shard.files)) : new Set(Object.keys(entry.files));
  const present = options.currentFiles ? [...new Set(options.currentFiles)] : [...known];
  const margin = options.safetyMargin ?? DEFAULT_SAFETY_MARGIN;
  const { costOf: measuredMs, model } = baselineFileCosts(entry, present, unshardedFixedCap(options.budgetMs, margin));
  const costOf = (file: string): number => measuredMs(file) * model.perFileScale;

  if (applied) {
    const presentSet = new Set(present);
    const shards = entry
      .shards!.map((shard) => shard.files.filter((file) => presentSet.has(file)))
      .filter((files) => files.length > 0)
      .map((files) => ({ items: files, loadMs: files.reduce((sum, file) => sum + costOf(file), 0) }));
    if (shards.length > 0) {
      const newcomers = present.filter((file) => !known.has(file)).sort((a, b) => costOf(b) - costOf(a) || compareText(a, b));
      packLongestFirst(newcomers, shards, costOf);
      return {
        source: 'applied',
        shards: shards.map((shard, index) => ({ name: `shard-${index + 1}-of-${shards.length}`, files: shard.items.sort(compareText), estimatedMs: model.fixedMs + shard.loadMs })),
      };
    }
  }
  if (present.length === 0) return undefined;
  let plan: ShardPlan;
  try {
    plan = planShards({
    task: options.task,
    files: [...present].sort(compareText).map((path) => ({ path, costMs: measuredMs(path) })),
    costModel: model,
    budgetMs: options.budgetMs,
    safetyMargin: margin,
    });
  } catch (error) {
    if (isSixtyError(error) && error.code === 'NO_USEFUL_PLAN') return undefined; // the fixed cost alone fills the budget: no shard count helps
    throw error;
  }
  return { source: 'planned', shards: plan.shards.map((shard) => ({ name: shard.name, files: shard.files, estimatedMs: shard.estimatedMs })) };
}

/**
 * Cost per file: its measured time (a file the baseline has no time for costs the median of the
 * others, or an even share of the p90 when none is measured), and the model those times give:
 * the target's p90 against their sum, so the runner's start-up is a fixed cost of every shard
 * instead of being spread over the files (`shardCost`, learned by `sixty baseline`, when there is one).
 */
export function baselineFileCosts(entry: BaselineTarget, present: readonly string[], maxUnshardedFixedMs?: number): { costOf: (file: string) => number; model: ShardCostModel } {
  const measured = Object.values(entry.files).filter((ms) => Number.isFinite(ms) && ms >= 0);
  const sorted = [...measured].sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? (sorted[sorted.length >> 1] as number) : ((sorted[sorted.length / 2 - 1] as number) + (sorted[sorted.length / 2] as number)) / 2;
  const unmeasured = measured.length > 0 ? median : present.length > 0 ? entry.p90Ms / present.length : 0;
  const costOf = (file: string): number => {
    const ms = Object.prototype.hasOwnProperty.call(entry.files, file) ? entry.files[file] : undefined;
    return ms === undefined ? unmeasured : ms;
  };
  if (measured.length === 0) return { costOf, model: NO_SHARD_COST_MODEL };
  // the run the p90 measured ran the files the report measured
  const filesMs = measured.reduce((sum, ms) => sum + ms, 0);
  return { costOf, model: entry.shardCost ? { ...entry.shardCost, source: 'calibrated' } : fitShardCostModel([{ filesMs, measuredMs: entry.p90Ms }], maxUnshardedFixedMs === undefined ? {} : { maxUnshardedFixedMs }) };
}

/** Until shards have run, at most half of what a shard may fill counts as fixed cost (see fitShardCostModel). */
export function unshardedFixedCap(budgetMs: number, margin = DEFAULT_SAFETY_MARGIN): number {
  return (budgetMs * margin) / 2;
}
