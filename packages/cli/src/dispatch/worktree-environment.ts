import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { runsDirectory } from '@sixty/core';

/**
 * What a fresh worktree needs to build like the user's: installed packages, the Nx cache, the
 * run history. Nothing is installed or copied that can be linked.
 */

const inside = (parent: string, path: string): boolean => {
  const rel = relative(parent, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * Gives the worktree the user's installed packages: a node_modules directory of links to the
 * entries of the main worktree's node_modules. A package linked into the repository itself
 * (an npm/pnpm workspace package, `node_modules/lib-a -> ../libs/lib-a`) is linked to the
 * worktree's own copy instead, so the agent's edits to it are what the worktree builds.
 * Returns false when the main worktree has no node_modules (nothing to link).
 */
export function linkNodeModules(mainWorkspace: string, worktreeWorkspace: string, mainGitTop: string, worktreeGitTop: string): boolean {
  const source = join(mainWorkspace, 'node_modules');
  const target = join(worktreeWorkspace, 'node_modules');
  if (!existsSync(source) || existsSync(target)) return false;
  const mainNodeModules = resolve(source);
  const link = (from: string, to: string): void => {
    let destination = from;
    const stat = lstatSync(from);
    if (stat.isSymbolicLink()) {
      const real = resolve(dirname(from), readlinkSync(from));
      if (inside(mainGitTop, real) && !inside(mainNodeModules, real)) {
        const counterpart = join(worktreeGitTop, relative(mainGitTop, real));
        if (existsSync(counterpart)) destination = counterpart;
      }
    }
    symlinkSync(destination, to);
  };
  mkdirSync(target);
  for (const entry of readdirSync(source, { withFileTypes: true })) {
    const from = join(source, entry.name);
    if (entry.name.startsWith('@') && entry.isDirectory()) {
      // a scope: link its packages one by one, some may be workspace packages
      mkdirSync(join(target, entry.name));
      for (const scoped of readdirSync(from)) link(join(from, scoped), join(target, entry.name, scoped));
    } else {
      link(from, join(target, entry.name));
    }
  }
  return true;
}

/**
 * The main worktree's Nx cache directory, as nx resolves it: NX_CACHE_DIRECTORY, else nx.json's
 * cacheDirectory, else .nx/cache. Pointing the worktree's nx at it makes unchanged tasks come
 * from cache (nx >= 22 also finds it by itself; older versions need the variable).
 */
export function nxCacheDirectory(mainWorkspace: string, env: NodeJS.ProcessEnv): string {
  const configured = env.NX_CACHE_DIRECTORY || cacheDirectoryOfNxJson(mainWorkspace);
  if (!configured) return join(mainWorkspace, '.nx', 'cache');
  return isAbsolute(configured) ? configured : join(mainWorkspace, configured);
}

function cacheDirectoryOfNxJson(workspace: string): string | undefined {
  try {
    const nxJson = JSON.parse(readFileSync(join(workspace, 'nx.json'), 'utf8')) as {
      cacheDirectory?: unknown;
      tasksRunnerOptions?: { default?: { options?: { cacheDirectory?: unknown } } };
    };
    const value = nxJson.cacheDirectory ?? nxJson.tasksRunnerOptions?.default?.options?.cacheDirectory;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined; // nx.json with comments: the default applies
  }
}

/**
 * Seeds the dispatch's own history with the user's runs, so `sixty plan`, `sixty check` and the
 * agent's own sixty commands in the worktree know the recorded times; the dispatch's runs then
 * go there, never into the user's history.
 */
export function seedHistory(mainHistoryDir: string, dispatchHistoryDir: string): void {
  mkdirSync(dispatchHistoryDir, { recursive: true });
  const runs = runsDirectory(mainHistoryDir);
  if (existsSync(runs)) cpSync(runs, runsDirectory(dispatchHistoryDir), { recursive: true });
}
