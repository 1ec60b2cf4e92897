/**
 * What a shard costs: a fixed part every process pays before its first test file (node and the
 * runner starting, transforms, global setup) plus its files' measured times, scaled by what the
 * runner adds to or overlaps in them (per-file collection; workers running files side by side).
 * Learned from the history: the unsharded run gives one point (its wall time against the sum of
 * its files), each shard's measured run another; with shards measured, a line through them all.
 */
export interface ShardCostModel {
  /** ms every shard pays whatever its files. */
  fixedMs: number;
  /** A file's measured ms -> its ms inside a shard. */
  perFileScale: number;
  /**
   * none: no run to learn from (files at face value, no fixed cost); unsharded: the unsharded
   * run's wall minus its files; calibrated: fitted to the shards' measured runs too.
   */
  source: 'none' | 'unsharded' | 'calibrated';
  /** How many runs (the unsharded target, each measured shard) it was learned from. */
  samples: number;
}

/** One measured run: the sum of its files' measured times and its wall time. */
export interface ShardCostSample {
  filesMs: number;
  measuredMs: number;
}

export const NO_SHARD_COST_MODEL: ShardCostModel = { fixedMs: 0, perFileScale: 1, source: 'none', samples: 0 };

/**
 * Fits measured = fixed + scale x files (least squares) over the samples; the first is the
 * unsharded run. With one distinct file sum only (no shard measured yet) the fixed cost is what
 * the wall time has beyond the files (at most maxUnshardedFixedMs, the rest scaling the files);
 * a wall time below its files (workers in parallel) gives no fixed cost and a scale below 1.
 * Never a negative fixed cost or scale.
 */
export interface FitShardCostOptions {
  /**
   * The most fixed cost one unsharded run may show: it cannot tell start-up from per-file
   * overhead (node --test starts a process per file), so until shards have run, what it shows
   * beyond this is left to the files. Callers pass half of what a shard may fill.
   */
  maxUnshardedFixedMs?: number;
}

export function fitShardCostModel(samples: readonly ShardCostSample[], options: FitShardCostOptions = {}): ShardCostModel {
  const usable = samples.filter((sample) => Number.isFinite(sample.filesMs) && Number.isFinite(sample.measuredMs) && sample.filesMs > 0 && sample.measuredMs > 0);
  if (usable.length === 0) return NO_SHARD_COST_MODEL;
  const n = usable.length;
  const meanFiles = usable.reduce((sum, sample) => sum + sample.filesMs, 0) / n;
  const meanMeasured = usable.reduce((sum, sample) => sum + sample.measuredMs, 0) / n;
  const spread = usable.reduce((sum, sample) => sum + (sample.filesMs - meanFiles) ** 2, 0);
  if (n >= 2 && spread > (meanFiles * 1e-3) ** 2 * n) {
    const scale = usable.reduce((sum, sample) => sum + (sample.filesMs - meanFiles) * (sample.measuredMs - meanMeasured), 0) / spread;
    const fixed = meanMeasured - scale * meanFiles;
    if (scale >= 0 && fixed >= 0) return { fixedMs: fixed, perFileScale: scale, source: 'calibrated', samples: n };
    if (scale >= 0) {
      // through the origin: no fixed cost shows in these runs
      const through = usable.reduce((sum, sample) => sum + sample.filesMs * sample.measuredMs, 0) / usable.reduce((sum, sample) => sum + sample.filesMs ** 2, 0);
      return { fixedMs: 0, perFileScale: through, source: 'calibrated', samples: n };
    }
    // more files took less time: noise swamps the files, so the runs are mostly fixed cost
    return { fixedMs: Math.min(...usable.map((sample) => sample.measuredMs)), perFileScale: 0, source: 'calibrated', samples: n };
  }
  const first = usable[0] as ShardCostSample;
  if (first.measuredMs < first.filesMs) return { fixedMs: 0, perFileScale: first.measuredMs / first.filesMs, source: 'unsharded', samples: n };
  const fixedMs = Math.min(first.measuredMs - first.filesMs, options.maxUnshardedFixedMs ?? Number.POSITIVE_INFINITY);
  return { fixedMs, perFileScale: (first.measuredMs - fixedMs) / first.filesMs, source: 'unsharded', samples: n };
}

/** The estimated ms of a shard whose files measured `filesMs` in all. */
export function shardEstimateMs(model: ShardCostModel, filesMs: number): number {
  return model.fixedMs + model.perFileScale * filesMs;
}

/** One line on the model, for plans and reports: `fixed 4.2 s + 1.05 x files (from 1 unsharded run and 3 shard runs)`. */
export function describeShardCostModel(model: ShardCostModel): string {
  if (model.source === 'none') return 'files at their measured times, no fixed cost (no run of the target to learn one from)';
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const learned = model.source === 'unsharded' ? 'the unsharded run: its wall time minus its files' : `${model.samples} runs: the unsharded target and its shards`;
  return `fixed ${seconds(model.fixedMs)} per shard + ${model.perFileScale.toFixed(2)} x the files' measured time (learned from ${learned})`;
}
