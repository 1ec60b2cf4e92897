import { describe, expect, it } from 'vitest';
import { baselineStaleness, isInferredShardTarget, type Baseline, type TargetStats } from '@sixty/core';

function stats(task: string, p90Ms: number, executions = 1): TargetStats {
  const [project, target] = task.split(':') as [string, string];
  return { task, project, target, executions, cacheHits: 0, failures: 0, earlyFailures: 0, p50Ms: p90Ms, p90Ms, maxMs: p90Ms, durationsMs: [p90Ms], lastRunMs: 0 };
}

const baseline: Baseline = {
  schemaVersion: 1,
  budgetMs: 60_000,
  targets: {
    'a:test': { root: 'a', p90Ms: 10_000, files: {} },
    'b:test': { root: 'b', p90Ms: 10_000, files: {} },
    'c:test': { root: 'c', p90Ms: 0, files: {} },
    'd:test': { root: 'd', p90Ms: 10_000, files: {} },
  },
};
const budgetMsFor = (): number => 60_000;

describe('baselineStaleness', () => {
  it('reports the relative drift of each target that executed, stale past the threshold', () => {
    const result = baselineStaleness(baseline, [stats('a:test', 12_000), stats('b:test', 7_000), stats('c:test', 500), stats('d:test', 99_999, 0)], { budgetMsFor });
    expect(result).toEqual({
      drifts: [
        { task: 'a:test', baselineP90Ms: 10_000, currentP90Ms: 12_000, drift: 0.2, stale: false },
        { task: 'b:test', baselineP90Ms: 10_000, currentP90Ms: 7_000, drift: -0.3, stale: true },
        { task: 'c:test', baselineP90Ms: 0, currentP90Ms: 500, drift: null, stale: true },
      ],
      missing: [],
      overBudgetShards: [],
      stale: true,
    });
  });

  it('honours the threshold and is current when nothing moved past it', () => {
    const result = baselineStaleness(baseline, [stats('a:test', 12_000), stats('b:test', 7_000)], { budgetMsFor, threshold: 0.5 });
    expect(result.stale).toBe(false);
    expect(result.drifts.map((drift) => drift.stale)).toEqual([false, false]);
  });

  it('lists targets over budget that the baseline is missing, ignoring the aggregate and configurations', () => {
    const configured = { ...stats('e:test', 90_000), task: 'e:test:ci', configuration: 'ci' };
    const result = baselineStaleness(baseline, [stats('z:build', 61_000), stats('y:build', 59_000), stats('a:test--sharded', 90_000), configured], { budgetMsFor });
    expect(result).toEqual({ drifts: [], missing: [{ task: 'z:build', currentP90Ms: 61_000, budgetMs: 60_000 }], overBudgetShards: [], stale: true });
  });

  it('flags shards of a baseline target that run over its budget', () => {
    const result = baselineStaleness(baseline, [stats('a:test--shard-1-of-3', 30_000), stats('a:test--shard-2-of-3', 61_000), stats('q:test--shard-1-of-2', 99_000)], { budgetMsFor });
    expect(result).toEqual({ drifts: [], missing: [], overBudgetShards: [{ task: 'a:test--shard-2-of-3', currentP90Ms: 61_000, budgetMs: 60_000 }], stale: true });
  });

  it('knows the names the plugin infers', () => {
    expect(['test--shard-1-of-3', 'test--sharded', 'test', 'test--shard-x', 'e2e--shard-10-of-12'].map(isInferredShardTarget)).toEqual([true, true, false, false, true]);
  });
});
