import { describe, expect, it } from 'vitest';
import { resolveShards, type BaselineTarget } from '@sixty/core';

const path = (name: string): string => `libs/c/test/${name}.test.js`;
const entry = (files: Record<string, number>, extra: Partial<BaselineTarget> = {}): BaselineTarget => ({
  root: 'libs/c',
  p90Ms: Object.values(files).reduce((a, b) => a + b, 0),
  files: Object.fromEntries(Object.entries(files).map(([name, ms]) => [path(name), ms])),
  ...extra,
});
const names = (files: string[]): string[] => files.map((file) => file.slice('libs/c/test/'.length, -'.test.js'.length));

describe('resolveShards', () => {
  it('leaves a target within budget alone unless it is listed', () => {
    const within = entry({ a: 100, b: 100 });
    expect(resolveShards({ task: 'c:test', entry: within, budgetMs: 1000 })).toBeUndefined();
    expect(resolveShards({ task: 'c:test', entry: within, budgetMs: 1000, listed: true })).toEqual({
      source: 'planned',
      shards: [{ name: 'shard-1-of-1', files: [path('a'), path('b')], estimatedMs: 200 }],
    });
  });

  it('plans the fewest shards under budget x margin by LPT, hand-checked', () => {
    // capacity 1000 x 0.8 = 800; total 1500 -> 2 shards: a 500 | b 400; c -> b (700); d -> a (700); e -> the tie's lower index, a (800)
    const result = resolveShards({ task: 'c:test', entry: entry({ a: 500, b: 400, c: 300, d: 200, e: 100 }), budgetMs: 1000, safetyMargin: 0.8 });
    expect(result!.source).toBe('planned');
    expect(result!.shards.map((shard) => [shard.name, names(shard.files), shard.estimatedMs])).toEqual([
      ['shard-1-of-2', ['a', 'd', 'e'], 800],
      ['shard-2-of-2', ['b', 'c'], 700],
    ]);
  });

  it('is deterministic: the same files in any order give the same shards', () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 100 + ((i * 37) % 17) * 50]));
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    const a = resolveShards({ task: 'c:test', entry: entry(files), budgetMs: 3000 });
    const b = resolveShards({ task: 'c:test', entry: entry(reversed), budgetMs: 3000, currentFiles: Object.keys(files).map(path).reverse() });
    expect(a).toEqual(b);
    expect(a!.shards.length).toBeGreaterThan(1);
    expect(a!.shards.flatMap((shard) => shard.files).sort()).toEqual(Object.keys(files).map(path).sort());
  });

  it('counts the p90 beyond the measured files as a fixed cost every shard pays (runner start-up)', () => {
    // files sum to 1000, p90 1600: 600 fixed per shard, leaving 900 of the 1500 budget for files
    const result = resolveShards({ task: 'c:test', entry: entry({ a: 500, b: 500 }, { p90Ms: 1600 }), budgetMs: 1500, safetyMargin: 1 });
    expect(result!.shards.map((shard) => shard.estimatedMs)).toEqual([1100, 1100]);
    // one unsharded run counts at most half of what a shard may fill (750) as fixed: the rest scales the files (1250 / 1000)
    const capped = resolveShards({ task: 'c:test', entry: entry({ a: 500, b: 500 }, { p90Ms: 2000 }), budgetMs: 1500, safetyMargin: 1 });
    expect(capped!.shards.map((shard) => shard.estimatedMs)).toEqual([1375, 1375]);
    // a learned fixed cost that fills the budget: no shard count helps, so none are inferred
    const floor = entry({ a: 500, b: 500 }, { p90Ms: 2000, shardCost: { fixedMs: 1600, perFileScale: 1, samples: 3 } });
    expect(resolveShards({ task: 'c:test', entry: floor, budgetMs: 1500, safetyMargin: 1 })).toBeUndefined();
  });

  it('uses the shard cost the baseline learned when it has one', () => {
    const learned = entry({ a: 500, b: 500 }, { p90Ms: 2000, shardCost: { fixedMs: 200, perFileScale: 1.2, samples: 4 } });
    const result = resolveShards({ task: 'c:test', entry: learned, budgetMs: 1000, safetyMargin: 1 });
    expect(result!.shards.map((shard) => shard.estimatedMs)).toEqual([800, 800]);
  });

  it('keeps applied shards, drops deleted files, and puts a new file into the least-loaded shard', () => {
    const applied = entry(
      { a: 900, b: 100, c: 500 },
      {
        shards: [
          { name: 'shard-1-of-3', files: [path('a')] },
          { name: 'shard-2-of-3', files: [path('b')] },
          { name: 'shard-3-of-3', files: [path('c')] },
        ],
      },
    );
    expect(resolveShards({ task: 'c:test', entry: applied, budgetMs: 60_000 })!.shards.map((shard) => names(shard.files))).toEqual([['a'], ['b'], ['c']]);
    const now = resolveShards({ task: 'c:test', entry: applied, budgetMs: 60_000, currentFiles: [path('a'), path('c'), path('new')] });
    // b is gone: its shard disappears and the rest are renumbered; new (costed at the median, 500) joins the lighter shard, c
    expect(now).toEqual({
      source: 'applied',
      shards: [
        { name: 'shard-1-of-2', files: [path('a')], estimatedMs: 900 },
        { name: 'shard-2-of-2', files: [path('c'), path('new')], estimatedMs: 1000 },
      ],
    });
  });
});
