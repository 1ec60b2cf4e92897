import { parse } from 'jsonc-parser';
import { normalizeOptions } from '../config/sixty-options';
import { pluginOptionsFromNxJson } from '../workspace-files/register-plugin';

/**
 * The directories of a workspace that tools own, as its nx.json and environment place them:
 * sixty's history directory and nx's cache and workspace data when moved from `.nx`. A plan
 * never writes there (`.git`, `node_modules` and `.nx` are always protected).
 */
export function protectedDirectoriesOf(nxJsonText: string | undefined, env: Record<string, string | undefined> = {}): Array<{ path: string; label: string }> {
  let raw: unknown;
  let nxJson: { cacheDirectory?: unknown } = {};
  if (nxJsonText !== undefined) {
    raw = pluginOptionsFromNxJson(nxJsonText).options;
    const parsed: unknown = parse(nxJsonText, [], { allowTrailingComma: true });
    if (typeof parsed === 'object' && parsed !== null) nxJson = parsed as { cacheDirectory?: unknown };
  }
  const directories = [{ path: normalizeOptions(raw, env).options.historyDir, label: 'sixty\'s history directory' }];
  const cache = env.NX_CACHE_DIRECTORY ?? (typeof nxJson.cacheDirectory === 'string' ? nxJson.cacheDirectory : undefined);
  if (cache) directories.push({ path: cache, label: 'nx\'s cache directory' });
  if (env.NX_WORKSPACE_DATA_DIRECTORY) directories.push({ path: env.NX_WORKSPACE_DATA_DIRECTORY, label: 'nx\'s workspace data directory' });
  return directories;
}
