export * from './longest-first';
export * from './plan-shards';
export * from './shard-cost-model';
export * from './shard-calibration';
export * from './junit-report';
export * from './shard-target-names';
export { applyShardPlanToBaseline, type AppliedShardPlan } from './apply-shard-plan';
export { baselineFileCosts, resolveShards, unshardedFixedCap, type ResolvedShard, type ResolvedShards, type ResolveShardsOptions } from './resolve-shards';
export {
  readTestCommand,
  RUN_SCRIPT,
  shardTestCommand,
  shardReportPath,
  NODE_TEST_DEFAULT_PATTERNS,
  VITEST_DEFAULT_PATTERNS,
  JEST_DEFAULT_PATTERNS,
  MOCHA_DEFAULT_PATTERNS,
  type ReadTestCommandResult,
  type ShardCommand,
  type TestCommand,
  type TestRunner,
} from './test-command';
export {
  ambiguousFilters,
  ANGULAR_UNIT_TEST_DEFAULT_INCLUDE,
  parseRunnerList,
  readShardableTarget,
  shardTargetConfig,
  SHARDABLE_RUNNERS_TEXT,
  type ReadShardableTargetResult,
  type ShardableTarget,
  type ShardTargetConfig,
  type TestFileSource,
} from './shard-runner';
export { shardableEntry, unshardableAppliedTargets, type ShardableEntry } from './sharding-problems';
export { globToRegExp } from './glob-pattern';
export { listGlobTestFiles, listTestFiles } from './list-test-files';
export { splitShellCommand, quoteShellWord, type ShellSegment, type ShellWord } from './shell-words';
