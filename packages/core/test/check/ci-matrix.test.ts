import { describe, expect, it } from 'vitest';
import { planCiMatrix } from '@sixty/core';

describe('planCiMatrix', () => {
  it('uses the fewest jobs whose longest job fits the budget, longest task first', () => {
    const plan = planCiMatrix(
      [
        { task: 'lib-c:test--shard-1-of-3', estimatedMs: 40_000 },
        { task: 'lib-c:test--shard-2-of-3', estimatedMs: 35_000 },
        { task: 'lib-c:test--shard-3-of-3', estimatedMs: 30_000 },
        { task: 'app-a:test', estimatedMs: 20_000 },
        { task: 'app-b:test', estimatedMs: 10_000 },
      ],
      { budgetMs: 60_000, maxJobs: 8 },
    );
    // 135 s of work: 2 jobs cannot fit 60 s (LPT gives 70 + 65); 3 can (40, 45, 50)
    expect(plan.matrix.include).toEqual([
      { job: '1', tasks: ['lib-c:test--shard-1-of-3'], estimatedMs: 40_000, command: 'npx nx run-many -t test--shard-1-of-3 -p lib-c' },
      { job: '2', tasks: ['app-b:test', 'lib-c:test--shard-2-of-3'], estimatedMs: 45_000, command: 'npx nx run-many -t test -p app-b && npx nx run-many -t test--shard-2-of-3 -p lib-c' },
      { job: '3', tasks: ['app-a:test', 'lib-c:test--shard-3-of-3'], estimatedMs: 50_000, command: 'npx nx run-many -t test -p app-a && npx nx run-many -t test--shard-3-of-3 -p lib-c' },
    ]);
    expect(plan.makespanMs).toBe(50_000);
    expect(plan.withinBudget).toBe(true);
    expect(plan.oversized).toEqual([]);
  });

  it('caps the jobs at maxJobs and says when the budget cannot be met', () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ task: `p${i}:test`, estimatedMs: 50_000 }));
    const plan = planCiMatrix(items, { budgetMs: 60_000, maxJobs: 2 });
    expect(plan.matrix.include.map((job) => job.tasks.length)).toEqual([3, 3]);
    expect(plan.withinBudget).toBe(false);
    expect(plan.makespanMs).toBe(150_000);
  });

  it('names tasks that alone exceed the budget and gives every item exactly one job', () => {
    const items = [
      { task: 'big:test', estimatedMs: 90_000 },
      { task: 'a:test', estimatedMs: 10_000 },
      { task: 'b:test', estimatedMs: 10_000 },
    ];
    const plan = planCiMatrix(items, { budgetMs: 60_000, maxJobs: 4 });
    expect(plan.oversized).toEqual([{ task: 'big:test', estimatedMs: 90_000 }]);
    expect(plan.matrix.include.flatMap((job) => job.tasks).sort()).toEqual(['a:test', 'b:test', 'big:test']);
    expect(plan.matrix.include).toHaveLength(3);
  });

  it('gives an empty matrix for no affected work', () => {
    expect(planCiMatrix([], { budgetMs: 60_000, maxJobs: 4 })).toEqual({ matrix: { include: [] }, makespanMs: 0, withinBudget: true, oversized: [] });
  });
});
