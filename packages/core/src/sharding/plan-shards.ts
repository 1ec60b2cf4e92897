import { DEFAULT_SAFETY_MARGIN } from '../config/sixty-options';
import { SixtyError } from '../errors/sixty-error';
import { PLAN_SCHEMA_VERSION, type PlanSource, type ShardPlan } from '../plan/plan-types';
import { packLongestFirst, type PackedBin } from './longest-first';
import { describeShardCostModel, NO_SHARD_COST_MODEL, type ShardCostModel } from './shard-cost-model';

/** A test file and what it costs to run, in ms (from JUnit reports or a size estimate). */
export interface ShardFile {
  path: string;
  costMs: number;
}

export interface PlanShardsOptions {
  /** The target being sharded, `project:target`. */
  task: string;
  files: readonly ShardFile[];
  budgetMs: number;
  /** Fill each shard to at most budget x margin: room for runner start-up and noise. Default 0.85. */
  safetyMargin?: number;
  /** The plan in use: files stay in their shard when it still fits, and only new files are placed. */
  previous?: ShardPlan;
  source?: PlanSource;
  /**
   * What a shard costs beyond its files' measured times (fixed cost per process, per-file scale);
   * default none: the files' costs are the shards' times.
   */
  costModel?: ShardCostModel;
}

/** A bound on rebalancing moves: each one strictly lowers the sum of squared loads, so this is only a guard. */
const MAX_REBALANCE_MOVES = 20_000;

type Shard = PackedBin<ShardFile>;

/**
 * Splits a target's test files into the fewest shards that each fit budget x margin:
 * longest-processing-time first, then moves and swaps from the fullest shard until no single
 * change lowers it. Deterministic (ties by path). With `previous`, every file that still fits
 * stays in its shard and only new (or evicted) files are placed, so a new file moves nothing
 * else. A file that alone exceeds budget x margin gets a shard of its own; one over the
 * budget is listed in `oversizedFiles` (no shard count fixes it).
 */
export function planShards(options: PlanShardsOptions): ShardPlan {
  const margin = options.safetyMargin ?? DEFAULT_SAFETY_MARGIN;
  const model = options.costModel ?? NO_SHARD_COST_MODEL;
  const files = checkedFiles(options, margin).map((file) => ({ path: file.path, costMs: file.costMs * model.perFileScale }));
  const capacityMs = options.budgetMs * margin - model.fixedMs;
  if (capacityMs <= 0) throw fixedCostFloorError(options, margin, model);
  const big = files.filter((file) => file.costMs > capacityMs).sort((a, b) => compareStrings(a.path, b.path));
  const small = files.filter((file) => file.costMs <= capacityMs);

  let shards: Shard[];
  let keptCount = 0;
  if (options.previous) {
    const stable = placeKeepingPrevious(small, options.previous, capacityMs);
    shards = stable.shards;
    keptCount = stable.keptCount;
  } else {
    shards = placeFewestShards(small, capacityMs);
  }
  shards = shards.filter((shard) => shard.items.length > 0);
  for (const file of big) shards.push({ items: [file], loadMs: file.costMs });

  const count = shards.length;
  const totalMs = files.reduce((sum, file) => sum + file.costMs, 0);
  const largestMs = Math.max(...shards.map((shard) => shard.loadMs));
  const oversizedFiles = big.filter((file) => model.fixedMs + file.costMs > options.budgetMs).map((file) => ({ file: file.path, estimatedMs: model.fixedMs + file.costMs }));
  const rationale = [
    model.fixedMs > 0
      ? `${count} shard${count === 1 ? '' : 's'} for ${files.length} test files (${Math.round(totalMs)} ms of files in all), each shard ${Math.round(model.fixedMs)} ms of fixed cost plus files filled to at most ${Math.round(capacityMs)} ms (${Math.round(margin * 100)}% of the ${Math.round(options.budgetMs)} ms budget in all).`
      : `${count} shard${count === 1 ? '' : 's'} for ${files.length} test files (${Math.round(totalMs)} ms in all), each filled to at most ${Math.round(capacityMs)} ms (${Math.round(margin * 100)}% of the ${Math.round(options.budgetMs)} ms budget).`,
    options.costModel ? `Shard cost: ${describeShardCostModel(model)}.` : '',
    `Largest shard ${Math.round(model.fixedMs + largestMs)} ms against an even share of ${Math.round(model.fixedMs + totalMs / count)} ms.`,
    options.previous ? `Kept ${keptCount} files in their previous shards; placed ${small.length - keptCount} new or moved ones.` : 'Longest files first, each into the least-loaded shard, then rebalanced.',
    oversizedFiles.length > 0 ? `${oversizedFiles.length} file(s) alone exceed the budget and need splitting: ${oversizedFiles.map((entry) => entry.file).slice(0, 5).join(', ')}.` : '',
  ]
    .filter((line) => line !== '')
    .join(' ');
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    kind: 'shard',
    task: options.task,
    budgetMs: options.budgetMs,
    rationale,
    source: options.source ?? 'local',
    shards: shards.map((shard, index) => ({
      name: `shard-${index + 1}-of-${count}`,
      files: shard.items.map((file) => file.path).sort(compareStrings),
      estimatedMs: model.fixedMs + shard.loadMs, // exact: rounding could hide or invent a budget break
    })),
    ...(oversizedFiles.length > 0 ? { oversizedFiles } : {}),
  };
}

