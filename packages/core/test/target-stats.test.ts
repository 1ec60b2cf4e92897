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
        executions: 1,
        cacheHits: 0,
        failures: 1,
        p50Ms: 300,
        p90Ms: 300,
        maxMs: 300,
        durationsMs: [300],
        lastRunMs: 5100,
      },
      {
        task: 'lib:build',
        project: 'lib',
        target: 'build',
        executions: 1,
        cacheHits: 3,
        failures: 0,
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
        p50Ms: 0,
        p90Ms: 0,
        maxMs: 0,
        durationsMs: [],
        lastRunMs: 160,
      },
    ]);
  });

  it('returns nothing for no runs and for runs without tasks', () => {
    expect(computeTargetStats([])).toEqual([]);
    expect(computeTargetStats([runRecord('empty', 0, [])])).toEqual([]);
  });
});
