import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { SixtyError } from '@sixty/core';

function git(cwd: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new SixtyError('NOT_A_GIT_REPO', `git could not be started (${result.error.message})`, 'install git and make sure it is on PATH');
  }
  return { ok: result.status === 0, stdout: result.stdout, stderr: result.stderr };
}

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
    throw new SixtyError('INVALID_ARGUMENT', `${flag} "${ref}" is not a commit in this repository`, `pass a branch, tag or commit that exists (see \`git log --oneline\`), e.g. ${flag} main`);
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

export function mergeBase(cwd: string, a: string, b: string): string {
  const result = git(cwd, ['merge-base', a, b]);
  return result.ok ? result.stdout.trim() : a;
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

/**
 * What a change is compared against: the merge-base of --base (default: the default branch)
 * with --head (default: HEAD, the work tree on top); without a default branch, HEAD itself.
 */
export function resolveComparison(root: string, baseRef?: string, headRef?: string): { base: string; head: string | null } {
  const head = headRef ? resolveCommit(root, headRef, '--head') : null;
  if (baseRef) return { base: mergeBase(root, resolveCommit(root, baseRef, '--base'), head ?? 'HEAD'), head };
  const branch = defaultBranch(root);
  const base = branch ? mergeBase(root, resolveCommit(root, branch, '--base'), head ?? 'HEAD') : resolveCommit(root, 'HEAD', '--base');
  return { base, head };
}