/** No shard count fits: every shard's fixed cost alone fills what the budget leaves. */
function fixedCostFloorError(options: PlanShardsOptions, margin: number, model: ShardCostModel): SixtyError {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return new SixtyError(
    'NO_USEFUL_PLAN',
    `no shard count fits ${options.task} in its ${seconds(options.budgetMs)} budget: every shard pays a fixed ${seconds(model.fixedMs)} before its first test file (${describeShardCostModel(model)}), the floor of any shard, and ${Math.round(margin * 100)}% of the budget is ${seconds(options.budgetMs * margin)}`,
    'lower the floor: a faster start-up of the runner (less global setup, a transform cache, fewer setup files, no type-checking in the test run), or split the project (sixty plan <project>:<target> --kind split); or give the target a larger budget',
  );
}

function checkedFiles(options: PlanShardsOptions, margin: number): ShardFile[] {
  if (!(Number.isFinite(options.budgetMs) && options.budgetMs > 0)) {
    throw new SixtyError('INVALID_ARGUMENT', `budgetMs must be a positive number of milliseconds, got ${options.budgetMs}`, 'pass the target budget, e.g. 60000');
  }
  if (!(Number.isFinite(margin) && margin > 0 && margin <= 1)) {
    throw new SixtyError('INVALID_ARGUMENT', `safetyMargin must be in (0, 1], got ${margin}`, 'pass a fraction of the budget such as 0.85');
  }
  if (options.files.length === 0) {
    throw new SixtyError('INVALID_ARGUMENT', `${options.task} has no test files to shard`, 'check the test file pattern of the target, or run its tests once so JUnit reports list them');
  }
  const seen = new Set<string>();
  for (const file of options.files) {
    if (typeof file.path !== 'string' || file.path === '') {
      throw new SixtyError('INVALID_ARGUMENT', 'a test file has an empty path', 'pass workspace-relative paths');
    }
    if (!(Number.isFinite(file.costMs) && file.costMs >= 0)) {
      throw new SixtyError('INVALID_ARGUMENT', `${file.path}: costMs must be a non-negative number, got ${file.costMs}`, 'pass measured or estimated durations in ms');
    }
    if (seen.has(file.path)) throw new SixtyError('INVALID_ARGUMENT', `${file.path} is listed twice`, 'pass each test file once');
    seen.add(file.path);
  }
  return [...options.files];
}

/** Longest first, tie by path: the order every placement uses, so equal inputs give equal plans. */
function byCostDescending(a: ShardFile, b: ShardFile): number {
  return b.costMs - a.costMs || compareStrings(a.path, b.path);
}

/** The fewest shards (from total / capacity up) that LPT plus rebalancing fits under the capacity. */
function placeFewestShards(files: readonly ShardFile[], capacityMs: number): Shard[] {
  if (files.length === 0) return [];
  const sorted = [...files].sort(byCostDescending);
  const totalMs = sorted.reduce((sum, file) => sum + file.costMs, 0);
  const epsilon = capacityMs * 1e-9;
  for (let count = Math.max(1, Math.ceil(totalMs / capacityMs - 1e-9)); ; count++) {
    const shards = packLongestFirst(sorted, count, (file) => file.costMs);
    rebalance(shards);
    if (count >= sorted.length || shards.every((shard) => shard.loadMs <= capacityMs + epsilon)) return shards;
  }
}

/**
 * Lowers the fullest shard while one move (a file to a lighter shard) or one swap (a file for a
 * lighter one) does: the pair that brings both loads closest to their mean wins.
 */
