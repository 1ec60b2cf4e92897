import { relative, resolve } from 'node:path';
import { SixtyError } from '@sixty/core';
import { runGit as git } from './run-git';

/** The top of the git work tree that holds `cwd`. */
export function gitTopLevel(cwd: string): string {
  const result = git(cwd, ['rev-parse', '--show-toplevel']);
  if (!result.ok) {
    throw new SixtyError('NOT_A_GIT_REPO', `${cwd} is not inside a git repository`, 'run `git init` and commit, or run sixty check inside a git work tree');
  }
  return result.stdout.trim();
}

/** The commit a ref names, or a clear error. */
export function resolveCommit(cwd: string, ref: string, flag: string): string {
  const result = git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (!result.ok) {
    const fix = flag.startsWith('nx.json')
      ? 'set defaultBase in nx.json to a branch this clone has (`git branch -a`), fetch it, or pass --base <ref>'
      : `pass a branch, tag or commit that exists (see \`git log --oneline\`), e.g. ${flag} main`;
    throw new SixtyError('INVALID_ARGUMENT', `${flag} "${ref}" is not a commit in this repository`, fix);
  }
  return result.stdout.trim();
}

/** origin's default branch, else main or master, else null (a repository with one branch). */
export function defaultBranch(cwd: string): string | null {
  const remote = git(cwd, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD']);
  if (remote.ok && remote.stdout.trim()) return remote.stdout.trim();
  for (const name of ['main', 'master']) {
    if (git(cwd, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}^{commit}`]).ok) return name;
  }
  return null;
}

/**
 * The common ancestor of two commits; an error when there is none (unrelated histories, or a
 * shallow clone that lacks it): comparing against the wrong commit would check the wrong change.
 */
export function mergeBase(cwd: string, base: { ref: string; commit: string }, head: string): string {
  const result = git(cwd, ['merge-base', base.commit, head]);
  if (!result.ok) {
    throw new SixtyError(
      'INVALID_ARGUMENT',
      `base "${base.ref}" has no common ancestor with ${head === 'HEAD' ? 'HEAD' : head.slice(0, 12)} (unrelated history, or a shallow clone)`,
      'fetch the history (`git fetch --unshallow`) or pass a --base that shares history with your branch',
    );
  }
  return result.stdout.trim();
}

function lines(text: string): string[] {
  return text.split('\n').map((line) => line.trim()).filter(Boolean);
}

/**
 * Files changed between base and head; without head, between base and the work tree,
 * including uncommitted and untracked files (agents work in dirty worktrees).
 * Paths are relative to `workspaceRoot`; files outside it are left out.
 */
export function changedFiles(workspaceRoot: string, base: string, head: string | null): string[] {
  const top = gitTopLevel(workspaceRoot);
  const files = new Set<string>();
  if (head) {
    for (const file of lines(git(top, ['diff', '--name-only', '--no-renames', base, head]).stdout)) files.add(file);
  } else {
    for (const file of lines(git(top, ['diff', '--name-only', '--no-renames', base]).stdout)) files.add(file);
    for (const file of lines(git(top, ['ls-files', '--others', '--exclude-standard']).stdout)) files.add(file);
  }
  const inWorkspace: string[] = [];
  for (const file of files) {
    const path = relative(workspaceRoot, resolve(top, file));
    if (!path.startsWith('..')) inWorkspace.push(path.split('\\').join('/'));
  }
  return inWorkspace.sort();
}

/** Where the base of a comparison came from, printed so a user sees what was checked. */
export type BaseSource = 'flag' | 'nx.json defaultBase' | 'default branch' | 'HEAD';

export interface Comparison {
  /** The merge-base commit the change is compared against. */
  base: string;
  /** The ref the user or nx.json named (`main`), or HEAD. */
  baseRef: string;
  baseSource: BaseSource;
  head: string | null;
}

/**
 * What a change is compared against: the merge-base of --base (else nx.json's defaultBase,
 * else the default branch) with --head (default: HEAD, the work tree on top); without any
 * of those, HEAD itself. A named base that does not resolve, or shares no history, is an error.
 */
export function resolveComparison(root: string, options: { base?: string | undefined; head?: string | undefined; defaultBase?: string | null }): Comparison {
  const head = options.head ? resolveCommit(root, options.head, '--head') : null;
  const from = (ref: string, baseSource: BaseSource, flag: string): Comparison => ({
    base: mergeBase(root, { ref, commit: resolveCommit(root, ref, flag) }, head ?? 'HEAD'),
    baseRef: ref,
    baseSource,
    head,
  });
  if (options.base) return from(options.base, 'flag', '--base');
  if (options.defaultBase) return from(options.defaultBase, 'nx.json defaultBase', 'nx.json defaultBase');
  const branch = defaultBranch(root);
  if (branch) return from(branch, 'default branch', '--base');
  return { base: resolveCommit(root, 'HEAD', '--base'), baseRef: 'HEAD', baseSource: 'HEAD', head };
}
