import { posix } from 'node:path';
import { SHARDED_SUFFIX, shardTargetConfig, shardTargetName, type BaselineTargetConfig, type ResolvedShard, type ShardableTarget } from '@sixty/core';

/** The target configuration fields sixty infers (a structural subset of nx's TargetConfiguration). */
export interface InferredTarget {
  executor: string;
  options?: Record<string, unknown>;
  cache?: boolean;
  inputs: unknown[];
  outputs: string[];
  dependsOn?: unknown[];
  metadata: { description: string };
}

/** What nx uses when a target declares no inputs: every file of the project and of its dependencies. */
export const DEFAULT_TARGET_INPUTS = ['default', '^default'];

export interface ShardTargetsInput {
  /** The sharded target's name (`test`) and its `project:target`. */
  target: string;
  task: string;
  /** Workspace-relative project root (`.` at the workspace root). */
  root: string;
  config: BaselineTargetConfig;
  runner: ShardableTarget;
  shards: readonly ResolvedShard[];
}

/**
 * The inferred targets of one sharded target: `<target>--shard-<i>-of-<n>` running the target's
 * executor with its options and only that shard's files selected, and `<target>--sharded`, an nx:noop depending on every shard.
 * Each shard keeps the target's dependsOn and cache setting; its inputs are the target's minus
 * the other shards' test files (so a change to one test file re-runs one shard), and its
 * outputs are its own reports only (shards never restore each other's files).
 */
export function shardTargets(input: ShardTargetsInput): Record<string, InferredTarget> {
  const { config, runner, shards, target, task } = input;
  const root = input.root === '.' ? '' : input.root;
  const inputs = config.inputs ?? DEFAULT_TARGET_INPUTS;
  const shared = {
    ...(config.cache !== undefined ? { cache: config.cache } : {}),
  };
  const targets: Record<string, InferredTarget> = {};
  const count = shards.length;
  const totalFiles = shards.reduce((sum, shard) => sum + shard.files.length, 0);
  shards.forEach((shard, index) => {
    const { executor, options, reportPaths } = shardTargetConfig(runner, config, shard.files, shard.name);
    const otherFiles = shards.flatMap((other, otherIndex) => (otherIndex === index ? [] : other.files));
    targets[shardTargetName(target, shard.name)] = {
      executor,
      options,
      ...shared,
      inputs: [...inputs, ...otherFiles.sort().map((file) => `!${tokenPath(file, root)}`)],
      outputs: [...new Set(reportPaths.map((path) => tokenPath(path, root)))],
      ...(config.dependsOn && config.dependsOn.length > 0 ? { dependsOn: config.dependsOn } : {}),
      metadata: {
        description: `Runs ${shard.files.length} of the ${totalFiles} test files of ${task} (shard ${index + 1} of ${count}, about ${formatSeconds(shard.estimatedMs)})`,
      },
    };
  });
  targets[`${target}${SHARDED_SUFFIX}`] = {
    executor: 'nx:noop',
    ...shared,
    inputs,
    outputs: [],
    dependsOn: shards.map((shard) => ({ target: shardTargetName(target, shard.name), params: 'forward' })),
    metadata: { description: `Runs ${task} as ${count} shard${count === 1 ? '' : 's'} (${shards.map((shard) => shardTargetName(target, shard.name)).join(', ')})` },
  };
  return targets;
}

/** `libs/a/test/x.js` -> `{projectRoot}/test/x.js`; a path outside the project -> `{workspaceRoot}/...`. */
function tokenPath(path: string, root: string): string {
  if (root === '') return `{projectRoot}/${path}`;
  if (path.startsWith(`${root}/`)) return `{projectRoot}/${posix.relative(root, path)}`;
  return `{workspaceRoot}/${path}`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
