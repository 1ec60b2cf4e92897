/**
 * What a git checkout looks like at one moment, enough to tell whether anything an agent could
 * touch changed: the commit and branch checked out, the index, and the content of every file
 * that differs from HEAD (tracked changes and untracked files). Files that match HEAD are
 * covered by the commit and the index: a change to one of them shows up as a new status entry.
 */
export interface CheckoutFingerprint {
  /** `git rev-parse HEAD`; null in a repository without commits. */
  head: string | null;
  /** `refs/heads/<name>`, or null when HEAD is detached. */
  branch: string | null;
  /** A hash of the staged entries (`git ls-files --stage`). */
  index: string;
  /** Path (relative to the repository) -> hash of its content, or `deleted`, for each file `git status` lists. */
  files: Readonly<Record<string, string>>;
}

const shortCommit = (commit: string | null): string => (commit === null ? '(no commit)' : commit.slice(0, 12));
const branchName = (ref: string | null): string => (ref === null ? '(detached HEAD)' : ref.replace(/^refs\/heads\//, ''));

const fileAt = (fingerprint: CheckoutFingerprint, path: string): string | undefined => (Object.hasOwn(fingerprint.files, path) ? fingerprint.files[path] : undefined);

/** Paths whose state differs between two fingerprints, sorted. */
export function changedPaths(before: CheckoutFingerprint, after: CheckoutFingerprint): string[] {
  const paths = [...new Set([...Object.keys(before.files), ...Object.keys(after.files)])].sort();
  return paths.filter((path) => fileAt(before, path) !== fileAt(after, path));
}

/**
 * The differences between two fingerprints of the same checkout, one line each, in a fixed
 * order (branch, HEAD, index, then files by path). Empty when nothing changed.
 */
export function checkoutChanges(before: CheckoutFingerprint, after: CheckoutFingerprint): string[] {
  const changes: string[] = [];
  if (before.branch !== after.branch) changes.push(`branch switched from ${branchName(before.branch)} to ${branchName(after.branch)}`);
  if (before.head !== after.head) changes.push(`HEAD moved from ${shortCommit(before.head)} to ${shortCommit(after.head)}`);
  if (before.index !== after.index) changes.push('the index (staged changes) changed');
  for (const path of changedPaths(before, after)) {
    const now = fileAt(after, path);
    changes.push(now === 'deleted' ? `deleted ${path}` : now === undefined ? `restored to HEAD ${path}` : `changed ${path}`);
  }
  return changes;
}
