import { SixtyError } from '../errors/sixty-error';
import type { ShardPlan } from '../plan/plan-types';
import { compareText, type Baseline, type BaselineShard } from '../baseline/baseline-types';

export interface AppliedShardPlan {
  baseline: Baseline;
  /** False when the baseline already held exactly these shards: applying again is a no-op. */
  changed: boolean;
  /** The target's shards before, if any. */
  before?: BaselineShard[];
  after: BaselineShard[];
}

/**
 * Writes a (validated) shard Plan into the baseline: the target's shards become the plan's,
 * ordered by shard number, files sorted. Returns a new baseline; the input is not changed.
 * The target must already be in the baseline (it holds the configuration shards run).
 */
export function applyShardPlanToBaseline(baseline: Baseline, plan: ShardPlan): AppliedShardPlan {
  const entry = baseline.targets[plan.task];
  if (!entry) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `${plan.task} is not in the baseline, so its shards have no configuration to run`,
      `run \`sixty baseline\` after a run of ${plan.task} (nx run ${plan.task}), then apply the plan again`,
    );
  }
  const shardNumber = (name: string): number => Number(/^shard-(\d+)-of-/.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER);
  const after = [...plan.shards]
    .sort((a, b) => shardNumber(a.name) - shardNumber(b.name) || compareText(a.name, b.name))
    .map((shard) => ({ name: shard.name, files: [...shard.files].sort(compareText) }));
  const before = entry.shards;
  const changed = JSON.stringify(before ?? null) !== JSON.stringify(after);
  return {
    baseline: { ...baseline, targets: { ...baseline.targets, [plan.task]: { ...entry, shards: after } } },
    changed,
    ...(before ? { before } : {}),
    after,
  };
}
