import type { ImportGraph, PlanningInput, ShardPlan, SplitPlan } from '@sixty/core';
import { DEFAULT_AGENT_CONFIG, SecretValue, type AgentConfig } from '../src/index';

/** The key the tests use: it must never show up anywhere but the Authorization header. */
export const TEST_KEY = 'sk-test-SECRET-4f9a2b7c1d8e';

/** Agent settings for tests: fast retries, short timeouts, no cache unless asked. */
export function testConfig(baseUrl: string, overrides: Partial<AgentConfig> = {}): AgentConfig {
  return {
    ...DEFAULT_AGENT_CONFIG,
    apiKey: new SecretValue(TEST_KEY),
    baseUrl,
    model: 'test-model',
    timeoutMs: 5_000,
    totalTimeoutMs: 20_000,
    retryBaseMs: 10,
    cache: false,
    ...overrides,
  };
}

export const TESTS = ['libs/a/test/a.test.ts', 'libs/a/test/b.test.ts', 'libs/a/test/c.test.ts', 'libs/a/test/d.test.ts'] as const;

/**
 * lib-a:test, 90 s at p90 against a 60 s budget: four test files of 30, 25, 20 and 15 s. The
 * local planner makes two shards of 45 s; three shards (30 | 25 | 20 + 15) bring the slowest to 35 s.
 */
export function shardInput(): PlanningInput {
  const costs = [30_000, 25_000, 20_000, 15_000];
  return {
    kind: 'shard',
    task: 'lib-a:test',
    project: 'lib-a',
    target: 'test',
    projectRoot: 'libs/a',
    budgetMs: 60_000,
    p90Ms: 90_000,
    executions: 4,
    fileCosts: TESTS.map((path, index) => ({ path, costMs: costs[index] as number, source: 'junit' as const })),
    importGraph: {
      projectRoot: 'libs/a',
      files: TESTS.map((path, index) => ({ path, bytes: 1000 + index, isTest: true })),
      edges: [],
      crossProjectEdges: [],
      externalsByFile: {},
      testReach: {},
      entryPoints: [],
      publicModules: [],
      unparsable: [],
      unresolved: [],
      symlinksOutside: [],
    },
    coChange: null,
    existingProjects: ['lib-a', 'lib-b'],
    validation: { projectRoot: 'libs/a', projectFiles: [...TESTS], existingProjects: ['lib-a', 'lib-b'], budgetMs: 60_000, task: 'lib-a:test' },
  };
}

/** The better shard plan: three shards, the slowest 35 s. */
export function threeShards(): ShardPlan {
  return {
    schemaVersion: 1,
    kind: 'shard',
    task: 'lib-a:test',
    budgetMs: 60_000,
    rationale: 'One shard per long file, the two short ones together.',
    source: 'agent',
    shards: [
      { name: 'shard-1-of-3', files: [TESTS[0]], estimatedMs: 30_000 },
      { name: 'shard-2-of-3', files: [TESTS[1]], estimatedMs: 25_000 },
      { name: 'shard-3-of-3', files: [TESTS[2], TESTS[3]], estimatedMs: 35_000 },
    ],
  };
}

export const FILES = {
  index: 'libs/a/src/index.ts',
  one: 'libs/a/src/x/one.ts',
  two: 'libs/a/src/x/two.ts',
  three: 'libs/a/src/y/three.ts',
  test: 'libs/a/test/one.test.ts',
} as const;

/** lib-a:build, 86 s against 60 s: the entry re-exports one and three; three -> two -> one; the test imports one. */
export function splitInput(): PlanningInput {
  const files = Object.values(FILES);
  const costs: Record<string, number> = { [FILES.index]: 1_000, [FILES.one]: 30_000, [FILES.two]: 20_000, [FILES.three]: 25_000, [FILES.test]: 10_000 };
  const edges = [
    { from: FILES.index, to: FILES.one },
    { from: FILES.index, to: FILES.three },
    { from: FILES.test, to: FILES.one },
    { from: FILES.three, to: FILES.two },
    { from: FILES.two, to: FILES.one },
  ].map((edge) => ({ ...edge, typeOnly: false, dynamic: false }));
  const importGraph: ImportGraph = {
    projectRoot: 'libs/a',
    files: files.map((path) => ({ path, bytes: 500, isTest: path.includes('/test/') })),
    edges,
    crossProjectEdges: [],
    externalsByFile: {},
    testReach: { [FILES.test]: [FILES.one] },
    entryPoints: [FILES.index],
    publicModules: [FILES.one, FILES.three],
    unparsable: [],
    unresolved: [],
    symlinksOutside: [],
  };
  return {
    kind: 'split',
    task: 'lib-a:build',
    project: 'lib-a',
    target: 'build',
    projectRoot: 'libs/a',
    budgetMs: 60_000,
    p90Ms: 86_000,
    executions: 3,
    fileCosts: files.map((path) => ({ path, costMs: costs[path] as number, source: 'estimate' as const })).sort((a, b) => (a.path < b.path ? -1 : 1)),
    importGraph,
    coChange: { pairs: [{ a: FILES.one, b: FILES.test, weight: 3 }, { a: FILES.two, b: FILES.three, weight: 2 }], commitsUsed: 7, commitsSkipped: 0 },
    existingProjects: ['lib-a', 'lib-b'],
    validation: {
      projectRoot: 'libs/a',
      projectFiles: files,
      existingProjects: ['lib-a', 'lib-b'],
      budgetMs: 60_000,
      publicExports: importGraph.publicModules,
      symlinksOutside: [],
      importEdges: edges,
      task: 'lib-a:build',
    },
  };
}

/** A valid split: x = one + test (40 s), y = three + two (45 s); the entry stays as the facade. */
export function twoParts(): SplitPlan {
  return {
    schemaVersion: 1,
    kind: 'split',
    task: 'lib-a:build',
    budgetMs: 60_000,
    rationale: 'one with its test; two with three, which imports it.',
    source: 'agent',
    projects: [
      { name: 'lib-a-x', root: 'libs/lib-a-x', files: [FILES.one, FILES.test], dependsOn: [], entry: 'libs/lib-a-x/src/index.ts', estimatedMs: 40_000 },
      { name: 'lib-a-y', root: 'libs/lib-a-y', files: [FILES.two, FILES.three], dependsOn: ['lib-a-x'], entry: 'libs/lib-a-y/src/index.ts', estimatedMs: 45_000 },
    ],
    facade: [
      { from: FILES.index, project: 'lib-a-x', module: FILES.one },
      { from: FILES.index, project: 'lib-a-y', module: FILES.three },
    ],
    keptFiles: [FILES.index],
  };
}
