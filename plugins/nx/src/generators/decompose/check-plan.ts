import type { Tree } from 'nx/src/devkit-exports';
import { validatePlan } from '@sixty/core';
import { isAlreadyApplied } from './applied-state';
import { DecomposeRefusal } from './decompose-refusal';
import { destinationProblems } from './destination-problems';
import { createPlacement, type Placement } from './placement';
import { stalePlanProblems } from './plan-freshness';
import { quote } from './quote';
import type { PlanFile } from './read-plan-file';
import { readSplitProjectFacts, validationContext, type SplitProjectFacts } from './split-project-facts';
import { readWorkspaceFacts, type WorkspaceFacts } from './workspace-facts';

/** A plan that passed every check, with the facts it was checked against. */
export interface CheckedPlan {
  applied: false;
  workspace: WorkspaceFacts;
  project: SplitProjectFacts;
  placement: Placement;
}

/** A plan whose parts already exist and hold its files. */
export interface AppliedPlan {
  applied: true;
  summary: string;
}

export const FIX_INVALID = 'correct the plan, or make a new one with `sixty plan <project>:<target> --kind split`, then apply it again';

/**
 * Reads the facts the plan is checked against from the Tree (never from the plan), then checks
 * that the plan is valid (schema, files, names, cycles, budget, public exports), fresh (no file
 * gone or changed since planning) and writable (free roots, no overwrite). Throws a
 * DecomposeRefusal naming every problem; says so when the plan is already applied.
 */
export function checkPlan(tree: Tree, planFile: PlanFile): CheckedPlan | AppliedPlan {
  const { plan, shownPath } = planFile;
  const workspace = readWorkspaceFacts(tree);
  const project = readSplitProjectFacts(tree, workspace, plan);
  if (project === undefined) {
    throw new DecomposeRefusal(`cannot apply ${shownPath}: there is no project named ${quote(plan.task.split(':')[0] ?? '')} in this workspace`, [], FIX_INVALID);
  }
  const placement = createPlacement(plan, project.root, project.importName);
  if (isAlreadyApplied(tree, plan, workspace, placement)) {
    return { applied: true, summary: `${shownPath} is already applied: ${plan.projects.map((part) => part.name).join(', ')} exist and hold the moved files, and the old entry re-exports them; nothing to do` };
  }
  const stale = stalePlanProblems(tree, plan);
  // The budget is the plan's own: the generator has no --budget to compare it with, and each part's estimate is checked against it.
  const validation = validatePlan(plan, validationContext(project, workspace, plan, plan.budgetMs));
  const problems = [...stale, ...validation.problems, ...(validation.valid ? destinationProblems(tree, workspace, placement) : [])];
  if (problems.length > 0) {
    const isStale = stale.length > 0 || problems.some((problem) => / is in no part and not in keptFiles/.test(problem));
    throw new DecomposeRefusal(
      `cannot apply ${shownPath} (${plan.task}): ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing was changed`,
      problems,
      isStale ? `the project changed since planning: make a new plan with \`sixty plan ${plan.task} --kind split\`` : FIX_INVALID,
    );
  }
  return { applied: false, workspace, project, placement };
}
