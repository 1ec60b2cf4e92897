import { isAbsolute, join } from 'node:path';

/**
 * Where nx keeps its workspace data (the cached project graph, plugins' inferred-target caches),
 * as nx itself resolves it: NX_WORKSPACE_DATA_DIRECTORY, else the older
 * NX_PROJECT_GRAPH_CACHE_DIRECTORY, else `.nx/workspace-data`; a relative setting is relative to
 * the workspace root. A path rule only: the environment is passed in, nothing is read.
 */
export function nxWorkspaceDataDirectory(workspaceRoot: string, env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.NX_WORKSPACE_DATA_DIRECTORY ?? env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (configured === undefined) return join(workspaceRoot, '.nx', 'workspace-data');
  return isAbsolute(configured) ? configured : join(workspaceRoot, configured);
}
