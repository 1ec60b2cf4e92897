/**
 * The files nx leaves out of `affected` (its `.nxignore` and `.gitignore` rules), asked of the
 * workspace's own nx in process: `calculateFileChanges` filters changed files through this
 * same `getIgnoreObject` in nx 20 to 24. Null when that internal module cannot be loaded.
 */
export function nxIgnoredFiles(workspaceRoot: string, files: readonly string[]): string[] | null {
  let ignores: (file: string) => boolean;
  try {
    const modulePath = require.resolve('nx/src/utils/ignore', { paths: [workspaceRoot] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace's nx, not ours
    const { getIgnoreObject } = require(modulePath) as { getIgnoreObject: (root: string) => { ignores(path: string): boolean } };
    const matcher = getIgnoreObject(workspaceRoot);
    ignores = (file) => matcher.ignores(file);
  } catch {
    return null;
  }
  return files.filter((file) => ignores(file));
}
