import type { Tree } from 'nx/src/devkit-exports';
import { unsafePathReason, type SplitPlan } from '@sixty/core';
import type { Placement } from './placement';
import type { WorkspaceFacts } from './workspace-facts';

/**
 * True when the plan is already applied, as far as the Tree can tell: every part is a project at
 * its root with its entry, every file the plan moves is at its new place and gone from its old
 * one, and every facade file imports the part it re-exports (a half-written tree, with the facade
 * not rewritten, is not "applied"). `sixty apply` checks its own applies file by file instead.
 */
export function isAlreadyApplied(tree: Tree, plan: SplitPlan, workspace: WorkspaceFacts, placement: Placement): boolean {
  for (const part of plan.projects) {
    if (unsafePathReason(part.root) !== undefined || workspace.projects.get(part.name)?.root !== part.root) return false;
    if (unsafePathReason(part.entry) !== undefined || !tree.exists(part.entry)) return false;
    for (const file of part.files) {
      if (unsafePathReason(file) !== undefined || tree.exists(file) || !tree.exists(placement.newPathOf(file))) return false;
    }
  }
  for (const facade of plan.facade ?? []) {
    const part = placement.parts.find((candidate) => candidate.name === facade.project);
    if (part === undefined || unsafePathReason(facade.from) !== undefined || !tree.exists(facade.from)) return false;
    if (!workspace.syntaxOf(facade.from).references.some((reference) => reference.specifier === part.importName)) return false;
  }
  return true;
}
