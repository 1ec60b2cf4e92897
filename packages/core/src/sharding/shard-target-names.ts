/** Suffix of the aggregate target the plugin infers over a target's shards. */
export const SHARDED_SUFFIX = '--sharded';

/** `test` and `shard-1-of-3` -> `test--shard-1-of-3`: the name of an inferred shard target. */
export function shardTargetName(target: string, shardName: string): string {
  return `${target}--${shardName}`;
}
