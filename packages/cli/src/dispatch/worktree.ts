import { rmSync, writeFileSync } from 'node:fs';
import { SixtyError } from '@sixty/core';
import { runGit as git } from '../git/run-git';

/**
 * The git side of a dispatch: a worktree on a new branch, and what the agent left in it.
 * Every command runs with `-C <dir>` on the dispatch worktree or on the repository's metadata
 * (`worktree add/remove`, `branch -D`), never on the user's work tree, index or branch.
 */

const firstLine = (text: string): string => text.trim().split('\n')[0] ?? '';

/** The commit HEAD points at: what a dispatch starts from. */
export function headCommit(gitTop: string): string {
  const result = git(gitTop, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (!result.ok) {
    throw new SixtyError('NOT_A_GIT_REPO', `${gitTop} has no commit yet: a dispatch starts from HEAD`, 'commit your work once (`git add -A && git commit`), then dispatch');
  }
  return result.stdout.trim();
}

/** Uncommitted changes (staged, unstaged or untracked) in the user's work tree. */
export function hasUncommittedChanges(gitTop: string): boolean {
  return git(gitTop, ['status', '--porcelain']).stdout.trim() !== '';
}

/** `git worktree add -b <branch> <path> <base>`: a checkout of base on a new branch. */
export function addWorktree(gitTop: string, path: string, branch: string, base: string): void {
  const result = git(gitTop, ['worktree', 'add', '--quiet', '-b', branch, path, base]);
  if (!result.ok) {
    throw new SixtyError('WORKTREE_FAILED', `git could not create the worktree ${path} on branch ${branch}: ${firstLine(result.stderr)}`, 'check `git worktree list` and `git branch --list "sixty/*"`, remove stale ones, then dispatch again');
  }
}

/** Removes the worktree (even with changes in it) and its metadata. */
export function removeWorktree(gitTop: string, path: string): void {
  if (!git(gitTop, ['worktree', 'remove', '--force', '--force', path]).ok) {
    rmSync(path, { recursive: true, force: true });
    git(gitTop, ['worktree', 'prune']);
  }
}

/** The branch points past base: something was committed on it (by the agent or the policy). */
export function branchHasCommits(gitTop: string, branch: string, base: string): boolean {
  const result = git(gitTop, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]);
  return result.ok && result.stdout.trim() !== base;
}

export function deleteBranch(gitTop: string, branch: string): void {
  git(gitTop, ['branch', '-D', '--quiet', branch]);
}

/**
 * Stages everything the agent changed in the worktree (its own index) and lists the paths
 * changed against base, committed or not. `leaveOut`: paths sixty put there (the linked
 * node_modules), relative to the worktree, never staged whatever .gitignore says.
 */
export function stageChanges(worktree: string, base: string, leaveOut: string[]): string[] {
  git(worktree, ['add', '--all', '--', '.', ...leaveOut.map((path) => `:(top,exclude)${path}`)]);
  const diff = git(worktree, ['diff', '--cached', '--name-only', '--no-renames', base]);
  return diff.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
}

/** The staged changes against base as a patch `git apply` takes (binary files included). */
export function writePatch(worktree: string, base: string, file: string): void {
  writeFileSync(file, git(worktree, ['diff', '--cached', '--binary', base]).stdout);
}

/** The commit the worktree's branch points at. */
export function worktreeHead(worktree: string): string {
  return git(worktree, ['rev-parse', 'HEAD']).stdout.trim();
}

/**
 * Commits the staged changes on the worktree's branch and returns the branch's commit (the
 * agent's own last commit when it committed everything itself); throws with git's reason.
 */
export function commitStaged(worktree: string, message: string): string {
  if (git(worktree, ['diff', '--cached', '--quiet', 'HEAD']).ok) return worktreeHead(worktree);
  const identity = git(worktree, ['config', 'user.email']).stdout.trim() ? [] : ['-c', 'user.name=sixty dispatch', '-c', 'user.email=sixty@localhost'];
  // --no-verify: the dispatch's own check is the gate; the user's hooks may need tools the worktree lacks
  const result = git(worktree, [...identity, 'commit', '--quiet', '--no-verify', '-F', '-'], message);
  if (!result.ok) {
    throw new SixtyError('WORKTREE_FAILED', `git could not commit in ${worktree}: ${firstLine(result.stderr || result.stdout)}`, `commit the changes in ${worktree} by hand`);
  }
  return worktreeHead(worktree);
}
