import type { Tree } from 'nx/src/devkit-exports';
import { filesChangedSinceHashed, splitPlanFiles, unsafePathReason, type SplitPlan } from '@sixty/core';
import { quote } from './quote';

/**
 * Why the plan no longer matches the workspace: a file it places is gone, or (when the plan
 * recorded hashes) a file's content changed since planning. Unsafe paths are left to the
 * validator, which names them; they are never read.
 */
export function stalePlanProblems(tree: Tree, plan: SplitPlan): string[] {
  const problems: string[] = [];
  const planned = new Set(splitPlanFiles(plan));
  const readable = (file: string): boolean => unsafePathReason(file) === undefined;
  for (const file of [...planned].sort()) {
    if (readable(file) && !tree.exists(file)) problems.push(`stale: ${quote(file)} no longer exists`);
  }
  const hashes = plan.fileHashes ?? []; // entries the plan does not place are the validator's to name
  const content = (file: string): Buffer | undefined => (readable(file) && tree.exists(file) ? (tree.read(file) ?? undefined) : undefined);
  for (const changed of filesChangedSinceHashed(hashes.filter((entry) => planned.has(entry.file) && readable(entry.file)), content)) {
    if (changed.reason === 'changed') problems.push(`stale: ${quote(changed.file)} changed since the plan was made`);
  }
  return problems;
}
