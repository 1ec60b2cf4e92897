import type { Baseline, BaselineTarget } from '../baseline/baseline-types';
import { readShardableTarget, type ShardableTarget } from './shard-runner';

export type ShardableEntry = { ok: true; target: ShardableTarget } | { ok: false; reason: string };

/**
 * Whether the shard targets of a baseline entry can be inferred, and why not: its
 * configuration snapshot is missing, sixty cannot filter its runner, or its runner collects
 * files outside the project. One answer for the plugin (which warns) and `sixty report`.
 */
export function shardableEntry(key: string, entry: BaselineTarget): ShardableEntry {
  if (!entry.config) return { ok: false, reason: `no shard targets for ${key}: the baseline has no configuration snapshot of it; run sixty baseline` };
  const read = readShardableTarget(entry.config, entry.root);
  if (!read.ok) return { ok: false, reason: `no shard targets for ${key}: ${read.reason}; ${read.fix}` };
  const outside = entry.testFiles?.filter((file) => entry.root !== '.' && !file.startsWith(`${entry.root}/`)) ?? [];
  if (outside.length > 0) {
    return {
      ok: false,
      reason: `no shard targets for ${key}: its runner collects ${outside.length} test file(s) outside ${entry.root} (${outside.slice(0, 3).join(', ')}); narrow its config to the project, then run sixty baseline`,
    };
  }
  return { ok: true, target: read.target };
}

/** The baseline's applied shards that no shard target runs, each with the reason. */
export function unshardableAppliedTargets(baseline: Baseline): Array<{ task: string; reason: string }> {
  const problems: Array<{ task: string; reason: string }> = [];
  for (const key of Object.keys(baseline.targets).sort()) {
    const entry = baseline.targets[key]!;
    if (!entry.shards || entry.shards.length === 0) continue;
    const read = shardableEntry(key, entry);
    if (!read.ok) problems.push({ task: key, reason: read.reason });
  }
  return problems;
}
