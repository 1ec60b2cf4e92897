import type { PlanValidationContext, ShardPlan, SplitPlan } from '@sixty/core';

/** libs/a split in two: x (one, two) and y (three and the test), the entry kept as facade. */
export const FILES = {
  index: 'libs/a/src/index.ts',
  one: 'libs/a/src/x/one.ts',
  two: 'libs/a/src/x/two.ts',
  three: 'libs/a/src/y/three.ts',
  test: 'libs/a/test/one.test.ts',
} as const;

export function splitPlan(): SplitPlan {
  return {
    schemaVersion: 1,
    kind: 'split',
    task: 'lib-a:test',
    budgetMs: 60_000,
    rationale: 'two parts',
    source: 'agent',
    projects: [
      { name: 'lib-a-x', root: 'libs/lib-a-x', files: [FILES.one, FILES.two], dependsOn: [], entry: 'libs/lib-a-x/src/index.ts', estimatedMs: 20_000 },
      { name: 'lib-a-y', root: 'libs/lib-a-y', files: [FILES.three, FILES.test], dependsOn: ['lib-a-x'], entry: 'libs/lib-a-y/src/index.ts', estimatedMs: 30_000 },
    ],
    facade: [
      { from: FILES.index, project: 'lib-a-x', module: FILES.one },
      { from: FILES.index, project: 'lib-a-y', module: FILES.three },
    ],
    cutEdges: 2,
    keptFiles: [FILES.index],
    keptEstimatedMs: 1_000,
  };
}

export function splitContext(): PlanValidationContext {
  return {
    projectRoot: 'libs/a',
    projectFiles: Object.values(FILES),
    existingProjects: ['lib-a', 'lib-b', '@org/util'],
    budgetMs: 60_000,
    publicExports: [FILES.one, FILES.three],
    importEdges: [
      { from: FILES.index, to: FILES.one },
      { from: FILES.index, to: FILES.three },
      { from: FILES.three, to: FILES.two },
      { from: FILES.two, to: FILES.one },
      { from: FILES.test, to: FILES.one },
    ],
    task: 'lib-a:test',
  };
}

export const TESTS = ['libs/a/test/a.test.ts', 'libs/a/test/b.test.ts', 'libs/a/test/c.test.ts', 'libs/a/test/d.test.ts'];

export function shardPlan(): ShardPlan {
  return {
    schemaVersion: 1,
    kind: 'shard',
    task: 'lib-a:test',
    budgetMs: 60_000,
    rationale: 'two shards',
    source: 'local',
    shards: [
      { name: 'shard-1-of-2', files: [TESTS[0] as string, TESTS[3] as string], estimatedMs: 40_000 },
      { name: 'shard-2-of-2', files: [TESTS[1] as string, TESTS[2] as string], estimatedMs: 41_000 },
    ],
  };
}

export function shardContext(): PlanValidationContext {
  return { projectRoot: 'libs/a', projectFiles: TESTS, existingProjects: ['lib-a'], budgetMs: 60_000, task: 'lib-a:test' };
}