function rebalance(shards: Shard[]): void {
  if (shards.length < 2) return;
  for (let moves = 0; moves < MAX_REBALANCE_MOVES; moves++) {
    let fullest = 0;
    shards.forEach((shard, index) => {
      if (shard.loadMs > (shards[fullest] as Shard).loadMs) fullest = index;
    });
    const source = shards[fullest] as Shard;
    const others = shards
      .map((shard, index) => ({ shard, index }))
      .filter(({ index }) => index !== fullest)
      .sort((a, b) => a.shard.loadMs - b.shard.loadMs || a.index - b.index);
    let applied = false;
    for (const { shard: target } of others) {
      const gap = source.loadMs - target.loadMs;
      if (gap <= source.loadMs * 1e-12) break; // lighter ones come first: nothing further can help
      const change = bestExchange(source, target, gap);
      if (!change) continue;
      applyExchange(source, target, change);
      applied = true;
      break;
    }
    if (!applied) return;
  }
}

interface Exchange {
  /** Index in source.items of the file that moves to target. */
  give: number;
  /** Index in target.items of the file that moves back, or -1 for a plain move. */
  take: number;
}

/** The move or swap whose transferred amount d (0 < d < gap) is closest to gap / 2. */
function bestExchange(source: Shard, target: Shard, gap: number): Exchange | undefined {
  const half = gap / 2;
  let best: Exchange | undefined;
  let bestDistance = Infinity;
  const consider = (amount: number, give: number, take: number): void => {
    if (!(amount > gap * 1e-12 && amount < gap - gap * 1e-12)) return;
    const distance = Math.abs(amount - half);
    if (distance < bestDistance - 1e-9) {
      bestDistance = distance;
      best = { give, take };
    }
  };
  const targetByCost = target.items.map((file, index) => ({ cost: file.costMs, index })).sort((a, b) => a.cost - b.cost || a.index - b.index);
  source.items.forEach((file, give) => {
    consider(file.costMs, give, -1);
    // swap: want g close to f - half, with f - g in (0, gap)
    const want = file.costMs - half;
    let low = 0;
    let high = targetByCost.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((targetByCost[middle] as { cost: number }).cost < want) low = middle + 1;
      else high = middle;
    }
    for (const at of [low - 1, low]) {
      const candidate = targetByCost[at];
      if (candidate) consider(file.costMs - candidate.cost, give, candidate.index);
    }
  });
  return best;
}

function applyExchange(source: Shard, target: Shard, change: Exchange): void {
  const given = source.items.splice(change.give, 1)[0] as ShardFile;
  target.items.push(given);
  source.loadMs -= given.costMs;
  target.loadMs += given.costMs;
  if (change.take >= 0) {
    const taken = target.items.splice(change.take, 1)[0] as ShardFile;
    source.items.push(taken);
    target.loadMs -= taken.costMs;
    source.loadMs += taken.costMs;
  }
}

/**
 * Keeps each file in its previous shard while the shard fits (evicting its longest files when
 * their costs grew past the capacity), then places new and evicted files, longest first, into
 * the least-loaded shard that has room, opening new shards at the end when none has.
 */
function placeKeepingPrevious(files: readonly ShardFile[], previous: ShardPlan, capacityMs: number): { shards: Shard[]; keptCount: number } {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const placed = new Set<string>();
  const shards: Shard[] = [];
  for (const previousShard of Array.isArray(previous.shards) ? previous.shards : []) {
    const kept = (Array.isArray(previousShard.files) ? previousShard.files : [])
      .map((path) => byPath.get(path))
      .filter((file): file is ShardFile => file !== undefined && !placed.has(file.path))
      .sort(byCostDescending);
    let loadMs = kept.reduce((sum, file) => sum + file.costMs, 0);
    while (loadMs > capacityMs && kept.length > 0) loadMs -= (kept.shift() as ShardFile).costMs;
    for (const file of kept) placed.add(file.path);
    shards.push({ items: kept, loadMs });
  }
  const keptCount = placed.size;
  const newcomers = files.filter((file) => !placed.has(file.path)).sort(byCostDescending);
  for (const file of newcomers) {
    let target: Shard | undefined;
    for (const shard of shards) {
      if (shard.loadMs + file.costMs <= capacityMs && (target === undefined || shard.loadMs < target.loadMs)) target = shard;
    }
    if (!target) {
      target = { items: [], loadMs: 0 };
      shards.push(target);
    }
    target.items.push(file);
    target.loadMs += file.costMs;
  }
  return { shards, keptCount };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
