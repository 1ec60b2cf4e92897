import { describe, expect, it } from 'vitest';
import { isShardTargetListed, junitPathFor, normalizeShardingOptions } from '@sixty/core';

describe('normalizeShardingOptions', () => {
  it('defaults: nothing listed, margin 0.85, no JUnit paths', () => {
    expect(normalizeShardingOptions(undefined)).toEqual({ options: { shardTargets: [], safetyMargin: 0.85, junit: {} }, problems: [] });
  });

  it('keeps valid values, sorted and de-duplicated', () => {
    expect(normalizeShardingOptions({ budgetSeconds: 60, shard: { targets: ['test', 'app:e2e', 'test'], safetyMargin: '0.7' }, junit: { test: 'out/junit.xml' } })).toEqual({
      options: { shardTargets: ['app:e2e', 'test'], safetyMargin: 0.7, junit: { test: 'out/junit.xml' } },
      problems: [],
    });
  });

  it('reports each invalid value on a line naming the option, and uses the default', () => {
    const { options, problems } = normalizeShardingOptions({ shard: { targets: ['ok', 'a b', 7], safetyMargin: 1.5 }, junit: { test: '' } });
    expect(options).toEqual({ shardTargets: ['ok'], safetyMargin: 0.85, junit: {} });
    expect(problems).toEqual([
      'option shard.targets has "a b": expected a target name or "project:target"',
      'option shard.targets has 7: expected a target name or "project:target"',
      'option shard.safetyMargin is 1.5: expected a fraction of the budget in (0, 1]; using 0.85',
      'option junit["test"] is "": expected a path relative to the project root',
    ]);
    expect(normalizeShardingOptions({ shard: ['test'], junit: 'x' }).problems).toEqual([
      'option shard must be an object, e.g. { "targets": ["test"], "safetyMargin": 0.85 }',
      'option junit must map "target" or "project:target" to a report path, e.g. { "test": "reports/junit.xml" }',
    ]);
  });

  it('looks targets up by project:target, then by target name', () => {
    const { options } = normalizeShardingOptions({ shard: { targets: ['lib-c:test', 'e2e'] }, junit: { test: 'a.xml', 'lib-c:test': 'b.xml' } });
    expect(isShardTargetListed(options, { project: 'lib-c', target: 'test' })).toBe(true);
    expect(isShardTargetListed(options, { project: 'lib-a', target: 'test' })).toBe(false);
    expect(isShardTargetListed(options, { project: 'app', target: 'e2e' })).toBe(true);
    expect(junitPathFor(options, { project: 'lib-c', target: 'test' })).toBe('b.xml');
    expect(junitPathFor(options, { project: 'lib-a', target: 'test' })).toBe('a.xml');
    expect(junitPathFor(options, { project: 'lib-a', target: 'lint' })).toBeUndefined();
  });
});
