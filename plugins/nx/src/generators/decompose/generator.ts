import { logger, type GeneratorCallback, type Tree } from 'nx/src/devkit-exports';
import { DecomposeRefusal } from './decompose-refusal';
import { planDecomposition, type DecomposeChanges } from './decompose-changes';
import { createPackageLinks } from './disk-links';
import { readPlanFile } from './read-plan-file';
import { writeChangeSetFile } from './change-set-file';

export interface DecomposeGeneratorSchema {
  /** Path of the split plan, relative to the workspace root (or the current directory). */
  plan: string;
  /** `sixty apply`: write the change set to this absolute path instead of the Tree (see change-set-file.ts). */
  changesFile?: string;
}

/**
 * `nx g @sixty/nx:decompose --plan=<file> [--dry-run]`: applies a split Plan. Validates it against
 * the workspace first and, when it is invalid, stale or hostile, throws naming every problem
 * with nothing written. Applying a plan that is already applied changes nothing.
 */
export default async function decomposeGenerator(tree: Tree, schema: DecomposeGeneratorSchema): Promise<GeneratorCallback | undefined> {
  if (typeof schema.plan !== 'string' || schema.plan.trim() === '') {
    throw new DecomposeRefusal('which plan? --plan is required', [], 'pass --plan=<file>, e.g. written by sixty plan lib-c:build --kind split --out plan.json');
  }
  const outcome = planDecomposition(tree, readPlanFile(tree, schema.plan.trim()));
  if (typeof schema.changesFile === 'string') {
    writeChangeSetFile(tree, schema.changesFile, outcome.applied ? { applied: true, summary: outcome.summary } : { applied: false, summary: summaryText(outcome.changes), changes: outcome.changes });
    return undefined;
  }
  if (outcome.applied) {
    logger.info(outcome.summary);
    return undefined;
  }
  const { changes } = outcome;
  applyChanges(tree, changes);
  logger.info(summaryText(changes));
  if (changes.links.length === 0) return undefined;
  const root = tree.root;
  return () => {
    const created = createPackageLinks(root, changes.links);
    if (created.length > 0) logger.info(`linked ${created.join(', ')}`);
  };
}

/** Writes the change set into the Tree: moves first (rename keeps content, then the rewritten text), then every other file. */
export function applyChanges(tree: Tree, changes: DecomposeChanges): void {
  for (const move of changes.moves) {
    tree.rename(move.from, move.to);
    if (tree.read(move.to, 'utf-8') !== move.content) tree.write(move.to, move.content);
  }
  for (const write of changes.writes) {
    if (!tree.exists(write.path) || tree.read(write.path, 'utf-8') !== write.content) tree.write(write.path, write.content);
  }
}

export function summaryText(changes: DecomposeChanges): string {
  const { summary } = changes;
  const lines = [
    `decompose ${summary.task}: ${summary.parts.length} new project${summary.parts.length === 1 ? '' : 's'}, ${summary.movedFiles} files moved, ${summary.rewrittenImports} imports rewritten in ${summary.rewrittenFiles} files`,
    ...summary.parts.map((part) => `  ${part.name} (${part.root}): ${part.files} files, ${part.tests} test files${part.importName !== part.name ? `, imported as ${part.importName}` : ''}`),
    `  ${summary.oldProject} keeps its entry and re-exports the moved modules from the new projects`,
  ];
  if (summary.removedTestTargets.length > 0) lines.push(`  ${summary.oldProject} keeps no test file: removed its ${summary.removedTestTargets.join(', ')} target${summary.removedTestTargets.length === 1 ? '' : 's'}`);
  for (const reason of summary.setupReasons) lines.push(`  ${reason}`);
  if (summary.setupCommands.length > 0) lines.push(`next: ${[...summary.setupCommands, 'nx run-many -t build test'].join(', then ')}`);
  else lines.push(`next: nx run-many -t build test (then sixty report to see the new loop times)`);
  return lines.join('\n');
}

export { checkSplitPlan, type SplitPlanCheck } from './split-plan-check';
