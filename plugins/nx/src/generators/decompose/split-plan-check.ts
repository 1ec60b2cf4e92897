import { FsTree } from 'nx/src/generators/tree';
import { DecomposeRefusal } from './decompose-refusal';
import { planDecomposition } from './decompose-changes';
import { readPlanFile } from './read-plan-file';

/** What applying a split plan would do, found without writing anything. */
export type SplitPlanCheck =
  | { status: 'applies'; problems: [] }
  | { status: 'already-applied'; problems: []; summary: string }
  | { status: 'refused'; headline: string; problems: readonly string[]; fix: string };

/**
 * Runs every check `nx g @sixty/nx:decompose` runs before it writes (the shared validator, the
 * plan's freshness, the destinations, the import rewrites, the new entries) on the workspace on
 * disk, and writes nothing. `sixty plan` and `sixty plan --validate` call it, so a plan they call
 * valid is one the generator applies, and one it refuses never passes them.
 */
export function checkSplitPlan(workspaceRoot: string, planPath: string): SplitPlanCheck {
  const tree = new FsTree(workspaceRoot, false);
  try {
    const outcome = planDecomposition(tree, readPlanFile(tree, planPath));
    return outcome.applied ? { status: 'already-applied', problems: [], summary: outcome.summary } : { status: 'applies', problems: [] };
  } catch (error) {
    if (error instanceof DecomposeRefusal) return { status: 'refused', headline: error.headline, problems: error.problems, fix: error.fix };
    throw error;
  }
}
