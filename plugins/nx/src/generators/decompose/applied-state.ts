import type { ProjectConfiguration, Tree } from 'nx/src/devkit-exports';
import { unsafePathReason, type SplitPlan } from '@sixty/core';
import type { Placement } from './placement';

/**
 * True when the plan is already applied: every part is a project at its root, and every file
 * the plan moves is at its new place and gone from its old one.
 */
export function isAlreadyApplied(tree: Tree, plan: SplitPlan, projects: ReadonlyMap<string, ProjectConfiguration>, placement: Placement): boolean {
  for (const part of plan.projects) {
    if (unsafePathReason(part.root) !== undefined || projects.get(part.name)?.root !== part.root) return false;
    for (const file of part.files) {
      if (unsafePathReason(file) !== undefined || tree.exists(file) || !tree.exists(placement.newPathOf(file))) return false;
    }
  }
  return true;
}
