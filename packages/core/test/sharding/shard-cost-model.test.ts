import { describe, expect, it } from 'vitest';
import { fitShardCostModel, isSixtyError, planShards, shardEstimateMs } from '@sixty/core';

describe('fitShardCostModel', () => {
  it('learns the fixed cost from the unsharded run alone: its wall time minus its files', () => {
    expect(fitShardCostModel([{ filesMs: 100_000, measuredMs: 108_000 }])).toEqual({ fixedMs: 8000, perFileScale: 1, source: 'unsharded', samples: 1 });
    // workers ran files side by side: no fixed cost shows, the files count less than measured
    expect(fitShardCostModel([{ filesMs: 100_000, measuredMs: 50_000 }])).toEqual({ fixedMs: 0, perFileScale: 0.5, source: 'unsharded', samples: 1 });
    expect(fitShardCostModel([]).source).toBe('none');
    // one run cannot tell start-up from per-file overhead: past the cap, the rest scales the files
    expect(fitShardCostModel([{ filesMs: 100_000, measuredMs: 130_000 }], { maxUnshardedFixedMs: 10_000 })).toEqual({ fixedMs: 10_000, perFileScale: 1.2, source: 'unsharded', samples: 1 });
  });

  it('recalibrates on the shards: the line through the unsharded run and each shard', () => {
    // true model: 5 s fixed + 1.2 x files
    const truth = (filesMs: number): number => 5000 + 1.2 * filesMs;
    const samples = [90_000, 30_000, 30_000, 30_000].map((filesMs) => ({ filesMs, measuredMs: truth(filesMs) }));
    const model = fitShardCostModel(samples);
    expect(model.source).toBe('calibrated');
    expect(model.samples).toBe(4);
    expect(model.fixedMs).toBeCloseTo(5000, 6);
    expect(model.perFileScale).toBeCloseTo(1.2, 9);
    expect(shardEstimateMs(model, 20_000)).toBeCloseTo(29_000, 6);
  });

  it('never gives a negative fixed cost or scale', () => {
    const throughOrigin = fitShardCostModel([
      { filesMs: 10_000, measuredMs: 8000 },
      { filesMs: 20_000, measuredMs: 22_000 },
    ]);
    expect(throughOrigin.fixedMs).toBe(0);
    expect(throughOrigin.perFileScale).toBeCloseTo((10_000 * 8000 + 20_000 * 22_000) / (10_000 ** 2 + 20_000 ** 2), 9);
    const flat = fitShardCostModel([
      { filesMs: 10_000, measuredMs: 9000 },
      { filesMs: 20_000, measuredMs: 8000 },
    ]);
    expect(flat).toEqual({ fixedMs: 8000, perFileScale: 0, source: 'calibrated', samples: 2 });
  });
});

describe('planShards with a cost model', () => {
  const files = Array.from({ length: 8 }, (_, i) => ({ path: `t/${i}.test.js`, costMs: 10_000 }));

  it('gives each shard the fixed cost and fills only what the budget leaves with files', () => {
    // budget 60 s x 0.85 = 51 s, minus 11 s fixed: 40 s of files, 4 files a shard
    const plan = planShards({ task: 'a:test', files, budgetMs: 60_000, costModel: { fixedMs: 11_000, perFileScale: 1, source: 'unsharded', samples: 1 } });
    expect(plan.shards.map((shard) => [shard.files.length, shard.estimatedMs])).toEqual([
      [4, 51_000],
      [4, 51_000],
    ]);
    expect(plan.rationale).toContain('Shard cost: fixed 11.0 s per shard');
  });

  it('refuses when the fixed cost alone fills the budget, naming the floor and what lowers it', () => {
    let error: unknown;
    try {
      planShards({ task: 'a:test', files, budgetMs: 60_000, costModel: { fixedMs: 52_000, perFileScale: 1, source: 'calibrated', samples: 3 } });
    } catch (caught) {
      error = caught;
    }
    expect(isSixtyError(error) && error.code).toBe('NO_USEFUL_PLAN');
    expect((error as Error).message).toContain('every shard pays a fixed 52.0 s before its first test file');
    expect(isSixtyError(error) && error.fix).toContain('lower the floor: a faster start-up of the runner');
  });
});
