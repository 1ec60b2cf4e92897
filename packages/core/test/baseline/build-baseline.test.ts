import { describe, expect, it } from 'vitest';
import { applyShardPlanToBaseline, buildBaseline, SixtyError, type Baseline, type ShardPlan, type TargetStats } from '@sixty/core';

function stats(task: string, p90Ms: number, executions = 1): TargetStats {
  const [project, target] = task.split(':') as [string, string];
  return { task, project, target, executions, cacheHits: 0, failures: 0, earlyFailures: 0, p50Ms: p90Ms, p90Ms, maxMs: p90Ms, durationsMs: [p90Ms], lastRunMs: 0 };
}

const config = { executor: 'nx:run-commands', options: { command: 'node --test', cwd: 'libs/c' } };

const previous: Baseline = {
  schemaVersion: 1,
  budgetMs: 60_000,
  targets: {
    'c:test': {
      root: 'libs/c',
      p90Ms: 5000,
      files: { 'libs/c/test/a.test.js': 2000, 'libs/c/test/b.test.js': 3000 },
      shards: [
        { name: 'shard-1-of-2', files: ['libs/c/test/b.test.js'] },
        { name: 'shard-2-of-2', files: ['libs/c/test/a.test.js'] },
      ],
      config,
    },
    'gone:test': { root: 'libs/gone', p90Ms: 1, files: {} },
  },
};

describe('buildBaseline', () => {
  it('takes p90 from the history and files from the reports, keeping the applied shards', () => {
    const baseline = buildBaseline(
      {
        budgetMs: 3000,
        stats: [stats('c:test', 6400.4), stats('d:test', 900)],
        targets: { 'c:test': { root: 'libs/c', config }, 'd:test': { root: 'libs/d' } },
        fileDurations: { 'c:test': { 'libs/c/test/a.test.js': 2100.2, 'libs/c/test/b.test.js': 3900, 'libs/c/test/new.test.js': 400 } },
      },
      previous,
    );
    expect(baseline).toEqual({
      schemaVersion: 1,
      budgetMs: 3000,
      targets: {
        'c:test': {
          root: 'libs/c',
          p90Ms: 6400,
          files: { 'libs/c/test/a.test.js': 2100, 'libs/c/test/b.test.js': 3900, 'libs/c/test/new.test.js': 400 },
          shards: previous.targets['c:test']!.shards,
          config,
        },
        'd:test': { root: 'libs/d', p90Ms: 900, files: {} },
      },
    });
  });

  it('keeps the previous p90 and files of a target that has not executed since (cache hits, or run as shards)', () => {
    const baseline = buildBaseline({ budgetMs: 60_000, stats: [stats('c:test', 100, 0)], targets: { 'c:test': { root: 'libs/c' } }, fileDurations: {} }, previous);
    expect(baseline.targets['c:test']).toEqual({ ...previous.targets['c:test'], root: 'libs/c' });
  });

  it('ignores statistics of a configuration (project:target:configuration)', () => {
    const withConfiguration = { ...stats('c:test', 100), task: 'c:test:ci', configuration: 'ci' };
    expect(buildBaseline({ budgetMs: 1, stats: [withConfiguration], targets: { 'c:test': { root: 'libs/c' } }, fileDurations: {} }).targets['c:test']!.p90Ms).toBe(0);
  });
});

const plan = (shards: ShardPlan['shards']): ShardPlan => ({ schemaVersion: 1, kind: 'shard', task: 'c:test', budgetMs: 3000, rationale: '', source: 'local', shards });

describe('applyShardPlanToBaseline', () => {
  it('writes the plan shards in shard order with sorted files, then is a no-op the second time', () => {
    const next = plan([
      { name: 'shard-2-of-2', files: ['libs/c/test/b.test.js'], estimatedMs: 3000 },
      { name: 'shard-1-of-2', files: ['libs/c/test/new.test.js', 'libs/c/test/a.test.js'], estimatedMs: 2400 },
    ]);
    const first = applyShardPlanToBaseline(previous, next);
    expect(first.changed).toBe(true);
    expect(first.before).toEqual(previous.targets['c:test']!.shards);
    expect(first.baseline.targets['c:test']!.shards).toEqual([
      { name: 'shard-1-of-2', files: ['libs/c/test/a.test.js', 'libs/c/test/new.test.js'] },
      { name: 'shard-2-of-2', files: ['libs/c/test/b.test.js'] },
    ]);
    expect(previous.targets['c:test']!.shards![0]!.files).toEqual(['libs/c/test/b.test.js']); // input untouched
    const second = applyShardPlanToBaseline(first.baseline, next);
    expect(second.changed).toBe(false);
    expect(second.baseline).toEqual(first.baseline);
  });

  it('refuses a target the baseline does not hold, saying what to run', () => {
    const error = (() => {
      try {
        applyShardPlanToBaseline(previous, { ...plan([]), task: 'x:test' });
      } catch (caught) {
        return caught as SixtyError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SixtyError);
    expect(error!.message).toBe('x:test is not in the baseline, so its shards have no configuration to run');
    expect(error!.fix).toContain('sixty baseline');
  });
});
