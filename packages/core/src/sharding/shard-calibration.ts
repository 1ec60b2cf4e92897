import type { BaselineTarget } from '../baseline/baseline-types';
import type { TargetStats } from '../stats/target-stats';
import { resolveShards, unshardedFixedCap } from './resolve-shards';
import { fitShardCostModel, shardEstimateMs, type ShardCostModel, type ShardCostSample } from './shard-cost-model';
import { shardTargetName } from './shard-target-names';

/** One shard: what the model estimates for it and what its runs measured (median of executed runs). */
export interface ShardMeasurement {
  /** `project:target--shard-<i>-of-<n>`. */
  task: string;
  files: number;
  estimatedMs: number;
  /** Median of its executed runs; absent when it has not run. */
  measuredMs?: number;
  executions: number;
}

export interface ShardCalibration {
  model: ShardCostModel;
  shards: ShardMeasurement[];
}

export interface CalibrateShardsOptions {
  /** `project:target`. */
  task: string;
  entry: BaselineTarget;
  stats: readonly TargetStats[];
  budgetMs: number;
  listed?: boolean;
  /** Measured ms per test file (the freshest JUnit reports); default the baseline's. */
  fileMs?: Readonly<Record<string, number>>;
  currentFiles?: readonly string[];
}

/**
 * The shard cost model learned from every run there is: the unsharded target's median against
 * its files' sum, and each shard's median against its files' sum; then each shard's estimate
 * under that model beside what it measured. Undefined when the target has no shards.
 */
export function calibrateShards(options: CalibrateShardsOptions): ShardCalibration | undefined {
  const resolved = resolveShards({ task: options.task, entry: options.entry, budgetMs: options.budgetMs, ...(options.listed ? { listed: true } : {}), ...(options.currentFiles ? { currentFiles: options.currentFiles } : {}) });
  if (!resolved) return undefined;
  const fileMs = options.fileMs ?? options.entry.files;
  const measured = Object.keys(fileMs);
  const sumOf = (files: readonly string[]): number => files.reduce((sum, file) => sum + (Object.prototype.hasOwnProperty.call(fileMs, file) ? (fileMs[file] as number) : 0), 0);
  const statsOf = new Map(options.stats.filter((stats) => stats.executions > 0 && stats.configuration === undefined).map((stats) => [stats.task, stats]));
  const samples: ShardCostSample[] = [];
  const unsharded = statsOf.get(options.task);
  if (measured.length > 0) samples.push({ filesMs: sumOf(measured), measuredMs: unsharded?.p50Ms ?? options.entry.p90Ms });
  const shards = resolved.shards.map((shard) => {
    const task = shardTargetName(options.task, shard.name);
    const stats = statsOf.get(task);
    const filesMs = sumOf(shard.files);
    if (stats && filesMs > 0) samples.push({ filesMs, measuredMs: stats.p50Ms });
    return { task, files: shard.files, filesMs, stats };
  });
  const model = fitShardCostModel(samples, { maxUnshardedFixedMs: unshardedFixedCap(options.budgetMs) });
  return {
    model,
    shards: shards.map((shard) => ({
      task: shard.task,
      files: shard.files.length,
      estimatedMs: shardEstimateMs(model, shard.filesMs),
      ...(shard.stats ? { measuredMs: shard.stats.p50Ms } : {}),
      executions: shard.stats?.executions ?? 0,
    })),
  };
}
