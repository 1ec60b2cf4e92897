import { describe, expect, it } from 'vitest';
import { computeTargetStats } from '@sixty/core';
import { runRecord, taskRecord } from './run-fixtures';

describe('computeTargetStats', () => {
  it('counts executions, cache hits and failures, and takes p50/p90/max over executed durations only', () => {
    const runs = [
      runRecord('r1', 1000, [
        taskRecord('app:build', 100, { endMs: 1100 }),
        taskRecord('app:test', 300, { status: 'failure', endMs: 1300 }),
        taskRecord('lib:build', 5, { status: 'local-cache', endMs: 1005 }),
      ]),
      runRecord('r2', 2000, [
        taskRecord('app:build', 300, { endMs: 2300 }),
        taskRecord('lib:build', 99_999, { status: 'remote-cache', endMs: 2100 }),
        taskRecord('app:test', 0, { status: 'skipped', endMs: 2000 }),
      ]),
      runRecord('r3', 3000, [
        taskRecord('app:build', 200, { endMs: 3200 }),
        taskRecord('lib:build', 50, { endMs: 3050 }),
        taskRecord('app:build:production', 1000, { endMs: 4000 }),
      ]),
      runRecord('r4', 5000, [
        taskRecord('app:build', 400, { status: 'failure', endMs: 5400 }),
        taskRecord('app:test', 77_777, { status: 'stopped', endMs: 5100 }),
        taskRecord('lib:build', 8, { status: 'local-cache-kept-existing', endMs: 5008 }),
      ]),
    ];

    expect(computeTargetStats(runs)).toEqual([
      {
        task: 'app:build',
        project: 'app',
        target: 'build',
        executions: 4,
        cacheHits: 0,
        failures: 1,
        earlyFailures: 0,
        p50Ms: 200,
        p90Ms: 400,
        maxMs: 400,
        durationsMs: [100, 300, 200, 400],
        lastRunMs: 5400,
      },
      {
        task: 'app:build:production',
        project: 'app',
        target: 'build',
        configuration: 'production',
        executions: 1,
        cacheHits: 0,
        failures: 0,
        earlyFailures: 0,
        p50Ms: 1000,
        p90Ms: 1000,
        maxMs: 1000,
        durationsMs: [1000],
        lastRunMs: 4000,
      },
      {
        task: 'app:test',
        project: 'app',
        target: 'test',
        // its one executed run failed in 300 ms, never having succeeded: a failure, not a sample
        executions: 0,
        cacheHits: 0,
        failures: 1,
        earlyFailures: 1,
        p50Ms: 0,
        p90Ms: 0,
        maxMs: 0,
        durationsMs: [],
        lastRunMs: 5100,
      },
      {
        task: 'lib:build',
        project: 'lib',
        target: 'build',
        executions: 1,
        cacheHits: 3,
        failures: 0,
        earlyFailures: 0,
        p50Ms: 50,
        p90Ms: 50,
        maxMs: 50,
        durationsMs: [50],
        lastRunMs: 5008,
      },
    ]);
  });

  it('takes nearest-rank percentiles over ten executions', () => {
    const durations = [70, 10, 100, 40, 90, 20, 60, 30, 80, 50];
    const runs = durations.map((ms, i) => runRecord(`r${i}`, i * 1000, [taskRecord('app:test', ms, { endMs: i * 1000 + ms })]));
    const [stats] = computeTargetStats(runs);
    expect(stats).toMatchObject({ executions: 10, p50Ms: 50, p90Ms: 90, maxMs: 100, durationsMs: durations });
  });

  it('gives a target seen only from cache zero executions and zero timings', () => {
    const runs = [
      runRecord('r1', 0, [taskRecord('ui:lint', 40, { status: 'local-cache', endMs: 40 })]),
      runRecord('r2', 100, [taskRecord('ui:lint', 60, { status: 'remote-cache', endMs: 160 })]),
    ];
    expect(computeTargetStats(runs)).toEqual([
      {
        task: 'ui:lint',
        project: 'ui',
        target: 'lint',
        executions: 0,
        cacheHits: 2,
        failures: 0,
        earlyFailures: 0,
        p50Ms: 0,
        p90Ms: 0,
        maxMs: 0,
        durationsMs: [],
        lastRunMs: 160,
      },
    ]);
  });

  it('counts a run that failed before doing the work as a failure, not as a duration', () => {
    // successes 60 s, 62 s, 64 s; a config error after 1.5 s; an assertion failure after 58 s
    const runs = [60_000, 1_500, 62_000, 58_000, 64_000].map((ms, i) =>
      runRecord(`r${i}`, i * 100_000, [taskRecord('app:test', ms, { endMs: i * 100_000 + ms, ...(ms < 60_000 ? { status: 'failure' as const } : {}) })]),
    );
    const [stats] = computeTargetStats(runs);
    expect(stats).toMatchObject({ executions: 4, failures: 2, earlyFailures: 1, p50Ms: 60_000, durationsMs: [60_000, 62_000, 58_000, 64_000] });
    // with no success to compare, a failure under 1 s did no work; one over it is all there is to go by
    const failedOnly = computeTargetStats([
      runRecord('a', 0, [taskRecord('lib:test', 900, { status: 'failure', endMs: 900 })]),
      runRecord('b', 10_000, [taskRecord('lib:test', 4_000, { status: 'failure', endMs: 14_000 })]),
    ]);
    expect(failedOnly[0]).toMatchObject({ executions: 1, failures: 2, earlyFailures: 1, durationsMs: [4_000] });
  });

  it('returns nothing for no runs and for runs without tasks', () => {
    expect(computeTargetStats([])).toEqual([]);
    expect(computeTargetStats([runRecord('empty', 0, [])])).toEqual([]);
  });
});
