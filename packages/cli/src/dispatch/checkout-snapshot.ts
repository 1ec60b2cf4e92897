import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import type { CheckoutFingerprint } from '@sixty/core';
import { runGit as git } from '../git/run-git';

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** The state of one listed path: a hash of its content (or link target), or `deleted`. */
function fileState(path: string): string {
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return `link:${sha256(readlinkSync(path))}`;
    if (!stat.isFile()) return `other:${stat.mode}`;
    return sha256(readFileSync(path));
  } catch {
    return 'deleted';
  }
}

/** Paths under these directories (relative to the repository, `/`-separated) are left out. */
function isExcluded(path: string, excluded: readonly string[]): boolean {
  return excluded.some((dir) => path === dir || path.startsWith(`${dir}/`));
}

/**
 * Fingerprints a checkout (`gitTop`): HEAD, branch, index and every file `git status` lists,
 * untracked ones included. `exclude` lists directories sixty itself writes to while a dispatch
 * runs (the history, the shared Nx cache): absolute paths, ignored when outside the checkout.
 */
export function fingerprintCheckout(gitTop: string, exclude: readonly string[] = []): CheckoutFingerprint {
  const excluded = exclude
    .map((dir) => relative(gitTop, dir))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel))
    .map((rel) => rel.split('\\').join('/'));
  const head = git(gitTop, ['rev-parse', '--verify', '--quiet', 'HEAD']);
  const branch = git(gitTop, ['symbolic-ref', '--quiet', 'HEAD']);
  const index = git(gitTop, ['ls-files', '--stage', '-z']);
  const status = git(gitTop, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=none']);
  const files: Record<string, string> = {};
  for (const entry of status.stdout.split('\0')) {
    if (entry.length < 4) continue;
    const path = entry.slice(3);
    if (isExcluded(path, excluded)) continue;
    files[path] = fileState(join(gitTop, path));
  }
  return {
    head: head.ok ? head.stdout.trim() : null,
    branch: branch.ok ? branch.stdout.trim() : null,
    index: sha256(index.stdout),
    files,
  };
}

/** The paths among `files` (as a fingerprint lists them) whose state on disk is still the recorded one. */
export function unchangedFiles(gitTop: string, files: Readonly<Record<string, string>>): Set<string> {
  return new Set(Object.keys(files).filter((path) => fileState(join(gitTop, path)) === files[path]));
}

/** The repository's git database (`.git` of the main worktree), which worktrees share. */
export function gitCommonDirectory(gitTop: string): string {
  const result = git(gitTop, ['rev-parse', '--path-format=absolute', '--git-common-dir']);
  return result.ok ? result.stdout.trim() : join(gitTop, '.git');
}
