import { recordRun, type PostTasksContext } from './record-run';

export const name = '@sixty/nx';

/**
 * Inferred targets come from the committed baseline (sixty-timings.json). Nothing is inferred
 * until a baseline exists; the export is here so nx 20.4 through 24 load the plugin either way.
 */
export const createNodesV2 = [
  '**/sixty-timings.json',
  async () => [],
] as const;
export const createNodes = createNodesV2;

export async function postTasksExecution(options: unknown, context: PostTasksContext): Promise<void> {
  recordRun(options, context);
}
