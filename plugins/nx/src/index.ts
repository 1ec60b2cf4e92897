import { BASELINE_GLOB, createShardNodes } from './create-nodes';
import { recordRun, type PostTasksContext } from './record-run';

export const name = '@sixty/nx';

/**
 * Shard targets inferred from the committed baseline (sixty-timings.json): see create-nodes.ts.
 * Exported under both names so nx 20.4 through 24 load it.
 */
export const createNodesV2 = [BASELINE_GLOB, createShardNodes] as const;
export const createNodes = createNodesV2;

export async function postTasksExecution(options: unknown, context: PostTasksContext): Promise<void> {
  await recordRun(options, context);
}
