import { describe, expect, it } from 'vitest';
import { estimateRunStartupMs, type TargetStats } from '@sixty/core';

const stats = (task: string, p50Ms: number, executions = 3): TargetStats => {
  const [project, target] = task.split(':') as [string, string];
  return { task, project, target, executions, cacheHits: 0, failures: 0, earlyFailures: 0, p50Ms, p90Ms: p50Ms, maxMs: p50Ms, durationsMs: [p50Ms], lastRunMs: 0 } as TargetStats;
};

describe('estimateRunStartupMs', () => {
  const split = { project: 'big', target: 'build', p90Ms: 6000 };

  it("is the fastest of the other projects' runs of the same target", () => {
    expect(estimateRunStartupMs([stats('big:build', 6000), stats('a:build', 900), stats('b:build', 400), stats('b:test', 100)], split)).toBe(400);
  });

  it('ignores the project itself, other targets and never-executed runs; 0 when nothing is left', () => {
    expect(estimateRunStartupMs([stats('big:build', 6000), stats('a:test', 50), stats('c:build', 10, 0)], split)).toBe(0);
  });

  it("is capped at half the split target's p90 and half its budget", () => {
    expect(estimateRunStartupMs([stats('a:build', 5000)], split)).toBe(3000);
    expect(estimateRunStartupMs([stats('a:build', 5000)], split, 4000)).toBe(2000);
  });
});
